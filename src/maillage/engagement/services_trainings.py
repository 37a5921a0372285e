"""Trainings and advice sessions: half-days and attendance (the sheet signed at the door or
marked by the trainer), certificates for those who attended, the satisfaction questionnaire
(sent once, answered once) and advice slots that project holders book.

Every write goes through here, so that the rules (once only, never twice, first come first
served) hold whichever page or task does the writing."""

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from maillage.accounts.models import User
from maillage.core.emails import email_queue_template
from maillage.core.models import OutgoingEmail
from maillage.core.pdf import render_pdf
from maillage.engagement.models import (
    AdviceSlot,
    Attendance,
    Attendee,
    Event,
    Feedback,
    HalfDay,
    Registration,
)

DEFAULT_HALF_DAY_HOURS = Decimal("3.5")
NOON = datetime.time(12, 0)
RATINGS = ("overall", "content", "trainer", "organisation")  # the questionnaire's questions


def _site_url(path: str) -> str:
    return str(settings.MAILLAGE_SITE_URL).rstrip("/") + path


# Half-days and attendance -------------------------------------------------------------------


def half_day_periods(event: Event) -> list[tuple[datetime.date, str]]:
    """The (date, period) of every half-day the training's dates cover, in local time: a morning
    and an afternoon per day, except a morning on a first day starting after noon and an
    afternoon on a last day ending by noon."""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    periods = []
    day = start.date()
    while day <= end.date():
        if not (day == start.date() and start.time() >= NOON):
            periods.append((day, HalfDay.Period.MORNING.value))
        if not (day == end.date() and end.time() <= NOON):
            periods.append((day, HalfDay.Period.AFTERNOON.value))
        day += datetime.timedelta(days=1)
    return periods


def half_days_ensure(event: Event) -> list[HalfDay]:
    """The training's half-days, created from its dates when missing. Hours are 3.5 each, or the
    training's duration shared between its half-days when it is set; half-days already there
    keep their hours (the trainer may have corrected them)."""
    periods = half_day_periods(event)
    hours = DEFAULT_HALF_DAY_HOURS
    if event.duration_hours and periods:
        hours = (Decimal(event.duration_hours) / len(periods)).quantize(Decimal("0.01"))
    existing = {(h.date, h.period) for h in event.half_days.all()}
    HalfDay.objects.bulk_create(
        [HalfDay(event=event, date=d, period=p, hours=hours) for d, p in periods if (d, p) not in existing],
        ignore_conflicts=True,  # two staff members opening the sheet at once
    )
    return list(event.half_days.order_by("date", "period"))


def _check_same_event(half_day: HalfDay, attendee: Attendee) -> None:
    if half_day.event_id != attendee.registration.event_id:
        raise ValidationError(_("This person is not registered for this training."))


def attendance_mark(half_day: HalfDay, attendee: Attendee, present: bool, by: User | None) -> Attendance:
    """The trainer or the staff mark someone present or absent for a half-day."""
    _check_same_event(half_day, attendee)
    attendance, _created = Attendance.objects.update_or_create(
        half_day=half_day, attendee=attendee, defaults={"present": present, "marked_by": by}
    )
    return attendance


def attendance_sign(half_day: HalfDay, attendee: Attendee) -> Attendance:
    """The trainee signs the sheet at the door: present, with the time of the signature (the
    first one is kept)."""
    _check_same_event(half_day, attendee)
    attendance, _created = Attendance.objects.get_or_create(
        half_day=half_day, attendee=attendee, defaults={"present": True, "signed_at": timezone.now()}
    )
    if not attendance.present or attendance.signed_at is None:
        attendance.present = True
        attendance.signed_at = attendance.signed_at or timezone.now()
        attendance.save(update_fields=["present", "signed_at"])
    return attendance


def attended_hours(attendee: Attendee) -> Decimal:
    total = Attendance.objects.filter(attendee=attendee, present=True).aggregate(
        hours=Sum("half_day__hours")
    )["hours"]
    return Decimal(total or 0)


def total_hours(event: Event) -> Decimal:
    return Decimal(event.half_days.aggregate(hours=Sum("hours"))["hours"] or 0)


def hours_text(hours: Decimal) -> str:
    """Hours as people write them: « 3,5 », « 14 » (no trailing zeros)."""
    return number_format(Decimal(format(Decimal(hours).normalize(), "f")))


def attended(attendee: Attendee) -> bool:
    """Present at least one half-day."""
    return Attendance.objects.filter(attendee=attendee, present=True).exists()


def attendees_of(event: Event) -> Any:
    """The people of the training's confirmed registrations, by name."""
    return (
        Attendee.objects.filter(registration__event=event, registration__status=Registration.Status.CONFIRMED)
        .select_related("registration")
        .order_by("last_name", "first_name", "pk")
    )


def attendees_who_attended(event: Event) -> Any:
    return attendees_of(event).filter(attendances__present=True).distinct()


# Certificates -------------------------------------------------------------------------------


def certificate_context(attendee: Attendee) -> dict[str, Any]:
    """What the certificate says; refused for someone who attended no half-day."""
    if not attended(attendee):
        raise ValidationError(_("A certificate is only issued to someone who attended the training."))
    event = attendee.registration.event
    return {
        "network_name": settings.MAILLAGE_NETWORK_NAME,
        "attendee": attendee,
        "event": event,
        "hours": hours_text(attended_hours(attendee)),
        "total_hours": hours_text(total_hours(event)),
        "today": timezone.localdate(),
    }


def certificate_html(attendee: Attendee) -> str:
    return render_to_string("engagement/pdf/certificate.html", certificate_context(attendee))


def certificate_pdf(attendee: Attendee) -> bytes:
    return render_pdf("engagement/pdf/certificate.html", certificate_context(attendee))


def certificate_filename(attendee: Attendee) -> str:
    name = slugify(f"{attendee.last_name} {attendee.first_name}") or str(attendee.pk)
    return f"attestation-{name}-{attendee.pk}.pdf"


def certificates_zip(event: Event) -> bytes:
    """A zip of the certificates of everyone who attended."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for attendee in attendees_who_attended(event).select_related("registration__event"):
            archive.writestr(certificate_filename(attendee), certificate_pdf(attendee))
    return buffer.getvalue()


# The satisfaction questionnaire -------------------------------------------------------------


def feedback_requests_due(*, days: int = 7) -> int:
    """The questionnaires of the trainings that ended in the last ``days`` days and whose
    attendance was taken: sent to those who attended (each once). Returns how many were queued."""
    now = timezone.now()
    trainings = Event.objects.filter(
        kind=Event.Kind.TRAINING,
        status=Event.Status.PUBLISHED,
        ends_at__lte=now,
        ends_at__gte=now - datetime.timedelta(days=days),
        half_days__attendances__present=True,
    ).distinct()
    return sum(feedback_request_send(event) for event in trainings)


def feedback_request_send(event: Event) -> int:
    """After the training, e-mail each attendee who attended the link to the questionnaire (and
    to the certificate). Once per attendee, however often it is called. Returns how many were
    queued now."""
    if event.ends_at > timezone.now():
        raise ValidationError(_("The questionnaire is sent once the training is over."))
    sent = 0
    for attendee in attendees_who_attended(event):
        key = f"engagement:feedback:{attendee.pk}"
        if OutgoingEmail.objects.filter(key=key).exists():
            continue  # sent already (the outbox's key would refuse it anyway; this counts it right)
        context = {
            "attendee": attendee,
            "event": event,
            "url": _site_url(reverse("engagement:feedback", args=[attendee.feedback_token])),
            "certificate_url": _site_url(reverse("engagement:certificate", args=[attendee.feedback_token])),
        }
        email_queue_template(
            to=[attendee.email or attendee.registration.email],
            template="engagement/email/feedback_request.txt",
            context=context,
            key=key,
        )
        sent += 1
    return sent


def rating_label(name: str) -> str:
    """The question of a rating: its field's name, as a sentence."""
    return capfirst(cast(Any, Feedback._meta.get_field(name)).verbose_name)


def feedback_save(attendee: Attendee, ratings: dict[str, int], comment: str = "") -> Feedback:
    """The trainee's answer, once: a second answer is refused."""
    for name in RATINGS:
        value = ratings.get(name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(_("Each question needs a rating from 1 to 5."))
    if Feedback.objects.filter(attendee=attendee).exists():
        raise ValidationError(_("You have already answered this questionnaire."))
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                attendee=attendee, comment=comment.strip(), **{name: ratings[name] for name in RATINGS}
            )
    except IntegrityError:  # answered twice at the same moment
        raise ValidationError(_("You have already answered this questionnaire.")) from None


def feedback_results(event: Event) -> dict[str, Any]:
    """The averages per question, how many answered, and the comments."""
    answers = Feedback.objects.filter(attendee__registration__event=event)
    figures = answers.aggregate(count=Count("pk"), **{name: Avg(name) for name in RATINGS})
    labels = {name: rating_label(name) for name in RATINGS}
    return {
        "count": figures["count"],
        "averages": [{"name": name, "label": labels[name], "average": figures[name]} for name in RATINGS],
        "comments": list(
            answers.exclude(comment="").order_by("answered_at").values_list("comment", flat=True)
        ),
    }


# Advice slots -------------------------------------------------------------------------------


def slots_create(
    event: Event | None,
    adviser: User,
    start: datetime.datetime,
    end: datetime.datetime,
    duration_minutes: int,
    *,
    place: str = "",
    online_url: str = "",
) -> list[AdviceSlot]:
    """Cut the period from ``start`` to ``end`` into slots of ``duration_minutes`` (a last piece
    too short for a slot is left out)."""
    if duration_minutes <= 0:
        raise ValidationError(_("The duration of a slot must be positive."))
    if end <= start:
        raise ValidationError(_("The end must be after the start."))
    if event is not None:
        place = place or event.place
        online_url = online_url or event.online_url
    step = datetime.timedelta(minutes=duration_minutes)
    slots = []
    current = start
    while current + step <= end:
        slots.append(
            AdviceSlot(
                event=event,
                adviser=adviser,
                starts_at=current,
                ends_at=current + step,
                place=place,
                online_url=online_url,
            )
        )
        current += step
    if not slots:
        raise ValidationError(_("The period is shorter than one slot."))
    return bulk_create_with_history(slots, AdviceSlot, default_user=adviser)


def slot_book(slot: AdviceSlot, user: User, topic: str = "") -> AdviceSlot:
    """Book a free slot. First come, first served: the conditional update books it only if it is
    still free, so two people booking at once cannot both have it. One slot per person and per
    advice session."""
    with transaction.atomic():
        if slot.event_id is not None:
            # Lock the user's row so that one person's two simultaneous bookings queue up.
            User.objects.select_for_update().filter(pk=user.pk).first()
            if AdviceSlot.objects.filter(event_id=slot.event_id, booked_by=user).exists():
                raise ValidationError(_("You have already booked a slot for this advice session."))
        now = timezone.now()
        booked = AdviceSlot.objects.filter(pk=slot.pk, booked_by__isnull=True).update(
            booked_by=user, topic=topic.strip(), booked_at=now, updated_at=now
        )
        if not booked:
            raise ValidationError(_("This slot has just been booked by someone else."))
        slot.refresh_from_db()
        # The conditional update bypasses save(): record the booking in the slot's history.
        AdviceSlot.history.bulk_history_create([slot], update=True, default_user=user)
    _slot_email(
        slot, "engagement/email/slot_booked.txt", key=f"engagement:slot:{slot.pk}:booked:{now.isoformat()}"
    )
    return slot


def slot_cancel(slot: AdviceSlot, by: User | None = None) -> AdviceSlot:
    """Free a booked slot (by the person who booked it or the staff)."""
    booker = slot.booked_by
    if booker is None:
        return slot
    now = timezone.now()
    AdviceSlot.objects.filter(pk=slot.pk).update(booked_by=None, topic="", booked_at=None, updated_at=now)
    cancelled = AdviceSlot.objects.select_related("adviser", "event").get(pk=slot.pk)
    AdviceSlot.history.bulk_history_create([cancelled], update=True, default_user=by)
    _slot_email(
        cancelled,
        "engagement/email/slot_cancelled.txt",
        key=f"engagement:slot:{slot.pk}:cancelled:{now.isoformat()}",
        to=booker,
    )
    return cancelled


def _slot_email(slot: AdviceSlot, template: str, *, key: str, to: User | None = None) -> None:
    user = to or slot.booked_by
    if user is None:
        return
    context: dict[str, Any] = {"slot": slot, "user": user}
    if slot.event is not None:
        context["url"] = _site_url(reverse("engagement:slots", args=[slot.event.slug]))
    email_queue_template(to=[user.email], template=template, context=context, key=key)


def slots_free(event: Event) -> Any:
    return event.slots.filter(booked_by__isnull=True, starts_at__gt=timezone.now()).select_related("adviser")


def slot_of(event: Event, user: User) -> AdviceSlot | None:
    if not user.is_authenticated:
        return None
    return event.slots.filter(booked_by=user).select_related("adviser").first()
