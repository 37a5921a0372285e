"""Administration of governance. Administrators define the bodies and their offices; mandates,
assemblies, votes and the action log are shown read-only (assemblies: their wording aside),
because they change only through the services, which check the statutes' rules and log.

Secrecy: ballots are listed only once their vote is closed (as the published ballot box), in
the order of their random tracker, never of insertion; the voter roll is not registered here at
all, so that nothing puts who voted next to how."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from maillage.core.admin import RulesModelAdmin
from maillage.governance.models import ActionLog, Assembly, Ballot, Body, Candidacy, Mandate, Office, Vote


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0
    fields = ("name", "slug", "holders", "position")


@admin.register(Body)
class BodyAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "seats_per_college", "term_years", "elected_by", "position")
    list_select_related = ("elected_by",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OfficeInline,)


class ReadOnlyAdmin(RulesModelAdmin):
    """Shown to whoever holds ``view_perm`` (the project's rules), changed only by services."""

    view_perm = "governance.view_assembly"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self.view_perm, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    view_perm = "governance.view_mandate"
    list_display = (
        "person",
        "organisation",
        "body",
        "college",
        "office",
        "start",
        "end",
        "state",
        "co_opted",
    )
    list_filter = ("body", "college", "state", "co_opted")
    list_select_related = ("person", "organisation", "body", "office")
    search_fields = ("person__first_name", "person__last_name", "organisation__name")
    date_hierarchy = "start"


@admin.register(Assembly)
class AssemblyAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-mostly: the team may correct the wording (title, place, link, agenda); states,
    dates and minutes change through the staff pages."""

    list_display = ("title", "starts_at", "kind", "mode", "state", "minutes_approved_on")
    list_filter = ("kind", "mode", "state")
    search_fields = ("title",)
    date_hierarchy = "starts_at"
    fields = (
        "title",
        "kind",
        "mode",
        "starts_at",
        "place",
        "online_url",
        "agenda",
        "state",
        "convened_at",
        "second_convocation_of",
        "opened_at",
        "closed_at",
        "minutes_approved_on",
    )
    readonly_fields = (
        "kind",
        "mode",
        "starts_at",
        "state",
        "convened_at",
        "second_convocation_of",
        "opened_at",
        "closed_at",
        "minutes_approved_on",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("governance.manage_assembly", obj)


@admin.register(ActionLog)
class ActionLogAdmin(ReadOnlyAdmin):
    view_perm = "governance.view_log"
    list_display = ("at", "action", "assembly", "vote", "actor")
    list_filter = ("action",)
    list_select_related = ("assembly", "vote", "actor")
    date_hierarchy = "at"


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("title", "assembly", "electorate_body", "kind", "mode", "college", "state", "closed_at")
    list_filter = ("kind", "mode", "state", "college")
    list_select_related = ("assembly", "electorate_body")
    search_fields = ("title",)


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("person", "organisation", "vote", "state")
    list_filter = ("state", "vote__college")
    list_select_related = ("person", "organisation", "vote")
    search_fields = ("person__first_name", "person__last_name", "organisation__name")


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """The ballot box of closed votes: tracker and choices, ordered by tracker only."""

    list_display = ("vote", "tracker", "choices")
    list_filter = ("vote",)
    fields = ("vote", "tracker", "choices")
    ordering = ("vote", "tracker")
    sortable_by = ()
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ballot]:
        return super().get_queryset(request).filter(vote__state=Vote.State.CLOSED).select_related("vote")
