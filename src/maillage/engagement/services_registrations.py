"""Registrations: seats (counted in attendees, per event and per ticket category), the waiting
list in order of arrival, freed seats offered for a limited time, self-service cancellation and
check-in at the door.

Every change of who holds a seat locks the event row first (``select_for_update``), so two
registrations arriving at the same time are counted one after the other and an event is never
overbooked (SQLite serialises writers anyway). E-mails are queued with a key: none is ever sent
twice, whichever page or task triggers it."""

import datetime
import re
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import ical
from maillage.core.emails import email_queue
from maillage.core.money import euros
from maillage.directory.models import Organisation
from maillage.engagement.models import Attendee, Event, Registration, TicketCategory

MAX_ATTENDEES = 10
TOKEN = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
Status = Registration.Status


def _site_url(path: str) -> str:
    return str(settings.MAILLAGE_SITE_URL).rstrip("/") + path


# Seats ---------------------------------------------------------------------------------------


def _taken(event: Event) -> tuple[int, Counter[int | None]]:
    """Seats held (confirmed and offered registrations), in all and per category id."""
    rows = (
        Attendee.objects.filter(registration__event=event, registration__status__in=Registration.HOLDING)
        .values("registration__category_id")
        .annotate(seats=Count("pk"))
    )
    per_category: Counter[int | None] = Counter(
        {row["registration__category_id"]: row["seats"] for row in rows}
    )
    return sum(per_category.values()), per_category


def _left(
    event: Event, category: TicketCategory | None, taken: tuple[int, Counter[int | None]]
) -> int | None:
    total, per_category = taken
    limits = []
    if event.capacity is not None:
        limits.append(event.capacity - total)
    if category is not None and category.capacity is not None:
        limits.append(category.capacity - per_category[category.pk])
    return max(0, min(limits)) if limits else None


def seats_left(event: Event, category: TicketCategory | None = None) -> int | None:
    """The seats still free for the event (and the category, when given: both capacities
    apply); None when there is no limit."""
    return _left(event, category, _taken(event))


def categories_seats_left(event: Event, categories: Sequence[TicketCategory]) -> dict[int, int | None]:
    """The seats left per category id (one count for them all)."""
    taken = _taken(event)
    return {category.pk: _left(event, category, taken) for category in categories}


def registration_open(event: Event, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        event.status == Event.Status.PUBLISHED
        and event.registration
        and event.starts_at > now
        and (event.registration_closes_at is None or event.registration_closes_at > now)
    )


# Registering ---------------------------------------------------------------------------------


def _check(
    event: Event,
    category: TicketCategory | None,
    email: str,
    attendees: Sequence[tuple[str, str, str]],
    answers: Mapping[str, str],
    organisation: Organisation | None,
) -> None:
    if not registration_open(event):
        raise ValidationError(_("Registrations for this event are closed."), code="closed")
    if category is None:
        if event.categories.exists():
            raise ValidationError(_("Choose a ticket category."), code="category")
    elif category.event_id != event.pk:
        raise ValidationError(_("This ticket category is not one of this event."), code="category")
    validate_email(email)
    if not 1 <= len(attendees) <= MAX_ATTENDEES:
        raise ValidationError(
            _("A registration is for 1 to %(max)d people.") % {"max": MAX_ATTENDEES}, code="attendees"
        )
    for first_name, last_name, _email in attendees:
        if not first_name.strip() or not last_name.strip():
            raise ValidationError(_("Give the first and last name of every attendee."), code="attendees")
    if category is not None and category.members_only and not (organisation and organisation.is_member):
        raise ValidationError(
            _("The category “%(category)s” is reserved to member organisations of the network.")
            % {"category": category.name},
            code="members_only",
        )
    for question in event.questions.filter(required=True):
        if not str(answers.get(str(question.pk), "")).strip():
            raise ValidationError(
                _("Please answer the question “%(question)s”.") % {"question": question.label},
                code="answer_required",
            )


def _duplicate() -> ValidationError:
    return ValidationError(_("This address is already registered for this event."), code="duplicate")


def registration_create(
    *,
    event: Event,
    category: TicketCategory | None,
    email: str,
    attendees: Sequence[tuple[str, str, str]],
    answers: Mapping[str, str] | None = None,
    user: Any = None,
    organisation: Organisation | None = None,
) -> Registration:
    """Register ``attendees`` (first name, last name, e-mail) with ``email`` as the contact.

    Confirmed when there are enough seats left, on the waiting list otherwise (the caller tells
    the registrant: ``registration.status``). The event row is locked before the seats are
    counted, so concurrent registrations never overbook."""
    email = email.strip().lower()
    answers = {key: str(value).strip() for key, value in (answers or {}).items()}
    _check(event, category, email, attendees, answers, organisation)
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event.pk)
            if event.registrations.filter(email=email).exclude(status=Status.CANCELLED).exists():
                raise _duplicate()
            left = _left(event, category, _taken(event))
            status = Status.CONFIRMED if left is None or left >= len(attendees) else Status.WAITING
            price = category.price if category is not None else 0
            registration = Registration.objects.create(
                event=event,
                category=category,
                user=user if user is not None and user.is_authenticated else None,
                email=email,
                organisation=organisation,
                status=status,
                answers=answers,
                amount=price * len(attendees),
            )
            Attendee.objects.bulk_create(
                Attendee(
                    registration=registration,
                    first_name=first.strip(),
                    last_name=last.strip(),
                    email=(mail or "").strip().lower(),
                )
                for first, last, mail in attendees
            )
            _notify(registration)
    except IntegrityError as exc:  # the unique constraint, when two arrive at once (PostgreSQL)
        raise _duplicate() from exc
    return registration


# Cancelling, offering freed seats, accepting ---------------------------------------------------


def registration_cancel(registration: Registration) -> Registration:
    """Self-service cancellation (until the event starts): the seats it held go to the
    waiting list."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration.refresh_from_db()
        if registration.status == Status.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."), code="cancelled")
        if event.starts_at <= timezone.now():
            raise ValidationError(_("The event has started: it is too late to cancel."), code="started")
        held = registration.status in Registration.HOLDING
        _cancel(registration)
        _email(registration, "cancelled", _("Your registration is cancelled: %(event)s"))
        if held:
            offer_next(event)
    return registration


def _cancel(registration: Registration) -> None:
    registration.status = Status.CANCELLED
    registration.offered_until = None
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "offered_until", "cancelled_at", "updated_at"])


def offer_next(event: Event) -> list[Registration]:
    """Offer the free seats to the waiting list in order of arrival, each for
    ``event.offer_hours`` (never beyond the start of the event). A registration too large
    for the seats left is passed over for the next ones, which may fit."""
    offered: list[Registration] = []
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        now = timezone.now()
        if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
            return offered
        total, per_category = _taken(event)
        until = min(now + datetime.timedelta(hours=event.offer_hours), event.starts_at)
        waiting = (
            event.registrations.filter(status=Status.WAITING)
            .select_related("category", "event")
            .annotate(seats=Count("attendees"))
            .order_by("created_at", "pk")
        )
        for registration in waiting:
            left = _left(event, registration.category, (total, per_category))
            if left is not None and left < registration.seats:
                continue
            registration.status = Status.OFFERED
            registration.offered_until = until
            registration.save(update_fields=["status", "offered_until", "updated_at"])
            total += registration.seats
            per_category[registration.category_id] += registration.seats
            _notify(registration)
            offered.append(registration)
    return offered


def accept_offer(registration: Registration) -> Registration:
    """Take the offered seat before the deadline; after it, the offer is cancelled, the seat
    goes to the next on the waiting list and the registrant is told it expired."""
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=registration.event_id)
        registration.refresh_from_db()
        if registration.status != Status.OFFERED:
            raise ValidationError(_("No seat is offered to this registration."), code="not_offered")
        expired = registration.offered_until is None or registration.offered_until <= timezone.now()
        if not expired:
            registration.status = Status.CONFIRMED
            registration.offered_until = None
            registration.save(update_fields=["status", "offered_until", "updated_at"])
            _notify(registration)
            return registration
    offer_expire(registration)
    raise ValidationError(_("This offer has expired."), code="expired")


def offer_expire(registration: Registration) -> bool:
    """Cancel an offer whose deadline passed, tell the registrant, offer the seats to the next."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration.refresh_from_db()
        if registration.status != Status.OFFERED or (
            registration.offered_until and registration.offered_until > timezone.now()
        ):
            return False
        _cancel(registration)
        _email(registration, "offer_expired", _("The seat offered has gone: %(event)s"))
        offer_next(event)
    return True


def offers_expire() -> int:
    """The periodic task: every expired offer is cancelled and its seats offered on."""
    expired = Registration.objects.filter(status=Status.OFFERED, offered_until__lte=timezone.now())
    return sum(offer_expire(registration) for registration in expired.order_by("offered_until", "pk"))


# Check-in --------------------------------------------------------------------------------------


def check_in(attendee: Attendee) -> bool:
    """Mark the attendee present at the door (once: the first time is kept). Only confirmed
    registrations are checked in."""
    if attendee.registration.status != Status.CONFIRMED:
        raise ValidationError(_("This registration is not confirmed."), code="not_confirmed")
    updated = Attendee.objects.filter(pk=attendee.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now()
    )
    attendee.refresh_from_db(fields=["checked_in_at"])
    return bool(updated)


def attendees_search(event: Event, query: str) -> Any:
    """Attendees of the event's non-cancelled registrations matching a name, an e-mail or a
    registration code."""
    attendees = Attendee.objects.filter(registration__event=event).exclude(
        registration__status=Status.CANCELLED
    )
    query = query.strip()
    if not query:
        return attendees.none()
    matches = Q(registration__email__icontains=query) | Q(email__icontains=query)
    for word in query.split():
        matches |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    words = query.split()
    if len(words) > 1:  # « Marie Curie »: every word in the name
        every = Q()
        for word in words:
            every &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        matches = every | Q(registration__email__icontains=query)
    token = TOKEN.search(query)  # a code typed, scanned, or the link of the QR code
    if token:
        matches |= Q(registration__token=uuid.UUID(token.group(0)))
    return attendees.filter(matches).select_related("registration", "registration__category")


# E-mails ---------------------------------------------------------------------------------------


def event_ics(event: Event) -> bytes:
    """The event as an iCalendar file (RFC 5545), attached to the confirmation e-mail."""
    location = ", ".join(part for part in (event.place, str(event.commune or "")) if part)
    vevent = ical.vevent(
        uid=event.ical_uid,
        stamp=ical.stamp(),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        sequence=event.sequence,
        summary=event.title,
        location=location or event.online_url,
        url=_site_url(reverse("engagement:event", args=[event.slug])),
        description=event.summary,
    )
    return ical.calendar(event.title, [vevent], product="Maillage agenda")


def _notify(registration: Registration) -> None:
    """The e-mail that goes with the registration's current status."""
    if registration.status == Status.CONFIRMED:
        _email(
            registration,
            "confirmed",
            _("Your registration is confirmed: %(event)s"),
            attachments=[("evenement.ics", event_ics(registration.event), "text/calendar")],
        )
    elif registration.status == Status.WAITING:
        _email(registration, "waiting", _("You are on the waiting list: %(event)s"))
    elif registration.status == Status.OFFERED:
        _email(registration, "offered", _("A seat is free for you: %(event)s"))


def _email(
    registration: Registration,
    kind: str,
    subject: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "attendees": list(registration.attendees.all()),
        "amount": euros(registration.amount) if registration.amount else "",
        "registration_url": _site_url(reverse("engagement:registration", args=[registration.token])),
        "event_url": _site_url(reverse("engagement:event", args=[event.slug])),
        "network_name": settings.MAILLAGE_NETWORK_NAME,
    }
    email_queue(
        to=[registration.email],
        subject=subject % {"event": event.title},
        text=render_to_string(f"engagement/email/registration_{kind}.txt", context),
        attachments=attachments,
        key=f"engagement.registration.{registration.pk}.{kind}",
    )
