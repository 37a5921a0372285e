"""Registrations: seats per event and category, the waiting list and freed seats, closing,
members-only tickets, questions, the registrant's page, staff lists, exports and check-in."""

import csv
import datetime
import io
from decimal import Decimal

import icalendar
import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import OutgoingEmail
from maillage.directory.models import Organisation
from maillage.engagement import services_registrations as services
from maillage.engagement import tasks
from maillage.engagement.models import Attendee, Question, Registration
from tests.access import BACK_OFFICE, assert_access
from tests.core.test_emails import smtp_server  # noqa: F401 — the real SMTP server fixture

Status = Registration.Status


def people(count: int, prefix: str = "p") -> list[tuple[str, str, str]]:
    return [(f"Prénom{i}", f"Nom{prefix}{i}", f"{prefix}{i}@example.org") for i in range(count)]


def register(event, email: str, seats: int = 1, **fields):
    category = fields.pop("category", event.categories.first())
    return services.registration_create(
        event=event, category=category, email=email, attendees=people(seats, email.split("@")[0]), **fields
    )


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


# Seats and the waiting list ------------------------------------------------------------------


def test_seats_are_counted_in_attendees_of_confirmed_and_offered_registrations(event_factory):
    event = event_factory(capacity=5)
    assert services.seats_left(event) == 5
    first = register(event, "a@example.org", seats=3)
    assert first.status == Status.CONFIRMED and first.attendees.count() == 3
    assert services.seats_left(event) == 2
    too_many = register(event, "b@example.org", seats=3)
    assert too_many.status == Status.WAITING
    assert services.seats_left(event) == 2  # waiting registrations hold no seat
    assert register(event, "c@example.org", seats=2).status == Status.CONFIRMED
    assert services.seats_left(event) == 0


def test_category_capacity_applies_as_well_as_the_event_capacity(event_factory):
    event = event_factory(
        capacity=10,
        categories=[{"name": "Adhérents", "capacity": 2}, {"name": "Public", "price": Decimal("12")}],
    )
    members, public = event.categories.all()
    assert services.seats_left(event, members) == 2
    assert register(event, "a@example.org", seats=2, category=members).status == Status.CONFIRMED
    assert services.seats_left(event, members) == 0
    assert services.seats_left(event, public) == 8
    assert register(event, "b@example.org", category=members).status == Status.WAITING
    paying = register(event, "c@example.org", seats=3, category=public)
    assert paying.status == Status.CONFIRMED and paying.amount == Decimal("36")
    assert services.seats_left(event) == 5
    assert services.seats_left(event, members) == 0


def test_no_capacity_means_no_limit(event_factory):
    event = event_factory(capacity=None)
    assert services.seats_left(event) is None
    assert register(event, "a@example.org", seats=10).status == Status.CONFIRMED


def test_a_cancellation_offers_the_seat_to_the_first_waiting_in_order(
    event_factory, django_capture_on_commit_callbacks
):
    # Far enough ahead that the 24 hours to accept end before the event starts, at any hour.
    event = event_factory(capacity=2, offer_hours=24, starts_at=timezone.now() + datetime.timedelta(days=3))
    holder = register(event, "holder@example.org", seats=2)
    first = register(event, "first@example.org")
    second = register(event, "second@example.org")
    assert [first.status, second.status] == [Status.WAITING, Status.WAITING]

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(holder)
    first.refresh_from_db()
    second.refresh_from_db()
    holder.refresh_from_db()
    assert holder.status == Status.CANCELLED and holder.cancelled_at is not None
    assert first.status == Status.OFFERED and second.status == Status.OFFERED  # 2 seats freed
    assert first.offered_until == second.offered_until
    assert (
        timezone.now() + datetime.timedelta(hours=23)
        < first.offered_until
        <= timezone.now() + datetime.timedelta(hours=24)
    )
    offers = [m for m in mail.outbox if m.to == ["first@example.org"] and str(first.token) in m.body]
    assert offers and reverse("engagement:registration", args=[first.token]) in offers[-1].body


def test_freed_seats_go_in_order_of_arrival(event_factory):
    event = event_factory(capacity=1)
    holder = register(event, "holder@example.org")
    waiting = [register(event, f"w{i}@example.org") for i in range(3)]
    services.registration_cancel(holder)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [Status.OFFERED, Status.WAITING, Status.WAITING]


def test_accept_before_the_deadline_confirms(event_factory):
    event = event_factory(capacity=1)
    holder = register(event, "holder@example.org")
    waiting = register(event, "w@example.org")
    services.registration_cancel(holder)
    waiting.refresh_from_db()
    services.accept_offer(waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED and waiting.offered_until is None
    assert OutgoingEmail.objects.filter(key=f"engagement.registration.{waiting.pk}.confirmed").exists()


def test_accept_after_the_deadline_is_refused_and_the_seat_goes_to_the_next(event_factory):
    event = event_factory(capacity=1)
    holder = register(event, "holder@example.org")
    late = register(event, "late@example.org")
    next_one = register(event, "next@example.org")
    services.registration_cancel(holder)
    Registration.objects.filter(pk=late.pk).update(
        offered_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    late.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.accept_offer(late)
    assert codes(refused.value) == {"expired"}
    late.refresh_from_db()
    next_one.refresh_from_db()
    assert late.status == Status.CANCELLED
    assert next_one.status == Status.OFFERED
    assert OutgoingEmail.objects.filter(key=f"engagement.registration.{late.pk}.offer_expired").count() == 1


def test_the_hourly_task_cancels_expired_offers_and_offers_on(event_factory, settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["engagement-offers-expire"]["task"]
        == "maillage.engagement.tasks.offers_expire"
    )
    event = event_factory(capacity=1)
    holder = register(event, "holder@example.org")
    late = register(event, "late@example.org")
    next_one = register(event, "next@example.org")
    services.registration_cancel(holder)
    assert tasks.offers_expire.delay().get() == 0  # nothing expired yet
    Registration.objects.filter(pk=late.pk).update(offered_until=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.offers_expire.delay().get() == 1
    assert Registration.objects.get(pk=late.pk).status == Status.CANCELLED
    assert Registration.objects.get(pk=next_one.pk).status == Status.OFFERED
    assert tasks.offers_expire.delay().get() == 0  # idempotent


# Refusals ------------------------------------------------------------------------------------


def test_the_same_address_twice_is_refused_until_cancelled(event_factory):
    event = event_factory()
    first = register(event, "awa@example.org")
    with pytest.raises(ValidationError) as refused:
        register(event, "AWA@example.org")
    assert codes(refused.value) == {"duplicate"}
    services.registration_cancel(first)
    assert register(event, "awa@example.org").status == Status.CONFIRMED


@pytest.mark.parametrize(
    "fields",
    [
        {"registration_closes_at": "past"},
        {"starts_at": "past"},
        {"status": "draft"},
        {"status": "cancelled"},
        {"registration": False},
    ],
)
def test_registrations_closed_are_refused(event_factory, fields):
    now = timezone.now()
    values = {
        key: now - datetime.timedelta(hours=1) if value == "past" else value for key, value in fields.items()
    }
    event = event_factory(**values)
    with pytest.raises(ValidationError) as refused:
        register(event, "awa@example.org")
    assert codes(refused.value) == {"closed"}
    assert not Registration.objects.exists()


def test_a_members_only_category_needs_a_member_organisation(event_factory):
    event = event_factory(categories=[{"name": "Adhérents", "members_only": True}])
    outsider = Organisation.objects.create(
        slug="asso-a", name="Asso A", kind=Organisation.Kind.PARTNER, country="FR"
    )
    member = Organisation.objects.create(
        slug="asso-b", name="Asso B", kind=Organisation.Kind.PARTNER, country="FR"
    )
    Organisation.objects.filter(pk=member.pk).update(is_member=True)
    member.refresh_from_db()
    for organisation in (None, outsider):
        with pytest.raises(ValidationError) as refused:
            register(event, "awa@example.org", organisation=organisation)
        assert codes(refused.value) == {"members_only"}
    assert register(event, "awa@example.org", organisation=member).organisation == member


def test_a_required_question_must_be_answered(event_factory):
    event = event_factory()
    question = Question.objects.create(event=event, label="Régime alimentaire", required=True)
    with pytest.raises(ValidationError) as refused:
        register(event, "awa@example.org", answers={str(question.pk): "  "})
    assert codes(refused.value) == {"answer_required"}
    registration = register(event, "awa@example.org", answers={str(question.pk): "Végétarien"})
    assert registration.answers == {str(question.pk): "Végétarien"}


# Pages ---------------------------------------------------------------------------------------


def form_data(event, email="awa@example.org", lines=1, **extra):
    data = {
        "category": event.categories.first().pk,
        "email": email,
        "attendees-TOTAL_FORMS": str(lines),
        "attendees-INITIAL_FORMS": "0",
        "attendees-MIN_NUM_FORMS": "1",
        "attendees-MAX_NUM_FORMS": "10",
        "action": "register",
    }
    for i, (first, last, mail_) in enumerate(people(lines, email.split("@")[0])):
        data |= {
            f"attendees-{i}-first_name": first,
            f"attendees-{i}-last_name": last,
            f"attendees-{i}-email": mail_,
        }
    return data | extra


def test_register_page_confirms_and_sends_the_ics(client, event_factory, django_capture_on_commit_callbacks):
    event = event_factory(capacity=3)
    question = Question.objects.create(event=event, label="Besoins d’accessibilité", required=False)
    url = reverse("engagement:register", args=[event.slug])
    page = client.get(url)
    assert page.status_code == 200 and "Besoins d’accessibilité" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(event, lines=2, **{f"q_{question.pk}": "Rampe"}))
    registration = Registration.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "engagement:registration", args=[registration.token]
    )
    assert registration.status == Status.CONFIRMED and registration.attendees.count() == 2
    assert registration.answers == {str(question.pk): "Rampe"}

    page = client.get(response.url).content.decode()
    assert 'role="img"' in page and "aria-label=" in page and str(registration.token) in page

    confirmations = [m for m in mail.outbox if m.to == ["awa@example.org"]]
    assert len(confirmations) == 1
    ((name, content, mimetype),) = confirmations[0].attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.starts_at
    assert str(event.ical_uid) in str(vevent["uid"])

    # Queued again (another call with the same key): never sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        services._notify(registration)
    assert len([m for m in mail.outbox if m.to == ["awa@example.org"]]) == 1


def test_register_page_tells_of_the_waiting_list(client, event_factory):
    event = event_factory(capacity=1)
    register(event, "first@example.org")
    response = client.post(reverse("engagement:register", args=[event.slug]), form_data(event), follow=True)
    registration = Registration.objects.get(email="awa@example.org")
    assert registration.status == Status.WAITING
    page = response.content.decode()
    assert registration.get_status_display() in page
    assert "1" in page  # number 1 on the waiting list


def test_register_page_refuses_with_the_reason(client, event_factory):
    event = event_factory()
    register(event, "awa@example.org")
    response = client.post(reverse("engagement:register", args=[event.slug]), form_data(event))
    assert response.status_code == 200
    assert Registration.objects.count() == 1
    assert response.context["form"].non_field_errors()


def test_adding_an_attendee_line_works_without_javascript(client, event_factory):
    event = event_factory()
    url = reverse("engagement:register", args=[event.slug])
    response = client.post(url, form_data(event, lines=1, action="more"))
    assert response.status_code == 200 and not Registration.objects.exists()
    assert response.context["attendees"].total_form_count() == 2
    assert 'value="Nomawa0"' in response.content.decode()


def test_closed_registrations_show_no_form(client, event_factory):
    event = event_factory(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(reverse("engagement:register", args=[event.slug]))
    assert response.status_code == 200 and not response.context["is_open"]
    assert 'name="attendees-TOTAL_FORMS"' not in response.content.decode()


def test_draft_event_register_page_is_not_found(client, event_factory):
    event = event_factory(status="draft")
    assert client.get(reverse("engagement:register", args=[event.slug])).status_code == 404


def test_cancel_and_accept_by_the_registrant_links(client, event_factory):
    event = event_factory(capacity=1)
    holder = register(event, "holder@example.org")
    waiting = register(event, "w@example.org")
    assert client.get(reverse("engagement:cancel", args=[holder.token])).status_code == 405
    client.post(reverse("engagement:cancel", args=[holder.token]))
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    page = client.get(reverse("engagement:registration", args=[waiting.token])).content.decode()
    assert reverse("engagement:accept_offer", args=[waiting.token]) in page
    client.post(reverse("engagement:accept_offer", args=[waiting.token]))
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


# Staff pages ---------------------------------------------------------------------------------


TEAM = BACK_OFFICE | {"auditor": 403}


def test_staff_pages_per_role(client, users, event_factory):
    event = event_factory()
    registration = register(event, "awa@example.org")
    attendee = registration.attendees.get()
    assert_access(
        client, users, reverse("engagement_staff:participants", args=[event.pk]), expected=BACK_OFFICE
    )
    for file_format in ("csv", "xlsx"):
        url = reverse("engagement_staff:participants_export", args=[event.pk, file_format])
        assert_access(client, users, url, expected=BACK_OFFICE)
    url = reverse("engagement_staff:check_in", args=[event.pk])
    assert_access(client, users, url, expected=TEAM)
    refused = {role: want for role, want in TEAM.items() if want != 200}
    assert_access(
        client,
        users,
        url,
        method="post",
        data={"attendee": attendee.pk},
        expected=refused | {"staff": 302, "administrator": 302},
    )


def test_participants_list_filters_counts_and_constant_queries(client, staff, event_factory):
    event = event_factory(capacity=3, categories=[{"name": "A"}, {"name": "B"}])
    first_category, second_category = event.categories.all()
    register(event, "a@example.org", seats=2, category=first_category)
    register(event, "b@example.org", seats=2, category=second_category)  # waiting
    register(event, "c@example.org", category=second_category)
    client.force_login(staff)
    url = reverse("engagement_staff:participants", args=[event.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["seats_left"] == 0
    statuses = {value: (count, seats) for value, _label, count, seats in response.context["statuses"]}
    assert statuses[Status.CONFIRMED] == (2, 3) and statuses[Status.WAITING] == (1, 2)
    rows = response.context["rows"]
    assert [r.waiting_number for r in rows] == [None, 1, None]
    assert [r.email for r in client.get(url, {"status": "waiting"}).context["rows"]] == ["b@example.org"]
    assert {r.email for r in client.get(url, {"category": first_category.pk}).context["rows"]} == {
        "a@example.org"
    }

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(5):
        register(event, f"more{i}@example.org", seats=2, category=second_category)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_exports_hold_the_registrations(client, staff, event_factory):
    event = event_factory(categories=[{"name": "Public", "price": Decimal("10")}])
    question = Question.objects.create(event=event, label="Régime", required=False)
    organisation = Organisation.objects.create(
        slug="asso-a", name="Asso A", kind=Organisation.Kind.PARTNER, country="FR"
    )
    registration = register(
        event, "awa@example.org", seats=2, organisation=organisation, answers={str(question.pk): "Végétarien"}
    )
    first = registration.attendees.order_by("pk").first()
    services.check_in(first)
    client.force_login(staff)
    response = client.get(reverse("engagement_staff:participants_export", args=[event.pk, "csv"]))
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, rows = lines[0], lines[1:]
    assert "Régime" in header and len(header) == 12
    assert len(rows) == 2
    row = dict(zip(header, rows[0], strict=True))
    assert row["Régime"] == "Végétarien"
    assert [r[0] for r in rows] == [event.title, event.title]
    assert {r[3] for r in rows} == {"Asso A"} and {r[4] for r in rows} == {"awa@example.org"}
    assert {(r[5], r[6], r[7]) for r in rows} == {
        (a.first_name, a.last_name, a.email) for a in registration.attendees.all()
    }
    assert {r[9] for r in rows} == {"10.00"}
    assert sum(1 for r in rows if r[11]) == 1  # one checked in

    response = client.get(reverse("engagement_staff:participants_export", args=[event.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 3 and values[1][0] == event.title and values[1][8] == "Végétarien"
    assert (
        client.get(reverse("engagement_staff:participants_export", args=[event.pk, "pdf"])).status_code == 404
    )


def test_check_in_by_search_and_by_token(client, staff, event_factory):
    event = event_factory()
    registration = services.registration_create(
        event=event,
        category=event.categories.first(),
        email="contact@example.org",
        attendees=[("Awa", "Diallo", "awa@example.org"), ("Jean", "Martin", "")],
    )
    waiting_event_other = register(event_factory(), "awa@example.org")  # another event: not found
    client.force_login(staff)
    url = reverse("engagement_staff:check_in", args=[event.pk])
    found = client.get(url, {"q": "diallo"}).context["results"]
    assert [a.last_name for a in found] == ["Diallo"]
    assert [a.last_name for a in client.get(url, {"q": "Awa Diallo"}).context["results"]] == ["Diallo"]
    by_token = client.get(url, {"q": str(registration.token)}).context["results"]
    assert {a.last_name for a in by_token} == {"Diallo", "Martin"}
    assert waiting_event_other.attendees.get() not in by_token

    awa = Attendee.objects.get(last_name="Diallo")
    response = client.post(url, {"attendee": awa.pk, "q": "diallo"})
    assert response.status_code == 302 and "q=diallo" in response.url
    awa.refresh_from_db()
    first_time = awa.checked_in_at
    assert first_time is not None
    client.post(url, {"attendee": awa.pk})  # twice: the first time is kept
    awa.refresh_from_db()
    assert awa.checked_in_at == first_time
    page = client.get(url, {"q": "diallo"})
    assert page.context["checked_in"] == 1 and page.context["expected"] == 2
    other = waiting_event_other.attendees.get()
    assert client.post(url, {"attendee": other.pk}).status_code == 404


def test_a_waiting_attendee_cannot_be_checked_in(event_factory):
    event = event_factory(capacity=1)
    register(event, "a@example.org")
    waiting = register(event, "b@example.org")
    with pytest.raises(ValidationError):
        services.check_in(waiting.attendees.get())


def test_a_real_smtp_server_receives_the_confirmation_with_its_ics(
    client,
    event_factory,
    smtp_server,  # noqa: F811 — the imported fixture
    django_capture_on_commit_callbacks,
):
    event = event_factory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("engagement:register", args=[event.slug]), form_data(event, email="smtp@example.org")
        )
    received = [m for m in smtp_server.messages if m["To"] == "smtp@example.org"]
    assert len(received) == 1
    (part,) = [p for p in received[0].walk() if p.get_content_type() == "text/calendar"]
    (vevent,) = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert str(vevent["summary"]) == event.title


def test_a_logged_in_editor_registers_for_the_member_organisation(client, users, event_factory):
    event = event_factory(categories=[{"name": "Adhérents", "members_only": True, "price": Decimal("5")}])
    editor = users["organisation_editor"]
    editor.first_name, editor.last_name = "Awa", "Diallo"
    editor.save()
    member = Organisation.objects.create(
        slug="asso-m", name="Asso M", kind=Organisation.Kind.PARTNER, country="FR"
    )
    Organisation.objects.filter(pk=member.pk).update(is_member=True)
    member.editors.add(editor)
    other = Organisation.objects.create(
        slug="asso-o", name="Asso O", kind=Organisation.Kind.PARTNER, country="FR"
    )
    client.force_login(editor)
    url = reverse("engagement:register", args=[event.slug])
    form = client.get(url).context["form"]
    assert form["email"].value() == editor.email
    assert list(form.fields["organisation"].queryset) == [member]
    assert "5,00" in client.get(url).content.decode()  # the price, in euros
    refused = client.post(url, form_data(event, email=editor.email, organisation=other.pk))
    assert refused.status_code == 200 and "organisation" in refused.context["form"].errors
    client.post(url, form_data(event, email=editor.email, organisation=member.pk))
    registration = Registration.objects.get()
    assert registration.user == editor and registration.organisation == member
    assert registration.amount == Decimal("5")
