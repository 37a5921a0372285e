"""Staff administration of the directory: organisations with their people, bulk publication."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from maillage.core.admin import RulesModelAdmin
from maillage.directory import services
from maillage.directory.models import Affiliation, Category, Organisation, Person


class OrganisationForm(ModelForm):
    class Meta:
        model = Organisation
        fields = "__all__"  # noqa: DJ007 — the administration shows every field

    def _post_clean(self) -> None:
        # After the instance is built from the form (Django's hook), our cross-field rules.
        super()._post_clean()  # type: ignore[misc]
        for field, message in services.organisation_errors(self.instance).items():
            self.add_error(field if field in self.fields else None, message)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Organisation)
class OrganisationAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    form = OrganisationForm
    list_display = ("name", "acronym", "kind", "college", "category", "commune", "status", "updated_at")
    list_filter = ("status", "kind", "college", "category", "source")
    search_fields = ("name", "acronym", "siret", "rna", "commune__name")
    list_select_related = ("category", "commune")
    autocomplete_fields = ("commune",)
    filter_horizontal = ("themes", "sdgs", "dac_sectors", "editors")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AffiliationInline,)
    actions = ("publish", "archive")

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Organisation], status: str) -> None:
        changed = 0
        for organisation in queryset:
            services.organisation_set_status(organisation=organisation, status=status)
            changed += 1
        message = ngettext("%(count)d organisation updated.", "%(count)d organisations updated.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected organisations"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        self._set_status(request, queryset, Organisation.Status.PUBLISHED)

    @admin.action(description=_("Archive the selected organisations"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        self._set_status(request, queryset, Organisation.Status.ARCHIVED)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.organisation_locate(organisation=form.instance)


@admin.register(Person)
class PersonAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "email", "job_title", "public_consent_at")
    search_fields = ("last_name", "first_name", "email")
    list_filter = (("public_consent_at", admin.EmptyFieldListFilter),)
    autocomplete_fields = ("user",)


@admin.register(Category)
class CategoryAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("name_fr", "name_en", "college", "position", "active")
    list_filter = ("college", "active")
    search_fields = ("name_fr", "name_en")
