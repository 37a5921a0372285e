"""The survey's answers by personal link: the link's checks, the answer (profile and figures),
the projects of the year, the staff's validation. See ``surveys`` for the whole story."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.directory.models import Organisation
from maillage.directory.services import organisation_update
from maillage.observatory.models import Campaign, Invitation, Project

# The public fields of its profile an organisation confirms or corrects in its answer.
PROFILE_FIELDS = (
    "acronym",
    "description",
    "website",
    "email",
    "phone",
    "address",
    "staff",
    "volunteers",
    "budget",
)


class LinkRefused(ValidationError):
    """A personal link that opens nothing; ``code`` says why: unknown, closed or expired."""


def link_expires_at(campaign: Campaign) -> datetime.datetime:
    """The end of the campaign's closing day, in the site's time zone (Europe/Paris)."""
    end = datetime.datetime.combine(campaign.closes_on + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(end)


def invitation_for_token(token: str) -> Invitation:
    """The invitation of an open campaign this personal link opens; else ``LinkRefused``."""
    invitation = (
        Invitation.objects.select_related("campaign", "organisation__commune")
        .filter(token=token, campaign__status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED])
        .first()
        if token
        else None
    )
    if invitation is None:
        raise LinkRefused(
            _("This link to the survey is not valid. Check that it was copied in full."), code="unknown"
        )
    if invitation.campaign.status == Campaign.Status.CLOSED:
        raise LinkRefused(_("This survey is closed: it no longer accepts answers."), code="closed")
    if timezone.now() >= link_expires_at(invitation.campaign):
        raise LinkRefused(
            _("This survey accepted answers until %(date)s: the link has expired.")
            % {"date": _french_date(invitation.campaign.closes_on)},
            code="expired",
        )
    return invitation


def _french_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def invitation_open(invitation: Invitation) -> Invitation:
    """Record that the link was followed (the first time); a sent invitation becomes opened."""
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now, updated_at=now)
    Invitation.objects.filter(
        pk=invitation.pk, state__in=[Invitation.State.PENDING, Invitation.State.SENT]
    ).update(state=Invitation.State.OPENED, updated_at=now)
    invitation.refresh_from_db()
    return invitation


def _check_open(invitation: Invitation) -> None:
    if invitation.state == Invitation.State.VALIDATED:
        raise ValidationError(_("Your answer has been validated by the staff: it can no longer be changed."))
    if invitation.campaign.status != Campaign.Status.OPEN or timezone.now() >= link_expires_at(
        invitation.campaign
    ):
        raise ValidationError(_("This survey no longer accepts answers."))


@transaction.atomic
def invitation_answer(
    *,
    invitation: Invitation,
    profile: dict[str, Any] | None = None,
    international_budget: Decimal | None = None,
    staff: int | None = None,
    volunteers: int | None = None,
    awareness_actions: int | None = None,
    comment: str = "",
) -> Invitation:
    """Record an organisation's answer: its profile confirmed (``profile`` None or unchanged) or
    corrected (the changed fields of ``PROFILE_FIELDS`` go to the directory), its figures of the
    year and a comment. Answering again replaces the answer, until the staff validate it."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("campaign", "organisation")
        .get(pk=invitation.pk)
    )
    _check_open(invitation)
    errors: dict[str, list[str]] = {}
    if international_budget is not None and international_budget < 0:
        errors["international_budget"] = [_("An amount cannot be negative.")]
    unknown = set(profile or {}) - set(PROFILE_FIELDS)
    if unknown:
        errors["profile"] = [
            _("These fields are not part of the survey: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        ]
    if errors:
        raise ValidationError(errors)
    organisation = invitation.organisation
    changes = {name: value for name, value in (profile or {}).items() if getattr(organisation, name) != value}
    today = timezone.localdate()
    if changes or organisation.verified_on != today:
        organisation._change_reason = profile_change_reason(invitation)  # type: ignore[attr-defined]
        organisation_update(organisation=organisation, verified_on=today, **changes)
    now = timezone.now()
    invitation.profile_confirmed_at = now
    invitation.international_budget = international_budget
    invitation.staff, invitation.volunteers, invitation.awareness_actions = (
        staff,
        volunteers,
        awareness_actions,
    )
    invitation.comment = comment.strip()
    invitation.state, invitation.answered_at = Invitation.State.ANSWERED, now
    invitation.opened_at = invitation.opened_at or now
    invitation.full_clean(exclude=["campaign", "organisation", "token"])
    invitation.save()
    return invitation


def profile_change_reason(invitation: Invitation) -> str:
    """The reason recorded in the organisation's history for the changes made in an answer."""
    return f"survey:{invitation.pk}"


def profile_changes(invitation: Invitation) -> list[tuple[str, Any, Any]]:
    """The changes an answer made to the organisation's profile: (field label, old, new)."""
    records = Organisation.history.filter(
        id=invitation.organisation_id, history_change_reason=profile_change_reason(invitation)
    ).order_by("history_date")
    changes = []
    for record in records:
        previous = record.prev_record
        if previous is None:
            continue
        for change in record.diff_against(previous, included_fields=list(PROFILE_FIELDS)).changes:
            label = getattr(Organisation._meta.get_field(change.field), "verbose_name", change.field)
            changes.append((str(label), change.old, change.new))
    return changes


def survey_projects(invitation: Invitation) -> QuerySet[Project]:
    """The projects of the invited organisation active in the campaign's year (for update), and
    those declared in the campaign, whatever their dates."""
    return (
        Project.objects.filter(reporting_organisation=invitation.organisation_id)
        .exclude(status=Project.Status.ARCHIVED)
        .filter(active_in(invitation.campaign.year) | Q(campaign=invitation.campaign_id))
        .order_by("title", "pk")
    )


def active_in(year: int) -> Q:
    """Projects running at some point of ``year`` (started by its end, not ended before it)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    started = Q(actual_start__lte=last) | Q(actual_start__isnull=True, planned_start__lte=last)
    not_ended = (
        Q(actual_end__gte=first)
        | Q(actual_end__isnull=True, planned_end__gte=first)
        | Q(actual_end__isnull=True, planned_end__isnull=True)
    )
    return started & not_ended


def survey_project_check(invitation: Invitation) -> None:
    """Projects may be declared or updated through the link only while the answer is open."""
    _check_open(invitation)


@transaction.atomic
def invitation_validate(invitation: Invitation, user: User) -> Invitation:
    """Accept an answer; publish the projects declared or updated in it that await validation."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("campaign", "organisation")
        .get(pk=invitation.pk)
    )
    if invitation.state != Invitation.State.ANSWERED:
        raise ValidationError(_("Only an answer received and not yet validated can be validated."))
    from maillage.observatory.workflow import project_publish

    for project in invitation_projects_to_publish(invitation):
        project_publish(project, user)
    invitation.state = Invitation.State.VALIDATED
    invitation.validated_at, invitation.validated_by = timezone.now(), user
    invitation._history_user = user  # type: ignore[attr-defined]
    invitation.save(update_fields=["state", "validated_at", "validated_by", "updated_at"])
    return invitation


def invitation_projects_to_publish(invitation: Invitation) -> Iterable[Project]:
    return Project.objects.filter(
        reporting_organisation=invitation.organisation_id,
        campaign=invitation.campaign_id,
        status=Project.Status.SUBMITTED,
    ).order_by("pk")
