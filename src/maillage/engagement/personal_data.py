"""The personal data of the agenda: a user's registrations (and the people they registered),
their answers, their feedback and their advice bookings. Erasure keeps the counts (an event had
so many participants, a slot was booked) without the names, addresses and free text."""

from typing import Any

from django.db.models import Q

from maillage.accounts.models import User
from maillage.core.privacy import history_scrub
from maillage.engagement.models import AdviceSlot, Attendee, Feedback, Registration


def _registrations(user: User) -> Any:
    return Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email)).select_related("event")


def export(user: User) -> dict[str, Any]:
    return {
        "registrations": [
            {
                "event": registration.event.title,
                "status": registration.status,
                "email": registration.email,
                "answers": registration.answers,
                "attendees": [
                    {"first_name": a.first_name, "last_name": a.last_name, "email": a.email}
                    for a in registration.attendees.all()
                ],
            }
            for registration in _registrations(user).prefetch_related("attendees")
        ],
        "feedback": [
            {"event": f.attendee.registration.event.title, "comment": f.comment}
            for f in Feedback.objects.filter(attendee__registration__in=_registrations(user)).select_related(
                "attendee__registration__event"
            )
        ],
        "advice_bookings": [
            {"starts_at": slot.starts_at.isoformat(), "topic": slot.topic}
            for slot in AdviceSlot.objects.filter(booked_by=user)
        ],
    }


def erase(user: User) -> None:
    for registration in _registrations(user):
        anonymous: dict[str, Any] = {
            "email": f"anonyme-{registration.pk}@invalid.invalid",
            "answers": {},
            "user_id": None,
        }
        Registration.objects.filter(pk=registration.pk).update(**anonymous)
        history_scrub(Registration, registration.pk, anonymous)
        Attendee.objects.filter(registration=registration).update(
            first_name="Personne", last_name="anonymisée", email=""
        )
        Feedback.objects.filter(attendee__registration=registration).update(comment="")
    for slot in AdviceSlot.objects.filter(booked_by=user):
        AdviceSlot.objects.filter(pk=slot.pk).update(topic="")
        history_scrub(AdviceSlot, slot.pk, {"topic": ""})
