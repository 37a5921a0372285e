"""The yearly survey of actors: campaigns, personal links, answers and reminders.

A campaign is created in preparation (``campaign_create``) with the way its actors are chosen:
every published regional actor, the members, or a filter of the directory (its querystring).
Opening it (``campaign_open``) creates one ``Invitation`` per chosen organisation and queues one
e-mail per invitation that has an address; opening again invites the organisations that match
since and the invitations that had no address and have one now, and never sends an e-mail twice
(the state of the invitation and the key of the e-mail). Reminders leave by themselves at the
offsets of ``MAILLAGE_SURVEY_REMINDER_DAYS`` (``survey_reminders_send``, daily) or when the staff
ask (``campaign_remind``).

The personal link needs no password: it opens one organisation's answer for one campaign, until
the end of its closing day (Europe/Paris) or until the staff close it (``invitation_for_token``).

Validating an answer (``invitation_validate``) accepts its figures and profile and publishes the
projects declared or updated in it that still await validation: the staff have looked at them
from the answer's page, where each has a link to its review (to send one back, do so before).
Closing the campaign freezes the year's figures: see ``surveys_snapshot``."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.emails import email_queue_template
from maillage.directory.filters import OrganisationFilter
from maillage.directory.models import Affiliation, Organisation
from maillage.observatory.models import Campaign, Invitation

SCOPES = ("all", "members", "filter")
# The people the survey writes to: the representatives to the network and the contacts.
RECIPIENT_ROLES = (Affiliation.Role.REPRESENTATIVE, Affiliation.Role.DEPUTY, Affiliation.Role.CONTACT)
UNANSWERED = (Invitation.State.SENT, Invitation.State.OPENED)
ANSWERED = (Invitation.State.ANSWERED, Invitation.State.VALIDATED)


# --- Campaigns -------------------------------------------------------------------------------------


def selection_errors(selection: dict[str, Any]) -> dict[str, list[str]]:
    scope = selection.get("scope")
    if scope not in SCOPES:
        return {"scope": [_("Choose which actors are surveyed.")]}
    if scope == "filter":
        filterset = OrganisationFilter(QueryDict(str(selection.get("query") or "")), queryset=surveyable())
        invalid = filterset.invalid()
        if invalid:
            return {"query": [f"{label} : {' '.join(messages)}" for label, messages in invalid]}
    return {}


def surveyable() -> QuerySet[Organisation]:
    """The actors a survey may reach: the published regional actors of the directory."""
    return Organisation.objects.filter(kind=Organisation.Kind.REGIONAL, status=Organisation.Status.PUBLISHED)


def selected_organisations(selection: dict[str, Any]) -> QuerySet[Organisation]:
    """The organisations a campaign's ``selection`` chooses (see ``campaign_create``)."""
    organisations = surveyable()
    scope = selection.get("scope")
    if scope == "members":
        organisations = organisations.filter(is_member=True)
    elif scope == "filter":
        query = QueryDict(str(selection.get("query") or ""))
        organisations = OrganisationFilter(query, queryset=organisations).filtered()
    elif scope != "all":
        return organisations.none()
    return organisations.order_by("name", "pk")


@transaction.atomic
def campaign_create(
    *,
    year: int,
    title: str,
    closes_on: datetime.date,
    selection: dict[str, Any],
    introduction: str = "",
    user: User | None,
) -> Campaign:
    """A campaign in preparation. ``selection``: ``{"scope": "all" | "members" | "filter",
    "query": "<querystring of the directory>"}`` (the query only for "filter")."""
    errors = selection_errors(selection)
    today = timezone.localdate()
    if closes_on < today:
        errors.setdefault("closes_on", []).append(_("The closing date is already past."))
    if not 2000 <= year <= today.year + 1:
        errors.setdefault("year", []).append(_("Give a year between 2000 and next year."))
    if Campaign.objects.filter(year=year).exists():
        errors.setdefault("year", []).append(_("There is already a campaign for this year."))
    if errors:
        raise ValidationError(errors)
    scope = selection["scope"]
    campaign = Campaign(
        year=year,
        title=title.strip(),
        closes_on=closes_on,
        introduction=introduction.strip(),
        selection={"scope": scope, "query": str(selection.get("query") or "") if scope == "filter" else ""},
        created_by=user,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def recipients_of(organisation: Organisation) -> list[str]:
    """Where an organisation's invitation goes: the addresses of its current representatives and
    contacts and of its editors; else the organisation's own address. Reads the prefetched
    ``survey_people`` and ``editors`` when ``recipient_prefetches`` was applied."""
    today = timezone.localdate()
    people = getattr(organisation, "survey_people", None)
    if people is None:
        people = list(_current_people(organisation.affiliations.all(), today))
    addresses = [a.person.email for a in people if a.person.email]
    addresses += [user.email for user in organisation.editors.all() if user.email and user.is_active]
    if not addresses and organisation.email:
        addresses = [organisation.email]
    return list(dict.fromkeys(address.strip().lower() for address in addresses))


def _current_people(affiliations: QuerySet[Affiliation], today: datetime.date) -> QuerySet[Affiliation]:
    return (
        affiliations.filter(role__in=RECIPIENT_ROLES)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .filter(Q(start__isnull=True) | Q(start__lte=today))
        .select_related("person")
        .order_by("-role", "person__last_name", "pk")
    )


def recipient_prefetches(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    today = timezone.localdate()
    return organisations.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=_current_people(Affiliation.objects.all(), today),
            to_attr="survey_people",
        ),
        "editors",
    )


@dataclass
class OpenResult:
    invited: int = 0  # invitations created now
    sent: int = 0  # e-mails queued now
    without_address: list[Organisation] = field(default_factory=list)


def answer_url(invitation: Invitation) -> str:
    return settings.MAILLAGE_SITE_URL + reverse("observatory:survey_answer", args=[invitation.token])


def _email_context(invitation: Invitation) -> dict[str, Any]:
    return {
        "campaign": invitation.campaign,
        "organisation": invitation.organisation,
        "url": answer_url(invitation),
    }


@transaction.atomic
def campaign_open(campaign: Campaign, user: User | None) -> OpenResult:
    """Open the campaign (or open it again): invite every chosen organisation not invited yet and
    e-mail every invitation not sent yet that has an address, once."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("This campaign is closed: it can no longer be opened."))
    if campaign.closes_on < timezone.localdate():
        raise ValidationError(_("The closing date of this campaign is past: no one could answer."))
    result = OpenResult()
    invited = set(campaign.invitations.values_list("organisation_id", flat=True))
    new = [
        Invitation(campaign=campaign, organisation_id=pk)
        for pk in selected_organisations(campaign.selection).values_list("pk", flat=True)
        if pk not in invited
    ]
    Invitation.objects.bulk_create(new, batch_size=500)
    result.invited = len(new)
    if campaign.status == Campaign.Status.DRAFT:
        campaign.status, campaign.opened_at = Campaign.Status.OPEN, timezone.now()
        if user is not None:
            campaign._history_user = user  # type: ignore[attr-defined]
        campaign.save(update_fields=["status", "opened_at", "updated_at"])
    pending = (
        campaign.invitations.filter(state=Invitation.State.PENDING)
        .select_related("campaign", "organisation")
        .order_by("organisation__name", "pk")
    )
    organisations = recipient_prefetches(
        Organisation.objects.filter(pk__in=pending.values("organisation_id"))
    )
    by_pk = {organisation.pk: organisation for organisation in organisations}
    now = timezone.now()
    for invitation in pending:
        organisation = by_pk[invitation.organisation_id]
        invitation.organisation = organisation
        invitation.recipients = recipients_of(organisation)
        if not invitation.recipients:
            invitation.save(update_fields=["recipients", "updated_at"])
            result.without_address.append(organisation)
            continue
        email_queue_template(
            to=invitation.recipients,
            template="observatory/email/survey_invitation.txt",
            context=_email_context(invitation),
            key=f"survey-{campaign.pk}-{organisation.pk}-invite",
        )
        invitation.state, invitation.sent_at = Invitation.State.SENT, now
        invitation.save(update_fields=["recipients", "state", "sent_at", "updated_at"])
        result.sent += 1
    return result


def _remind(
    invitation: Invitation, key: str, claimed_from: datetime.datetime | None, now: datetime.datetime
) -> bool:
    """Send one reminder, claimed by a conditional update of ``reminded_at`` (two workers never
    both send it) and keyed in the outbox."""
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, state__in=UNANSWERED, reminded_at=claimed_from
        ).update(reminded_at=now, reminders=F("reminders") + 1, updated_at=now)
        if not claimed:
            return False
        email_queue_template(
            to=invitation.recipients,
            template="observatory/email/survey_reminder.txt",
            context=_email_context(invitation),
            key=key,
        )
    return True


def survey_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the organisations of the open campaigns that have not answered: once for each
    offset of ``MAILLAGE_SURVEY_REMINDER_DAYS`` (days after the invitation was sent), unless a
    reminder left after that offset already (a reminder of the staff, a missed day: one reminder
    covers the offsets passed). Returns the number of reminders sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for offset in sorted(settings.MAILLAGE_SURVEY_REMINDER_DAYS, reverse=True):
        delay = datetime.timedelta(days=offset)
        due = (
            Invitation.objects.filter(
                campaign__status=Campaign.Status.OPEN,
                campaign__closes_on__gte=today,
                state__in=UNANSWERED,
                sent_at__lte=now - delay,
            )
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("sent_at") + delay))
            .select_related("campaign", "organisation")
            .order_by("pk")
        )
        for invitation in due:
            key = f"survey-{invitation.campaign_id}-{invitation.organisation_id}-reminder-{offset}"
            sent += _remind(invitation, key, invitation.reminded_at, now)
    return sent


def campaign_remind(campaign: Campaign, user: User | None) -> int:
    """Remind now every invited organisation that has not answered (at most once a day)."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("Only an open campaign sends reminders."))
    today = timezone.localdate().isoformat()
    sent = 0
    invitations = campaign.invitations.filter(state__in=UNANSWERED).select_related("campaign", "organisation")
    for invitation in invitations.order_by("pk"):
        key = f"survey-{campaign.pk}-{invitation.organisation_id}-reminder-{today}"
        if invitation.reminded_at and timezone.localdate(invitation.reminded_at).isoformat() == today:
            continue
        sent += _remind(invitation, key, invitation.reminded_at, timezone.now())
    return sent


# The answers by personal link live beside (see surveys_answers.py); their names are read here too.
from maillage.observatory.surveys_answers import (  # noqa: E402
    LinkRefused,
    active_in,
    invitation_answer,
    invitation_for_token,
    invitation_open,
    invitation_validate,
    link_expires_at,
    profile_changes,
    survey_project_check,
    survey_projects,
)

__all__ = [
    "LinkRefused",
    "active_in",
    "invitation_answer",
    "invitation_for_token",
    "invitation_open",
    "invitation_validate",
    "link_expires_at",
    "profile_changes",
    "survey_project_check",
    "survey_projects",
]
