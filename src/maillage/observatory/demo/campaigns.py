"""The demo's yearly surveys: the campaigns of the two past years, closed with their snapshots
(about half of the actors answered), and this year's, open for a few more weeks (invitations
sent three weeks ago, some opened, a few answered, some of those validated).

The survey's services are made for what happens now, and opening a campaign queues one e-mail
per invitation, which a seed must not do (the other apps' demos queue none either): the
invitations are written directly, with the recipients ``campaign_open`` would choose, as sent
(past events, with their own dates). The rest goes through the services: ``campaign_create``
for this year's campaign, ``invitation_answer`` and ``invitation_validate`` for its answers,
``campaign_close`` for the snapshots of the past years."""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from maillage.accounts.models import User
from maillage.core.seeding import DemoReport
from maillage.directory.models import Organisation
from maillage.observatory.models import Budget, Campaign, Invitation, Project
from maillage.observatory.surveys import (
    campaign_create,
    recipient_prefetches,
    recipients_of,
    selected_organisations,
)
from maillage.observatory.surveys_answers import invitation_answer, invitation_validate
from maillage.observatory.surveys_snapshot import campaign_close

SELECTION = {"scope": "all", "query": ""}
TITLE = "Enquête de l’observatoire %(year)s"
INTRODUCTION = (
    "Chaque année, l’observatoire régional recense l’action internationale des acteurs "
    "d’Occitanie. Merci de confirmer votre fiche, de déclarer vos projets de l’année et quelques "
    "chiffres clés : dix minutes suffisent."
)
PAST_RATES = (0.46, 0.57)  # share of the actors that answered, two years ago and last year
STAFF = {"0": (0, 0), "1-5": (1, 3), "6-20": (1, 6), "21-50": (2, 10), "51+": (3, 15), "": (0, 2)}
VOLUNTEERS = {"0": (0, 0), "1-5": (1, 5), "6-20": (6, 20), "21-50": (21, 50), "51+": (51, 120), "": (0, 10)}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _budgets(year: int) -> dict[int, Decimal]:
    """Each organisation's budget of its published projects for ``year`` (yearly budgets)."""
    rows = (
        Budget.objects.filter(project__status=Project.Status.PUBLISHED, period_start__year=year)
        .values("project__reporting_organisation")
        .annotate(total=Sum("value"))
    )
    return {row["project__reporting_organisation"]: row["total"] for row in rows}


def _figures(rng: random.Random, organisation: Organisation, budget: Decimal | None) -> dict[str, object]:
    base = float(budget) if budget else rng.uniform(2000, 20000)
    return {
        "international_budget": Decimal(round(base * rng.uniform(1.05, 1.4), -2)).quantize(Decimal("0.01")),
        "staff": rng.randint(*STAFF.get(organisation.staff, (0, 2))),
        "volunteers": rng.randint(*VOLUNTEERS.get(organisation.volunteers, (0, 10))),
        "awareness_actions": rng.randint(0, 12),
    }


def _reminded(sent: datetime.datetime, until: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """The reminders the daily task would have sent between ``sent`` and ``until``."""
    passed = [
        days
        for days in sorted(settings.MAILLAGE_SURVEY_REMINDER_DAYS)
        if sent + datetime.timedelta(days=days) <= until
    ]
    if not passed:
        return 0, None
    return len(passed), sent + datetime.timedelta(days=passed[-1])


def _invitations(campaign: Campaign, seed: int) -> list[tuple[Invitation, random.Random]]:
    """One invitation per chosen organisation, sent when the campaign opened (pending without an
    address), each with a generator of its own."""
    sent = campaign.opened_at
    organisations = recipient_prefetches(selected_organisations(campaign.selection))
    result = []
    for organisation in organisations:
        recipients = recipients_of(organisation)
        invitation = Invitation(campaign=campaign, organisation=organisation, recipients=recipients)
        if recipients:
            invitation.state, invitation.sent_at = Invitation.State.SENT, sent
        rng = random.Random(f"{seed}-{campaign.year}-{organisation.slug}")  # noqa: S311
        result.append((invitation, rng))
    return result


def _past(report: DemoReport, year: int, rate: float, staff: User | None, seed: int) -> None:
    """A campaign of the autumn of ``year``, answered by about ``rate`` of the actors, closed."""
    opened, closes_on = _at(datetime.date(year, 10, 1), 9), datetime.date(year, 11, 30)
    closed = _at(datetime.date(year, 12, 5), 17)
    campaign = Campaign(
        year=year,
        title=TITLE % {"year": year},
        introduction=INTRODUCTION,
        status=Campaign.Status.OPEN,
        closes_on=closes_on,
        selection=SELECTION,
        opened_at=opened,
        created_by=staff,
    )
    campaign.full_clean()
    campaign.save()
    budgets = _budgets(year)
    invitations = []
    for invitation, rng in _invitations(campaign, seed):
        invitations.append(invitation)
        if invitation.state == Invitation.State.PENDING:
            continue
        draw, last = rng.random(), _at(closes_on, 18)
        if draw < rate:
            answered = min(
                opened + datetime.timedelta(days=rng.randint(1, 55), hours=rng.randint(0, 8)), last
            )
            invitation.opened_at = answered - datetime.timedelta(hours=rng.randint(1, 72))
            invitation.answered_at = invitation.profile_confirmed_at = answered
            invitation.state = Invitation.State.ANSWERED
            for name, value in _figures(
                rng, invitation.organisation, budgets.get(invitation.organisation_id)
            ).items():
                setattr(invitation, name, value)
            if rng.random() < 0.9:
                invitation.state = Invitation.State.VALIDATED
                invitation.validated_at = min(answered + datetime.timedelta(days=rng.randint(1, 10)), closed)
                invitation.validated_by = staff
            invitation.reminders, invitation.reminded_at = _reminded(opened, answered)
        else:
            if draw < rate + (1 - rate) * 0.35:
                invitation.state = Invitation.State.OPENED
                invitation.opened_at = opened + datetime.timedelta(days=rng.randint(0, 50))
            invitation.reminders, invitation.reminded_at = _reminded(opened, last)
    bulk_create_with_history(
        invitations, Invitation, default_user=staff, default_change_reason="demo data", default_date=opened
    )
    campaign_close(campaign, staff)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=closed)
    for _invitation in invitations:
        report.count("survey invitations", True)
    report.count("yearly snapshots", True)


def _current(report: DemoReport, today: datetime.date, staff: User | None, seed: int) -> None:
    """This year's campaign, opened three weeks ago, closing in six weeks."""
    now = timezone.now()
    campaign = campaign_create(
        year=today.year,
        title=TITLE % {"year": today.year},
        closes_on=today + datetime.timedelta(days=42),
        selection=SELECTION,
        introduction=INTRODUCTION,
        user=staff,
    )
    campaign.status, campaign.opened_at = Campaign.Status.OPEN, _at(today - datetime.timedelta(days=21), 9)
    campaign.save(update_fields=["status", "opened_at", "updated_at"])
    opened = campaign.opened_at
    planned = _invitations(campaign, seed)
    answering = []
    for invitation, rng in planned:
        if invitation.state == Invitation.State.PENDING:
            continue
        draw = rng.random()
        if draw < 0.45:
            invitation.state = Invitation.State.OPENED
            invitation.opened_at = opened + datetime.timedelta(
                days=rng.randint(0, 20), hours=rng.randint(0, 8)
            )
        if draw < 0.12:
            answering.append((invitation, rng))
        invitation.reminders, invitation.reminded_at = _reminded(opened, now)
    bulk_create_with_history(
        [invitation for invitation, _rng in planned],
        Invitation,
        default_user=staff,
        default_change_reason="demo data",
        default_date=opened,
    )
    budgets = _budgets(today.year)
    for invitation, rng in answering:
        figures = _figures(rng, invitation.organisation, budgets.get(invitation.organisation_id))
        answered = invitation_answer(invitation=invitation, comment="", **figures)  # type: ignore[arg-type]
        if staff is not None and rng.random() < 0.5:
            invitation_validate(answered, staff)
    for _invitation in planned:
        report.count("survey invitations", True)


def seed_campaigns(report: DemoReport, *, today: datetime.date, staff: User | None, seed: int) -> None:
    for year, rate in zip((today.year - 2, today.year - 1), PAST_RATES, strict=True):
        exists = Campaign.objects.filter(year=year).exists()
        report.count("survey campaigns", not exists)
        if not exists:
            _past(report, year, rate, staff, seed)
    exists = Campaign.objects.filter(year=today.year).exists()
    report.count("survey campaigns", not exists)
    if not exists:
        _current(report, today, staff, seed)
