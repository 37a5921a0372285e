"""Trainings: half-days from the dates, attendance and hours, certificates only for those who
attended, the questionnaire (sent once, answered once) and its results, the staff pages by
role."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from maillage.engagement import services_trainings as trainings
from maillage.engagement.models import Attendance, Attendee, Event, Feedback, HalfDay, Registration
from tests.access import BACK_OFFICE, LOGIN, assert_access

pytestmark = pytest.mark.django_db

TEAM_ONLY = {**BACK_OFFICE, "auditor": 403}


def _local(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def training(event_factory):
    """A finished two-day training, 9:00 the first day to 17:00 the second."""
    first = timezone.localdate() - datetime.timedelta(days=3)
    return event_factory(
        kind=Event.Kind.TRAINING,
        title="Monter un projet de solidarité internationale",
        starts_at=_local(first, 9),
        ends_at=_local(first + datetime.timedelta(days=1), 17),
        objectives="Savoir rédiger une demande de subvention.",
        trainer="Camille Formatrice",
    )


def attendee_add(event: Event, first: str, last: str, **registration) -> Attendee:
    """A confirmed registration for one person (made directly: the registrations' services
    are not what is tested here)."""
    email = f"{first.lower()}.{last.lower()}@example.org"
    fields = {"status": Registration.Status.CONFIRMED, **registration}
    reg = Registration.objects.create(event=event, email=email, **fields)
    return Attendee.objects.create(registration=reg, first_name=first, last_name=last, email=email)


def test_half_days_cover_the_dates_and_are_created_once(training):
    half_days = trainings.half_days_ensure(training)
    start = timezone.localdate(training.starts_at)
    expected = [
        (start, "am"),
        (start, "pm"),
        (start + datetime.timedelta(days=1), "am"),
        (start + datetime.timedelta(days=1), "pm"),
    ]
    assert [(h.date, h.period) for h in half_days] == expected
    assert {h.hours for h in half_days} == {trainings.DEFAULT_HALF_DAY_HOURS}
    half_days[0].hours = Decimal("3")
    half_days[0].save()
    again = trainings.half_days_ensure(training)
    assert [h.pk for h in again] == [h.pk for h in half_days]
    assert again[0].hours == Decimal("3")  # a corrected figure is kept


def test_half_days_share_the_duration_when_it_is_set(event_factory):
    day = timezone.localdate() + datetime.timedelta(days=5)
    event = event_factory(
        kind=Event.Kind.TRAINING,
        starts_at=_local(day, 14),
        ends_at=_local(day, 18),
        duration_hours=Decimal("4"),
    )
    half_days = trainings.half_days_ensure(event)
    assert [(h.period, h.hours) for h in half_days] == [("pm", Decimal("4"))]


def test_attendance_marking_and_hours(training, users):
    half_days = trainings.half_days_ensure(training)
    alice = attendee_add(training, "Alice", "Martin")
    bruno = attendee_add(training, "Bruno", "Petit")
    trainings.attendance_mark(half_days[0], alice, True, users["staff"])
    trainings.attendance_mark(half_days[1], alice, True, users["staff"])
    trainings.attendance_sign(half_days[2], alice)
    trainings.attendance_mark(half_days[0], bruno, False, users["staff"])
    assert trainings.attended_hours(alice) == sum(h.hours for h in half_days[:3])
    assert trainings.attended(alice)
    assert trainings.attended_hours(bruno) == 0
    assert not trainings.attended(bruno)
    signed = Attendance.objects.get(attendee=alice, half_day=half_days[2])
    assert signed.present and signed.signed_at is not None
    # Marking again changes the mark, never adds a row.
    trainings.attendance_mark(half_days[1], alice, False, users["staff"])
    assert trainings.attended_hours(alice) == half_days[0].hours + half_days[2].hours
    assert Attendance.objects.filter(attendee=alice).count() == 3


def test_attendance_refuses_someone_of_another_event(training, event_factory, users):
    other = event_factory(kind=Event.Kind.TRAINING, title="Autre formation")
    stranger = attendee_add(other, "Chloé", "Durand")
    half_day = trainings.half_days_ensure(training)[0]
    with pytest.raises(ValidationError):
        trainings.attendance_mark(half_day, stranger, True, users["staff"])


def test_certificate_only_for_those_who_attended(training, users):
    half_days = trainings.half_days_ensure(training)
    alice = attendee_add(training, "Alice", "Martin")
    absent = attendee_add(training, "Bruno", "Petit")
    trainings.attendance_mark(half_days[0], alice, True, users["staff"])
    trainings.attendance_mark(half_days[0], absent, False, users["staff"])

    html = trainings.certificate_html(alice)
    assert "Alice Martin" in html
    assert training.title in html
    assert training.trainer in html
    hours = format(trainings.attended_hours(alice).normalize(), "f").replace(".", ",")
    total = format(trainings.total_hours(training).normalize(), "f").replace(".", ",")
    row = html.split(str(_t("Hours attended")), 1)[1].split("</tr>", 1)[0]
    assert hours in row and total in row and hours != total
    assert trainings.certificate_pdf(alice).startswith(b"%PDF")
    with pytest.raises(ValidationError):
        trainings.certificate_pdf(absent)

    client_response = _get(reverse("engagement:certificate", args=[alice.feedback_token]))
    assert client_response.status_code == 200
    assert client_response["Content-Type"] == "application/pdf"
    assert client_response.content.startswith(b"%PDF")
    assert _get(reverse("engagement:certificate", args=[absent.feedback_token])).status_code == 404


def _get(url: str):
    from django.test import Client

    return Client().get(url)


def test_the_zip_holds_one_certificate_per_attendee_who_attended(training, users):
    half_days = trainings.half_days_ensure(training)
    present = [attendee_add(training, name, "Présent") for name in ("Alice", "Bruno")]
    attendee_add(training, "Chloé", "Absente")
    for attendee in present:
        trainings.attendance_mark(half_days[-1], attendee, True, users["staff"])
    with zipfile.ZipFile(io.BytesIO(trainings.certificates_zip(training))) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(trainings.certificate_filename(a) for a in present)
        assert all(archive.read(name).startswith(b"%PDF") for name in names)


def test_feedback_once_and_results(training, users):
    half_days = trainings.half_days_ensure(training)
    people = [attendee_add(training, name, "Stagiaire") for name in ("Alice", "Bruno", "Chloé")]
    for person in people:
        trainings.attendance_mark(half_days[0], person, True, users["staff"])
    answers = [
        ({"overall": 5, "content": 4, "trainer": 5, "organisation": 3}, "Très utile."),
        ({"overall": 3, "content": 2, "trainer": 4, "organisation": 5}, ""),
    ]
    for person, (ratings, comment) in zip(people, answers, strict=False):
        trainings.feedback_save(person, ratings, comment)
    with pytest.raises(ValidationError):
        trainings.feedback_save(people[0], answers[1][0], "Encore")
    with pytest.raises(ValidationError):
        trainings.feedback_save(people[2], {"overall": 6, "content": 1, "trainer": 1, "organisation": 1})
    assert Feedback.objects.count() == len(answers)

    results = trainings.feedback_results(training)
    assert results["count"] == len(answers)
    for row in results["averages"]:
        expected = sum(r[row["name"]] for r, _c in answers) / len(answers)
        assert row["average"] == pytest.approx(expected)
    assert results["comments"] == [c for _r, c in answers if c]


def test_the_questionnaire_page(client, training, users):
    half_day = trainings.half_days_ensure(training)[0]
    alice = attendee_add(training, "Alice", "Martin")
    absent = attendee_add(training, "Bruno", "Petit")
    trainings.attendance_mark(half_day, alice, True, users["staff"])
    url = reverse("engagement:feedback", args=[alice.feedback_token])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == len(trainings.RATINGS)
    assert html.count("<legend") == len(trainings.RATINGS)
    refused = client.post(url, {"overall": 9})
    assert refused.status_code == 200 and not Feedback.objects.exists()
    data = {"overall": 4, "content": 5, "trainer": 5, "organisation": 4, "comment": "Bien."}
    done = client.post(url, data, follow=True)
    assert done.status_code == 200
    assert Feedback.objects.get(attendee=alice).comment == "Bien."
    again = client.post(url, {**data, "comment": "Deuxième"})
    assert again.status_code == 200
    assert Feedback.objects.get(attendee=alice).comment == "Bien."
    assert again.templates[0].name == "engagement/feedback_done.html"
    assert client.get(reverse("engagement:feedback", args=[absent.feedback_token])).status_code == 404


def test_the_questionnaire_is_mailed_once_to_those_who_attended(
    training, users, django_capture_on_commit_callbacks
):
    half_day = trainings.half_days_ensure(training)[0]
    present = [attendee_add(training, name, "Présent") for name in ("Alice", "Bruno")]
    attendee_add(training, "Chloé", "Absente")
    for attendee in present:
        trainings.attendance_mark(half_day, attendee, True, users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        assert trainings.feedback_requests_due() == len(present)  # the daily task, after the training
    with django_capture_on_commit_callbacks(execute=True):
        assert trainings.feedback_request_send(training) == 0  # sent again by the staff: nothing new
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in present)
    for message in mail.outbox:
        attendee = next(a for a in present if a.email == message.to[0])
        assert reverse("engagement:feedback", args=[attendee.feedback_token]) in message.body


def test_the_questionnaire_waits_for_the_end(event_factory):
    upcoming = event_factory(kind=Event.Kind.TRAINING)
    with pytest.raises(ValidationError):
        trainings.feedback_request_send(upcoming)


def test_the_attendance_sheet_saves_the_boxes(client, training, users):
    half_days = trainings.half_days_ensure(training)
    alice = attendee_add(training, "Alice", "Martin")
    bruno = attendee_add(training, "Bruno", "Petit")
    trainings.attendance_mark(half_days[1], bruno, True, users["staff"])
    client.force_login(users["staff"])
    url = reverse("engagement_staff:attendance", args=[training.pk])
    response = client.post(
        url, {f"p-{alice.pk}-{half_days[0].pk}": "on", f"p-{alice.pk}-{half_days[3].pk}": "on"}
    )
    assert response.status_code == 302
    marks = {(a.attendee_id, a.half_day_id): a.present for a in Attendance.objects.all()}
    assert marks == {
        (alice.pk, half_days[0].pk): True,
        (alice.pk, half_days[3].pk): True,
        (bruno.pk, half_days[1].pk): False,
    }
    assert Attendance.objects.filter(attendee=alice).first().marked_by == users["staff"]


def test_the_attendance_sheet_costs_the_same_queries_for_more_attendees(client, training, users):
    trainings.half_days_ensure(training)
    client.force_login(users["staff"])
    url = reverse("engagement_staff:attendance", args=[training.pk])
    attendee_add(training, "Alice", "Martin")
    client.get(url)  # sessions, caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(4):
        attendee = attendee_add(training, f"Personne{index}", "Nombreuse")
        trainings.attendance_mark(HalfDay.objects.filter(event=training).first(), attendee, True, None)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('type="checkbox"') == 5 * 4
    assert len(many) == len(few)


def test_the_attendance_export(client, training, users):
    half_days = trainings.half_days_ensure(training)
    alice = attendee_add(training, "Alice", "Martin")
    trainings.attendance_mark(half_days[0], alice, True, users["staff"])
    client.force_login(users["staff"])
    response = client.get(reverse("engagement_staff:attendance_export", args=[training.pk, "csv"]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("Martin,Alice,alice.martin@example.org,")
    assert lines[1].endswith(f"{half_days[0].hours}")
    xlsx = client.get(reverse("engagement_staff:attendance_export", args=[training.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert (
        client.get(reverse("engagement_staff:attendance_export", args=[training.pk, "pdf"])).status_code
        == 404
    )


def test_staff_pages_by_role(client, users, training):
    half_day = trainings.half_days_ensure(training)[0]
    alice = attendee_add(training, "Alice", "Martin")
    trainings.attendance_mark(half_day, alice, True, users["staff"])
    for name in ("attendance", "certificates_zip", "feedback_results"):
        assert_access(
            client, users, reverse(f"engagement_staff:{name}", args=[training.pk]), expected=BACK_OFFICE
        )
    export = reverse("engagement_staff:attendance_export", args=[training.pk, "csv"])
    assert_access(client, users, export, expected=BACK_OFFICE)
    box = {f"p-{alice.pk}-{half_day.pk}": "on"}
    sheet = reverse("engagement_staff:attendance", args=[training.pk])
    assert_access(
        client,
        users,
        sheet,
        method="post",
        data=box,
        expected={**TEAM_ONLY, "staff": 302, "administrator": 302},
    )
    results = reverse("engagement_staff:feedback_results", args=[training.pk])
    assert_access(
        client, users, results, method="post", expected={**TEAM_ONLY, "staff": 302, "administrator": 302}
    )
    assert TEAM_ONLY["visitor"] == LOGIN
