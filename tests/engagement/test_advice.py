"""Advice sessions: a period cut into slots, booking one (first come, first served, one per
person and per session), cancelling, the confirmation e-mail, the pages."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.engagement import services_trainings as trainings
from maillage.engagement.models import AdviceSlot, Event
from tests.access import BACK_OFFICE, LOGIN, assert_access, make_user

pytestmark = pytest.mark.django_db


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def session(event_factory):
    return event_factory(kind=Event.Kind.ADVICE, title="Permanence conseil à Toulouse", capacity=None)


@pytest.fixture
def day():
    return timezone.localdate() + datetime.timedelta(days=7)


def test_a_period_is_cut_into_slots(session, users, day):
    slots = trainings.slots_create(session, users["staff"], _local(day, 9), _local(day, 11, 50), 30)
    starts = [timezone.localtime(s.starts_at).time() for s in slots]
    assert starts == [
        datetime.time(9),
        datetime.time(9, 30),
        datetime.time(10),
        datetime.time(10, 30),
        datetime.time(11),
    ]
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=30) for s in slots)
    assert all(s.event == session and s.adviser == users["staff"] for s in slots)
    with pytest.raises(ValidationError):
        trainings.slots_create(session, users["staff"], _local(day, 9), _local(day, 9, 20), 30)
    with pytest.raises(ValidationError):
        trainings.slots_create(None, users["staff"], _local(day, 10), _local(day, 9), 30)


def test_booking_a_slot_and_the_confirmation(session, users, day, django_capture_on_commit_callbacks):
    slot, _other = trainings.slots_create(session, users["staff"], _local(day, 9), _local(day, 10), 30)
    holder = users["registered"]
    with django_capture_on_commit_callbacks(execute=True):
        trainings.slot_book(slot, holder, "Un projet d’école au Sénégal.")
    slot.refresh_from_db()
    assert slot.booked_by == holder and slot.booked_at is not None
    assert slot.topic == "Un projet d’école au Sénégal."
    latest = slot.history.first()  # the conditional update is in the history too
    assert latest.booked_by_id == holder.pk and latest.history_user_id == holder.pk
    assert [m.to for m in mail.outbox] == [[holder.email]]
    assert "Sénégal" in mail.outbox[0].body


def test_double_booking_is_refused(session, users, day):
    slot = trainings.slots_create(session, users["staff"], _local(day, 9), _local(day, 9, 30), 30)[0]
    trainings.slot_book(slot, users["registered"], "")
    stale = AdviceSlot.objects.get(pk=slot.pk)
    with pytest.raises(ValidationError):
        trainings.slot_book(stale, users["organisation_editor"], "")
    slot.refresh_from_db()
    assert slot.booked_by == users["registered"]


def test_one_slot_per_person_and_per_session(session, event_factory, users, day):
    first, second = trainings.slots_create(session, users["staff"], _local(day, 9), _local(day, 10), 30)
    trainings.slot_book(first, users["registered"])
    with pytest.raises(ValidationError):
        trainings.slot_book(second, users["registered"])
    assert AdviceSlot.objects.filter(booked_by=users["registered"]).count() == 1
    # Another session: another slot is allowed.
    elsewhere = event_factory(kind=Event.Kind.ADVICE, title="Permanence conseil à Albi")
    [third] = trainings.slots_create(elsewhere, users["staff"], _local(day, 14), _local(day, 14, 30), 30)
    trainings.slot_book(third, users["registered"])
    # Cancelled, the slot is free again and its booker may book another.
    trainings.slot_cancel(first)
    first.refresh_from_db()
    assert first.booked_by is None and first.topic == ""
    trainings.slot_book(second, users["registered"])


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_at_once_get_one_slot(event_factory, day):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    session = event_factory(kind=Event.Kind.ADVICE, title="Permanence conseil simultanée")
    adviser = make_user("staff")
    slot = trainings.slots_create(session, adviser, _local(day, 9), _local(day, 9, 30), 30)[0]
    people = [make_user("registered", email=f"porteur{i}@example.org") for i in range(2)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def book(user):
        try:
            barrier.wait()
            trainings.slot_book(AdviceSlot.objects.get(pk=slot.pk), user)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=[p]) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]


def test_the_public_page_and_booking(client, session, users, day):
    trainings.slots_create(session, users["staff"], _local(day, 9), _local(day, 10), 30)
    url = reverse("engagement:slots", args=[session.slug])
    with CaptureQueriesContext(connection) as visitor_queries:
        page = client.get(url)
    assert page.status_code == 200
    first = AdviceSlot.objects.filter(event=session).first()
    book_url = reverse("engagement:slot_book", args=[first.pk])
    assert book_url not in page.content.decode()  # a visitor is asked to log in
    trainings.slots_create(session, users["staff"], _local(day, 14), _local(day, 16), 30)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(visitor_queries)

    response = client.post(book_url, {"topic": "Questions"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(users["registered"])
    assert book_url in client.get(url).content.decode()
    assert client.get(book_url).status_code == 200
    assert client.post(book_url, {"topic": "Un jumelage"}).status_code == 302
    first.refresh_from_db()
    assert first.booked_by == users["registered"]
    client.force_login(users["organisation_editor"])
    client.post(book_url, {"topic": "Moi aussi"})
    first.refresh_from_db()
    assert first.booked_by == users["registered"]
    client.force_login(users["registered"])
    assert client.post(book_url, {"action": "cancel"}).status_code == 302
    first.refresh_from_db()
    assert first.booked_by is None


def test_slots_manage_by_role(client, session, users, day):
    url = reverse("engagement_staff:slots_manage", args=[session.pk])
    assert_access(client, users, url, expected=BACK_OFFICE)
    data = {"action": "create", "date": day.isoformat(), "start": "09:00", "end": "10:00", "duration": 20}
    team = {**BACK_OFFICE, "auditor": 403, "staff": 302, "administrator": 302}
    assert_access(client, users, url, method="post", data=data, expected=team)
    assert AdviceSlot.objects.filter(event=session).count() == 2 * 3  # staff, then administrator
    assert team["visitor"] == LOGIN
