"""Closing a survey campaign: the year's figures frozen in a ``Snapshot``.

The snapshot holds plain values (names, codes, amounts as strings), not references: editing an
organisation or a project afterwards changes nothing in it, and nothing writes a snapshot again
(closing twice is refused). It holds:

- ``organisations``: every organisation surveyed, its collège, département, state and figures;
- ``projects``: the published projects of the organisations surveyed that ran during the year,
  flattened (countries, sectors, themes, funders, and the budget of the year per currency:
  budgets overlapping the year, pro rata of their days in it);
- ``totals``: overall, by collège and by département: the invitations per state, the projects,
  their budget of the year in euros, and the sums of the figures of the **validated** answers
  (an answer the staff have not validated is counted in its state, not in the figures)."""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.observatory.models import (
    Budget,
    Campaign,
    Invitation,
    OrganisationRole,
    Participation,
    Project,
    Snapshot,
)
from maillage.observatory.surveys_answers import active_in

CENT = Decimal("0.01")
NO_DEPARTEMENT = "—"


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def year_budget(budgets: list[Budget], year: int) -> dict[str, Decimal]:
    """The budget of ``year`` per currency: each budget's share of its days within the year."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    result: dict[str, Decimal] = defaultdict(Decimal)
    for budget in budgets:
        start, end = max(budget.period_start, first), min(budget.period_end, last)
        if end < start:
            continue
        days = (budget.period_end - budget.period_start).days + 1
        share = Decimal((end - start).days + 1) / Decimal(days)
        result[budget.currency] += (budget.value * share).quantize(CENT)
    return dict(result)


def _organisation_row(invitation: Invitation) -> dict[str, Any]:
    organisation = invitation.organisation
    commune = organisation.commune
    departement = commune.departement if commune else None
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "college": organisation.college,
        "departement": departement.code if departement else "",
        "departement_name": departement.name if departement else "",
        "member": organisation.is_member,
        "state": invitation.state,
        "international_budget": _amount(invitation.international_budget),
        "staff": invitation.staff,
        "volunteers": invitation.volunteers,
        "awareness_actions": invitation.awareness_actions,
    }


def _project_row(project: Project, year: int, where: dict[str, Any]) -> dict[str, Any]:
    budget = year_budget(list(project.budgets.all()), year)
    return {
        "id": project.pk,
        "iati_identifier": project.iati_identifier,
        "title": project.title,
        "reporting_organisation": project.reporting_organisation.name,
        "reporting_organisation_id": project.reporting_organisation_id,
        "college": where["college"],
        "departement": where["departement"],
        "activity_status": project.activity_status,
        "start": project.start.isoformat() if project.start else None,
        "end": project.end.isoformat() if project.end else None,
        "countries": [c.country.code for c in project.recipient_countries.all()],
        "regions": [r.code for r in project.recipient_regions.all()],
        "sectors": [
            f"{s.code} ({s.percentage.normalize():f} %)" if s.percentage is not None else s.code
            for s in project.sectors.all()
        ],
        "themes": [theme.name_fr for theme in project.themes.all()],
        "funders": [p.organisation.name for p in project.participations.all()],
        "budget": {currency: str(value) for currency, value in sorted(budget.items())},
    }


def _empty_total() -> dict[str, Any]:
    return {
        "invitations": dict.fromkeys(Invitation.State.values, 0),
        "projects": 0,
        "projects_budget_eur": Decimal(0),
        "international_budget": Decimal(0),
        "staff": 0,
        "volunteers": 0,
        "awareness_actions": 0,
    }


def snapshot_data(campaign: Campaign) -> dict[str, Any]:
    """The organisations, projects and totals the snapshot of ``campaign`` freezes."""
    invitations = campaign.invitations.select_related("organisation__commune__departement").order_by(
        "organisation__name", "pk"
    )
    organisations = [_organisation_row(invitation) for invitation in invitations]
    where = {row["id"]: row for row in organisations}
    funders = Participation.objects.filter(role=OrganisationRole.FUNDING).select_related("organisation")
    projects = (
        Project.objects.filter(status=Project.Status.PUBLISHED, reporting_organisation__in=list(where))
        .filter(active_in(campaign.year))
        .select_related("reporting_organisation")
        .prefetch_related(
            "budgets",
            "recipient_countries",
            "recipient_regions",
            "sectors",
            "themes",
            Prefetch("participations", queryset=funders),
        )
        .order_by("reporting_organisation__name", "title", "pk")
    )
    project_rows = [
        _project_row(project, campaign.year, where[project.reporting_organisation_id]) for project in projects
    ]

    totals: dict[str, Any] = {"overall": _empty_total(), "by_college": {}, "by_departement": {}}

    def buckets(row: dict[str, Any]) -> list[dict[str, Any]]:
        college = row["college"] or NO_DEPARTEMENT
        departement = row["departement"] or NO_DEPARTEMENT
        return [
            totals["overall"],
            totals["by_college"].setdefault(college, _empty_total()),
            totals["by_departement"].setdefault(departement, _empty_total()),
        ]

    for row in organisations:
        for total in buckets(row):
            total["invitations"][row["state"]] += 1
            if row["state"] != Invitation.State.VALIDATED:
                continue
            total["international_budget"] += Decimal(row["international_budget"] or 0)
            for name in ("staff", "volunteers", "awareness_actions"):
                total[name] += row[name] or 0
    for row in project_rows:
        for total in buckets(row):
            total["projects"] += 1
            total["projects_budget_eur"] += Decimal(row["budget"].get("EUR", 0))

    def as_json(total: dict[str, Any]) -> dict[str, Any]:
        return {
            **total,
            "international_budget": _amount(total["international_budget"]),
            "projects_budget_eur": _amount(total["projects_budget_eur"]),
        }

    frozen = {
        "overall": as_json(totals["overall"]),
        "by_college": {key: as_json(value) for key, value in sorted(totals["by_college"].items())},
        "by_departement": {key: as_json(value) for key, value in sorted(totals["by_departement"].items())},
    }
    return {"organisations": organisations, "projects": project_rows, "totals": frozen}


@transaction.atomic
def campaign_close(campaign: Campaign, user: User | None) -> Snapshot:
    """Close an open campaign: its links stop working and the year's snapshot is frozen."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("This campaign is already closed: its figures are frozen."))
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("Only an open campaign can be closed."))
    if Snapshot.objects.filter(year=campaign.year).exists():
        raise ValidationError(
            _("The figures of %(year)s are already frozen by another campaign.") % {"year": campaign.year}
        )
    snapshot = Snapshot.objects.create(campaign=campaign, year=campaign.year, **snapshot_data(campaign))
    campaign.status, campaign.closed_at = Campaign.Status.CLOSED, timezone.now()
    if user is not None:
        campaign._history_user = user  # type: ignore[attr-defined]
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    return snapshot
