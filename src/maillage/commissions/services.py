"""Writes on the commissions: members (requests, invitations, decisions, roles), meetings
(registrations, attendance, minutes, decisions and actions), and the reads that count them.

Every write runs in a transaction; the views check who may call it (``rules.py``), the
services check that the call makes sense (states, dates, membership). E-mails go through the
outbox with a key, so that a double click never sends two."""

import datetime
import re
from collections.abc import Iterable
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.commissions.models import (
    Commission,
    Document,
    Meeting,
    Member,
    Outcome,
    Registration,
)
from maillage.core.emails import email_queue

OPEN_STATES = (Member.State.REQUESTED, Member.State.INVITED, Member.State.ACTIVE)
# What the minutes may contain: simple rich text, nothing that runs.
MINUTES_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
MINUTES_ATTRIBUTES = {"a": {"href"}}
_HAS_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
# Changing one of these changes the event in the members' calendars (SEQUENCE goes up).
MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "video_url", "agenda")


def _site_url(path: str) -> str:
    return settings.MAILLAGE_SITE_URL.rstrip("/") + path


def _open_membership(commission: Commission, user: User) -> Member | None:
    return commission.members.filter(user=user, state__in=OPEN_STATES).first()


def _conveners_count(commission: Commission) -> int:
    return commission.members.filter(state=Member.State.ACTIVE, role=Member.Role.CONVENER).count()


# Members ---------------------------------------------------------------------------------


@transaction.atomic
def member_request(*, commission: Commission, user: User, organisation: Any = None) -> Member:
    """A registered user asks to join, for the organisation they edit (the first by name when
    they edit several and name none). The conveners accept or refuse."""
    if not commission.active:
        raise ValidationError(_("This commission no longer takes new members."))
    existing = _open_membership(commission, user)
    if existing is not None:
        raise ValidationError(_("This person is already a member of the commission, or has asked to be."))
    edited = user.edited_organisations.order_by("name")
    if organisation is None:
        organisation = edited.first()
    elif not edited.filter(pk=organisation.pk).exists():
        raise ValidationError(_("You may only join for an organisation whose profile you edit."))
    return Member.objects.create(
        commission=commission, user=user, organisation=organisation, state=Member.State.REQUESTED
    )


@transaction.atomic
def member_invite(*, commission: Commission, email: str, by: User) -> Member:
    """A convener invites an existing account by its e-mail address; the invited accepts."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError({"email": _("No account uses this address: ask the person to sign up first.")})
    if _open_membership(commission, user) is not None:
        raise ValidationError(
            {"email": _("This person is already a member of the commission, or has asked to be.")}
        )
    organisation = user.edited_organisations.order_by("name").first()
    member = Member.objects.create(
        commission=commission, user=user, organisation=organisation, state=Member.State.INVITED
    )
    context = {
        "member": member,
        "commission": commission,
        "by": by,
        "url": _site_url(reverse("commissions:commission", args=[commission.slug])),
        "network_name": settings.MAILLAGE_NETWORK_NAME,
    }
    email_queue(
        to=[user.email],
        subject=_("Invitation to the commission “%(name)s”") % {"name": commission.name},
        text=render_to_string("commissions/email/invitation.txt", context),
        key=f"commissions:invitation:{member.pk}",
    )
    return member


@transaction.atomic
def member_decide(*, member: Member, accept: bool, by: User) -> Member:
    """A convener accepts or refuses a request (the person is told by e-mail); the invited
    person accepts or declines an invitation."""
    member = Member.objects.select_for_update().select_related("commission", "user").get(pk=member.pk)
    if member.state == Member.State.INVITED:
        if by.pk != member.user_id:
            raise ValidationError(_("Only the invited person may answer an invitation."))
    elif member.state != Member.State.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    was_request = member.state == Member.State.REQUESTED
    if accept:
        member.state, member.start = Member.State.ACTIVE, timezone.localdate()
    else:
        member.state = Member.State.REFUSED
    member.save()
    if was_request:
        context = {
            "member": member,
            "commission": member.commission,
            "accepted": accept,
            "url": _site_url(reverse("commissions:commission", args=[member.commission.slug])),
            "network_name": settings.MAILLAGE_NETWORK_NAME,
        }
        subject = (
            _("Welcome to the commission “%(name)s”")
            if accept
            else _("Your request to join the commission “%(name)s”")
        )
        email_queue(
            to=[member.user.email],
            subject=subject % {"name": member.commission.name},
            text=render_to_string("commissions/email/decision.txt", context),
            key=f"commissions:decision:{member.pk}",
        )
    return member


def _keep_a_convener(member: Member) -> None:
    if (
        member.state == Member.State.ACTIVE
        and member.role == Member.Role.CONVENER
        and _conveners_count(member.commission) <= 1
    ):
        raise ValidationError(_("A commission keeps at least one convener: name another one first."))


@transaction.atomic
def member_leave(*, member: Member) -> Member:
    """A member leaves (or withdraws a request); the row stays, with its end date, for history."""
    member = Member.objects.select_for_update().select_related("commission").get(pk=member.pk)
    if member.state not in OPEN_STATES:
        raise ValidationError(_("This person is not a member of the commission."))
    _keep_a_convener(member)
    member.state, member.end = Member.State.LEFT, timezone.localdate()
    member.save()
    return member


@transaction.atomic
def member_set_role(*, member: Member, role: str) -> Member:
    member = Member.objects.select_for_update().select_related("commission").get(pk=member.pk)
    if member.state != Member.State.ACTIVE:
        raise ValidationError(_("Only an active member may take a role."))
    if role not in Member.Role.values:
        raise ValidationError(_("Unknown role."))
    if role != member.role:
        _keep_a_convener(member)
        member.role = role
        member.save()
    return member


# Meetings --------------------------------------------------------------------------------


def _meeting_check(meeting: Meeting) -> None:
    errors: dict[str, Any] = {}
    if not meeting.place.strip() and not meeting.video_url.strip():
        errors["place"] = _("Give a place, a video link, or both.")
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if errors:
        raise ValidationError(errors)
    meeting.full_clean()


@transaction.atomic
def meeting_create(*, commission: Commission, **fields: Any) -> Meeting:
    meeting = Meeting(
        commission=commission, **{name: fields[name] for name in MEETING_FIELDS if name in fields}
    )
    _meeting_check(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields: Any) -> Meeting:
    """Change the meeting; the calendar revision goes up when anything a calendar shows changed,
    so that calendar clients replace the event rather than keep the old one."""
    changed = False
    for name in MEETING_FIELDS:
        if name in fields and getattr(meeting, name) != fields[name]:
            setattr(meeting, name, fields[name])
            changed = True
    if changed:
        _meeting_check(meeting)
        meeting.sequence += 1
        meeting.save()
    return meeting


def _active_member(meeting: Meeting, member: Member) -> None:
    if member.commission_id != meeting.commission_id or member.state != Member.State.ACTIVE:
        raise ValidationError(_("Only the commission's members take part in its meetings."))


@transaction.atomic
def registration_set(*, meeting: Meeting, member: Member, answer: str) -> Registration:
    """A member says they will attend, or sends their apologies, before the meeting."""
    _active_member(meeting, member)
    if answer not in Registration.Answer.values:
        raise ValidationError(_("Unknown answer."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("The meeting has started: registrations are closed."))
    registration, _created = Registration.objects.update_or_create(
        meeting=meeting, member=member, defaults={"answer": answer}
    )
    return registration


@transaction.atomic
def attendance_mark(*, meeting: Meeting, present: Iterable[Member]) -> int:
    """The convener records who came: the members in ``present`` attended, every other
    registered member did not. Returns the number present."""
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the meeting has started."))
    present = list(present)
    for member in present:
        if member.commission_id != meeting.commission_id:
            raise ValidationError(_("Only the commission's members take part in its meetings."))
    present_ids = {member.pk for member in present}
    meeting.registrations.exclude(member_id__in=present_ids).update(attended=False, updated_at=timezone.now())
    for member in present:
        Registration.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={"attended": True},
            create_defaults={"attended": True, "answer": Registration.Answer.ATTENDING},
        )
    return len(present_ids)


def minutes_clean(text: str) -> str:
    """The minutes as safe HTML: plain text becomes paragraphs; HTML keeps only simple rich
    text (no script, no event attribute, no style), and links get ``rel="noopener …"``."""
    text = text.strip()
    if not _HAS_TAG.search(text):
        text = linebreaks(escape(text))
    return nh3.clean(
        text,
        tags=MINUTES_TAGS,
        attributes=MINUTES_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


@transaction.atomic
def minutes_save(*, meeting: Meeting, minutes: str, public: bool = False) -> Meeting:
    if meeting.starts_at > timezone.now():
        raise ValidationError({"minutes": _("The minutes are written after the meeting.")})
    meeting.minutes = minutes_clean(minutes)
    meeting.minutes_public = public and bool(meeting.minutes)
    meeting.save(update_fields=["minutes", "minutes_public", "updated_at"])
    return meeting


@transaction.atomic
def outcome_add(
    *,
    meeting: Meeting,
    kind: str,
    text: str,
    owner: Member | None = None,
    due_on: datetime.date | None = None,
) -> Outcome:
    """A decision or an action of the meeting. Only an action has an owner and a due date."""
    if not text.strip():
        raise ValidationError({"text": _("Describe the decision or the action.")})
    if kind == Outcome.Kind.DECISION:
        owner, due_on = None, None
    elif owner is not None:
        _active_member(meeting, owner)
    outcome = Outcome(meeting=meeting, kind=kind, text=text.strip(), owner=owner, due_on=due_on)
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def outcome_set_status(*, outcome: Outcome, status: str) -> Outcome:
    if status not in Outcome.Status.values:
        raise ValidationError(_("Unknown status."))
    if outcome.status != status:
        outcome.status = status
        outcome.save(update_fields=["status", "updated_at"])
    return outcome


# Reads -----------------------------------------------------------------------------------


def open_actions(commission: Commission, before: Meeting | None = None) -> QuerySet[Outcome]:
    """The actions still to do, oldest first. With ``before``, those of earlier meetings only:
    what a meeting carries over from the previous ones."""
    actions = Outcome.objects.filter(
        meeting__commission=commission, kind=Outcome.Kind.ACTION, status=Outcome.Status.OPEN
    )
    if before is not None:
        actions = actions.filter(meeting__starts_at__lt=before.starts_at)
    return actions.select_related("meeting", "owner__user").order_by("meeting__starts_at", "pk")


def _count(queryset: QuerySet[Any], field: str) -> Coalesce:
    """A subquery counting the rows of ``queryset`` per commission (``field`` leads to it)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def activity(commission: Commission, year: int) -> dict[str, Any]:
    """The year's figures of a commission, for the network's activity report, in one query:
    meetings held (started before now), the attendance rate (of the attendances recorded at
    those meetings, the share present), documents added, decisions and actions taken."""
    now = timezone.now()
    held = Q(meeting__starts_at__year=year, meeting__starts_at__lte=now)
    meetings = Meeting.objects.filter(starts_at__year=year, starts_at__lte=now)
    marked = Registration.objects.filter(held, attended__isnull=False)
    outcomes = Outcome.objects.filter(held)
    figures = (
        Commission.objects.filter(pk=commission.pk)
        .annotate(
            meetings_held=_count(meetings, "commission"),
            attendances=_count(marked.filter(attended=True), "meeting__commission"),
            attendances_recorded=_count(marked, "meeting__commission"),
            documents_added=_count(Document.objects.filter(created_at__year=year), "commission"),
            decisions=_count(outcomes.filter(kind=Outcome.Kind.DECISION), "meeting__commission"),
            actions=_count(outcomes.filter(kind=Outcome.Kind.ACTION), "meeting__commission"),
            actions_done=_count(
                outcomes.filter(kind=Outcome.Kind.ACTION, status=Outcome.Status.DONE), "meeting__commission"
            ),
        )
        .values(
            "meetings_held",
            "attendances",
            "attendances_recorded",
            "documents_added",
            "decisions",
            "actions",
            "actions_done",
        )
        .get()
    )
    recorded = figures["attendances_recorded"]
    figures["attendance_rate"] = round(100 * figures["attendances"] / recorded) if recorded else None
    figures["year"] = year
    return figures
