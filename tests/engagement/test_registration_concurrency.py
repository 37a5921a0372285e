"""No overbooking under concurrency (PostgreSQL): twenty registrations at once for an event of
five seats leave exactly five confirmed and fifteen on the waiting list. The event row is locked
before the seats are counted; SQLite serialises writers, so the proof needs PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from maillage.engagement.models import Registration
from maillage.engagement.services_registrations import registration_create, seats_left

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proved on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 20
SEATS = 5


def test_twenty_registrations_at_once_for_five_seats(event_factory):
    event = event_factory(capacity=SEATS)
    category = event.categories.get()
    barrier = threading.Barrier(THREADS)
    created, crashes = [], []

    def run(number):
        try:
            barrier.wait()
            created.append(
                registration_create(
                    event=event,
                    category=category,
                    email=f"personne{number}@example.org",
                    attendees=[("Prénom", f"Nom{number}", "")],
                )
            )
        except Exception as error:  # noqa: BLE001 — reported below, never swallowed
            crashes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not crashes, crashes
    assert len(created) == THREADS
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == SEATS
    assert statuses.count(Registration.Status.WAITING) == THREADS - SEATS
    assert seats_left(event) == 0
