"""The rows of a campaign's export: its invitations and their figures, or once closed the rows
of its snapshot (organisations, or projects)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from maillage.directory.models import College
from maillage.observatory.models import Campaign, Invitation, Snapshot


def export_rows(
    campaign: Campaign, snapshot: Snapshot | None, *, part: str = ""
) -> tuple[list[Any], Iterable[Sequence[Any]], str]:
    """(headers, rows, file name without extension)."""
    colleges = dict(College.choices)
    states = dict(Invitation.State.choices)
    if snapshot is not None and part == "projects":
        headers: list[Any] = [
            _("Project"), _("IATI identifier"), _("Reporting organisation"), _("Collège"), _("Département"),
            _("Start"), _("End"), _("Countries"), _("Sectors"), _("Themes"), _("Funders"),
            _("Budget of the year (€)"),
        ]  # fmt: skip
        rows: Any = (
            (
                row["title"],
                row["iati_identifier"],
                row["reporting_organisation"],
                colleges.get(row["college"], row["college"]),
                row["departement"],
                row["start"],
                row["end"],
                row["countries"],
                row["sectors"],
                row["themes"],
                row["funders"],
                row["budget"].get("EUR"),
            )
            for row in snapshot.projects
        )
        filename = f"enquete-{campaign.year}-projets"
    elif snapshot is not None and part != "invitations":
        headers = [
            _("Organisation"), _("Collège"), _("Département"), _("Member"), _("State"),
            _("International budget (€)"), _("Staff"), _("Volunteers"), _("Awareness-raising actions"),
        ]  # fmt: skip
        rows = (
            (
                row["name"],
                colleges.get(row["college"], row["college"]),
                row["departement"],
                _("yes") if row["member"] else _("no"),
                states.get(row["state"], row["state"]),
                row["international_budget"],
                row["staff"],
                row["volunteers"],
                row["awareness_actions"],
            )
            for row in snapshot.organisations
        )
        filename = f"enquete-{campaign.year}-instantane"
    else:
        headers = [
            _("Organisation"), _("Collège"), _("Département"), _("State"), _("Recipients"), _("Sent on"),
            _("Opened on"), _("Answered on"), _("Validated on"), _("Reminders"),
            _("International budget (€)"), _("Staff"), _("Volunteers"), _("Awareness-raising actions"),
            _("Comment"),
        ]  # fmt: skip
        invitations = campaign.invitations.select_related("organisation__commune").order_by(
            "organisation__name", "pk"
        )
        rows = (
            (
                i.organisation.name,
                i.organisation.get_college_display(),
                i.organisation.commune.departement_id if i.organisation.commune else "",
                i.get_state_display(),
                i.recipients,
                i.sent_at,
                i.opened_at,
                i.answered_at,
                i.validated_at,
                i.reminders,
                i.international_budget,
                i.staff,
                i.volunteers,
                i.awareness_actions,
                i.comment,
            )
            for i in invitations.iterator(chunk_size=500)
        )
        filename = f"enquete-{campaign.year}"
    return headers, rows, filename
