"""Shared fixtures of the engagement tests: an event factory and a staff user."""

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from maillage.engagement.models import Event, TicketCategory
from tests.access import make_user

_numbers = itertools.count(1)


@pytest.fixture
def staff(db):
    """A staff member (back office, with TOTP)."""
    return make_user("staff", email="agenda.staff@example.org")


@pytest.fixture
def event_factory(reference_data) -> Callable[..., Event]:
    """``event_factory(**fields)``: a published event tomorrow at 9:00 in Toulouse (commune
    31555), for 2 hours, capacity 30 and one free ticket category, unless told otherwise.

    Special keywords: ``categories`` (a list of dicts of TicketCategory fields; ``[]`` for
    none), ``themes`` and ``organisers`` (iterables set on the M2M)."""

    def make(**fields: Any) -> Event:
        number = next(_numbers)
        categories = fields.pop("categories", None)
        themes = fields.pop("themes", ())
        organisers = fields.pop("organisers", ())
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        starts_at = fields.pop(
            "starts_at",
            datetime.datetime.combine(tomorrow, datetime.time(9), tzinfo=timezone.get_current_timezone()),
        )
        values: dict[str, Any] = {
            "slug": f"evenement-{number}",
            "title": f"Événement {number}",
            "kind": Event.Kind.CONFERENCE,
            "status": Event.Status.PUBLISHED,
            "summary": "Une rencontre du réseau.",
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "place": "Salle des fêtes",
            "commune_id": "31555",
            "capacity": 30,
        }
        if "commune" in fields:
            del values["commune_id"]
        values.update(fields)
        event = Event.objects.create(**values)
        if categories is None:
            categories = [{"name": "Entrée libre", "price": 0}]
        for position, category in enumerate(categories):
            TicketCategory.objects.create(event=event, position=position, **category)
        if themes:
            event.themes.set(themes)
        if organisers:
            event.organisers.set(organisers)
        return event

    return make
