"""The observatory in the Django admin. Projects and campaigns are shown with their history and
their parts; everything is read-only here but the wording of a campaign, because projects change
only through ``project_save`` (the IATI rules, the validation) and the survey through its
services (the e-mails, the frozen figures). Snapshots are never changed, by anyone."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from maillage.core.admin import RulesModelAdmin
from maillage.observatory.models import (
    Budget,
    Campaign,
    DocumentLink,
    IatiImport,
    Invitation,
    Location,
    Participation,
    Project,
    ProjectImportRun,
    ProjectSector,
    RecipientCountry,
    RecipientRegion,
    Snapshot,
    Transaction,
)


class ReadOnlyAdmin(RulesModelAdmin):
    """Listed and shown to the back office (the app's ``view`` rules), changed only by services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartInline(admin.TabularInline):
    """A part of a project, shown with it (read-only, like the project)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("observatory.view_project", obj)


class ParticipationInline(PartInline):
    model = Participation
    fields = ("organisation", "role")


class RecipientCountryInline(PartInline):
    model = RecipientCountry
    fields = ("country", "percentage")


class RecipientRegionInline(PartInline):
    model = RecipientRegion
    fields = ("vocabulary", "code", "percentage")


class SectorInline(PartInline):
    model = ProjectSector
    fields = ("vocabulary", "code", "percentage")


class LocationInline(PartInline):
    model = Location
    fields = ("name", "latitude", "longitude", "admin_code")


class BudgetInline(PartInline):
    model = Budget
    fields = ("kind", "state", "period_start", "period_end", "value", "currency")


class TransactionInline(PartInline):
    model = Transaction
    fields = ("kind", "date", "value", "currency", "provider", "provider_name", "receiver", "receiver_name")


class DocumentInline(PartInline):
    model = DocumentLink
    fields = ("title", "url", "category", "format", "language", "document_date")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "reporting_organisation",
        "iati_identifier",
        "activity_status",
        "status",
        "provenance",
        "planned_start",
    )
    list_filter = ("status", "activity_status", "provenance")
    list_select_related = ("reporting_organisation",)
    search_fields = ("title", "iati_identifier", "reporting_organisation__name")
    date_hierarchy = "planned_start"
    show_full_result_count = False
    inlines = (
        ParticipationInline,
        RecipientCountryInline,
        RecipientRegionInline,
        SectorInline,
        LocationInline,
        BudgetInline,
        TransactionInline,
        DocumentInline,
    )


@admin.register(IatiImport)
class IatiImportAdmin(ReadOnlyAdmin):
    list_display = (
        "file_name",
        "status",
        "activities",
        "created",
        "updated",
        "rejected",
        "user",
        "created_at",
    )
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("file_name",)
    exclude = ("file",)


@admin.register(ProjectImportRun)
class ProjectImportRunAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "status", "created", "updated", "rejected", "user", "created_at")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("file_name",)
    exclude = ("rows",)  # the file's cells, people's contact details among them


class InvitationInline(PartInline):
    model = Invitation
    fields = ("organisation", "state", "sent_at", "opened_at", "answered_at", "validated_at", "reminders")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("observatory.view_invitation")


@admin.register(Campaign)
class CampaignAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    """The wording of a campaign may be corrected here; its status, dates and actors change only
    through the survey's pages."""

    list_display = ("title", "year", "status", "closes_on", "opened_at", "closed_at")
    list_filter = ("status",)
    search_fields = ("title",)
    fields = ("title", "introduction", "year", "status", "closes_on", "selection", "opened_at", "closed_at")
    readonly_fields = ("year", "status", "closes_on", "selection", "opened_at", "closed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the survey's page creates campaigns (it checks the year and the selection)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("organisation", "campaign", "state", "sent_at", "answered_at", "validated_at")
    list_filter = ("state", "campaign")
    list_select_related = ("organisation", "campaign")
    search_fields = ("organisation__name",)
    exclude = ("token",)  # the personal link opens the answer without a password


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ("year", "campaign", "created_at")
    list_select_related = ("campaign",)
    search_fields = ("year",)
