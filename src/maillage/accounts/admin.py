"""Administration of the accounts: administrators manage people's roles (groups) and activity."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from maillage.accounts.models import User
from maillage.accounts.services import user_roles_changed
from maillage.core.admin import RulesModelAdmin


@admin.register(User)
class UserAdmin(RulesModelAdmin, SimpleHistoryAdmin, DjangoUserAdmin):
    """Users by e-mail; roles are given through the groups. The permissions are the rules of
    ``accounts/rules.py`` (administrators change, the back office reads)."""

    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "created_at")
    list_filter = ("is_active", "groups", "language")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined", "created_at", "updated_at")
    filter_horizontal = ("groups",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("first_name", "last_name", "language")}),
        (_("Roles"), {"fields": ("is_active", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        user_roles_changed(user=form.instance)  # the groups are saved: open or close the admin site


# Roles are created by the code (``roles_ensure``), not by hand.
admin.site.unregister(Group)
