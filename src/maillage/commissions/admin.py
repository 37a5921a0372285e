"""Staff administration of the commissions: creating a commission and naming its first
conveners (the conveners then run it from its pages), and correcting meetings.

The rules name permissions on the commission only (``rules.py``): the members and meetings
are governed by those of their commission."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from maillage.commissions.models import Commission, Meeting, Member
from maillage.core.admin import RulesModelAdmin

# What each admin action on a member or a meeting needs on the commission.
_COMMISSION_PERMS = {
    "view": "commissions.view_members_part",
    "add": "commissions.change_commission",
    "change": "commissions.change_commission",
    "delete": "commissions.change_commission",
}


class _ByCommission:
    """Permissions of a commission's part are the commission's."""

    def _allowed(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        commission = getattr(obj, "commission", obj) if obj is not None else None
        return bool(request.user.has_perm(_COMMISSION_PERMS[action], commission))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "view", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "add", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "delete", obj)


class MemberInline(_ByCommission, admin.TabularInline):
    model = Member
    extra = 0
    fields = ("user", "organisation", "role", "state", "start", "end", "notify")
    autocomplete_fields = ("user", "organisation")


@admin.register(Commission)
class CommissionAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "country", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "purpose")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MemberInline,)


@admin.register(Meeting)
class MeetingAdmin(_ByCommission, RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("title", "commission", "starts_at", "place", "minutes_public")
    list_filter = ("commission", "minutes_public")
    search_fields = ("title", "agenda")
    date_hierarchy = "starts_at"
    list_select_related = ("commission",)
    readonly_fields = ("minutes", "sequence")  # the minutes are sanitised by their page

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        if change and set(form.changed_data) & {
            "title",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "agenda",
        }:
            obj.sequence += 1  # calendar clients must replace the event
        super().save_model(request, obj, form, change)
