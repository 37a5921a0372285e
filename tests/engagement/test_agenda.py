"""The public agenda: filters in the URL, the month grid, the map, who sees what, the
proposal → moderation → publication path with its e-mail, constant queries, the calendars."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from maillage.core.models import OutgoingEmail, Theme
from maillage.directory.models import Organisation
from maillage.engagement import services
from maillage.engagement.models import Event
from maillage.engagement.staff_views import report_rows
from tests.access import BACK_OFFICE, LOGIN, assert_access

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:
    return {event.title for event in response.context["events"]}


def _last_email() -> OutgoingEmail:
    return OutgoingEmail.objects.latest("pk")


def _theme() -> Theme:
    return Theme.objects.order_by("pk").first() or Theme.objects.create(
        slug="sante", name_fr="Santé", name_en="Health"
    )


def test_filters_are_in_the_url(client, event_factory):
    theme = _theme()
    training = event_factory(title="Formation méthodo", kind=Event.Kind.TRAINING, themes=[theme])
    online = event_factory(
        title="Webinaire", commune=None, place="", online_url="https://visio.example.org/a"
    )
    paying = event_factory(title="Gala", categories=[{"name": "Adhérents", "price": Decimal("12.50")}])
    montpellier = event_factory(title="Agora", commune_id="34172")
    event_factory(title="Brouillon", status=Event.Status.DRAFT)
    event_factory(title="Passé", starts_at=timezone.now() - datetime.timedelta(days=3))

    url = reverse("engagement:agenda")
    assert _titles(client.get(url)) == {e.title for e in (training, online, paying, montpellier)}
    assert _titles(client.get(url, {"kind": "training"})) == {training.title}
    assert _titles(client.get(url, {"theme": theme.slug})) == {training.title}
    assert _titles(client.get(url, {"online": "yes"})) == {online.title}
    assert online.title not in _titles(client.get(url, {"online": "no"}))
    assert _titles(client.get(url, {"free": "no"})) == {paying.title}
    assert paying.title not in _titles(client.get(url, {"free": "yes"}))
    assert _titles(client.get(url, {"departement": "34"})) == {montpellier.title}
    assert _titles(client.get(url, {"departement": "31", "kind": "training"})) == {training.title}


def test_agenda_queries_do_not_grow_with_events(client, event_factory):
    organisation = Organisation.objects.create(
        name="Asso du Sud", slug="asso-du-sud", kind=Organisation.Kind.PARTNER, country="SN"
    )
    theme = _theme()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("engagement:agenda"))
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        event_factory(organisers=[organisation], themes=[theme])
    few = count()
    for _ in range(9):
        event_factory(organisers=[organisation], themes=[theme])
    assert len(client.get(reverse("engagement:agenda")).context["events"]) == 12
    assert count() == few


def test_month_view_lists_the_events_of_the_month(client, event_factory):
    start = datetime.datetime(2026, 12, 8, 14, tzinfo=timezone.get_current_timezone())
    december = event_factory(title="Festival de décembre", starts_at=start)
    january = event_factory(title="Vœux", starts_at=start + datetime.timedelta(days=40))
    response = client.get(reverse("engagement:month"), {"month": "2026-12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert december.title in html and january.title not in html
    assert "<table" in html and "<caption>" in html
    assert "month=2026-11" in html and "month=2027-01" in html
    # A bad month falls back to the current one rather than failing.
    assert client.get(reverse("engagement:month"), {"month": "n’importe"}).status_code == 200


def test_map_page_has_the_points_and_the_table(client, event_factory):
    placed = event_factory(title="À Toulouse")
    event_factory(title="Webinaire du soir", commune=None, place="", online_url="https://visio.example.org/b")
    response = client.get(reverse("engagement:map"))
    assert response.status_code == 200
    assert [point["title"] for point in response.context["points"]] == [placed.title]
    assert "Webinaire du soir" not in response.content.decode()
    assert "vendor/leaflet/leaflet.js" in response.content.decode()


def test_who_sees_an_event(client, users, event_factory):
    public = event_factory()
    everyone = dict.fromkeys(users, 200)
    assert_access(client, users, reverse("engagement:event", args=[public.slug]), expected=everyone)
    draft = event_factory(status=Event.Status.SUBMITTED, proposed_by=users["organisation_editor"])
    hidden = {**dict.fromkeys(users, 404), "staff": 200, "administrator": 200, "auditor": 200}
    assert_access(
        client,
        users,
        reverse("engagement:event", args=[draft.slug]),
        expected={**hidden, "organisation_editor": 200},
    )
    assert_access(
        client,
        users,
        reverse("engagement:event_ics", args=[draft.slug]),
        expected={**hidden, "organisation_editor": 200},
    )
    proposing = {
        **dict.fromkeys(users, 403),
        "visitor": LOGIN,
        "organisation_editor": 200,
        "staff": 200,
        "administrator": 200,
    }
    assert_access(client, users, reverse("engagement:propose"), expected=proposing)
    assert_access(client, users, reverse("engagement_staff:event_list"), expected=BACK_OFFICE)
    assert_access(client, users, reverse("engagement_staff:report"), expected=BACK_OFFICE)
    team = {**BACK_OFFICE, "auditor": 403}
    assert_access(client, users, reverse("engagement_staff:event_edit", args=[draft.pk]), expected=team)
    assert_access(
        client,
        users,
        reverse("engagement_staff:event_moderate", args=[draft.pk]),
        method="post",
        data={"decision": "publish"},
        expected={**dict.fromkeys(users, 403), "visitor": LOGIN, "staff": 302, "administrator": 302},
    )


def test_propose_moderate_publish_with_the_email(client, reference_data, staff):
    from tests.access import make_user

    editor = make_user("organisation_editor", email="agenda.editor@example.org")
    organisation = Organisation.objects.create(
        name="Les Amis du Monde", slug="les-amis-du-monde", kind=Organisation.Kind.PARTNER, country="SN"
    )
    organisation.editors.add(editor)
    client.force_login(editor)
    day = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        reverse("engagement:propose"),
        {
            "title": "Ciné-débat Sahel",
            "kind": "conference",
            "summary": "Un film et une discussion.",
            "starts_at": f"{day:%Y-%m-%d}T18:00",
            "ends_at": f"{day:%Y-%m-%d}T21:00",
            "place": "Cinéma Utopia",
            "commune_query": "31555",
            "organisers": [organisation.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title="Ciné-débat Sahel")
    assert event.status == Event.Status.SUBMITTED and event.proposed_by == editor
    assert list(event.organisers.all()) == [organisation]
    client.logout()
    assert client.get(reverse("engagement:event", args=[event.slug])).status_code == 404
    assert event.title not in client.get(reverse("engagement:agenda")).content.decode()

    client.force_login(staff)
    url = reverse("engagement_staff:event_moderate", args=[event.pk])
    client.post(url, {"decision": "send_back", "comment": ""})
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED  # a sending back needs a comment
    client.post(url, {"decision": "send_back", "comment": "Précisez l’accessibilité."})
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    assert "Précisez l’accessibilité." in _last_email().body_text
    client.post(url, {"decision": "publish"})
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert _last_email().to == [editor.email]
    assert reverse("engagement:event", args=[event.slug]) in _last_email().body_text
    client.logout()
    page = client.get(reverse("engagement:event", args=[event.slug])).content.decode()
    assert reverse("directory:organisation", args=[organisation.slug]) in page


def test_update_moves_the_calendar_revision_and_cancel_tells_registrants(event_factory, staff):
    event = event_factory()
    services.event_update(event=event, summary="Autre résumé")
    assert event.sequence == 0
    services.event_update(event=event, place="Autre salle")
    assert event.sequence == 1
    event.registrations.create(email="inscrite@example.org")
    services.event_cancel(event=event, user=staff)
    assert event.status == Event.Status.CANCELLED and event.sequence == 2
    assert _last_email().to == ["inscrite@example.org"]


def test_ics_files_parse(client, event_factory):
    first = event_factory(title="Premier", categories=[{"name": "Plein tarif", "price": Decimal("1234.5")}])
    event_factory(title="Second", commune=None, place="", online_url="https://visio.example.org/c")
    event_factory(title="Brouillon", status=Event.Status.DRAFT)
    response = client.get(reverse("engagement:agenda_ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert summaries == {"Premier", "Second"}
    single = Calendar.from_ical(client.get(reverse("engagement:event_ics", args=[first.slug])).content)
    (vevent,) = single.walk("VEVENT")
    assert str(vevent["UID"]).startswith(str(first.ical_uid))
    assert vevent.decoded("DTSTART") == first.starts_at
    page = client.get(reverse("engagement:event", args=[first.slug])).content.decode()
    assert "1\u202f234,50&nbsp;€" in page or "1\xa0234,50&nbsp;€" in page or "1 234,50&nbsp;€" in page


def test_report_counts_and_csv(client, event_factory, staff):
    event = event_factory(kind=Event.Kind.TRAINING)
    registration = event.registrations.create(email="a@example.org")
    registration.attendees.create(first_name="A", last_name="B")
    year = event.starts_at.year
    training = next(row for row in report_rows(year) if row["kind"] == "training")
    assert (training["events"], training["participants"]) == (1, 1)
    client.force_login(staff)
    response = client.get(reverse("engagement_staff:report"), {"year": year, "format": "csv"})
    assert response.status_code == 200 and "csv" in response["Content-Type"]


def test_demo_is_idempotent_and_sends_nothing(reference_data):
    from maillage.core.seeding import DemoReport
    from maillage.engagement import demo

    first = DemoReport()
    demo.seed(first)
    counts = (Event.objects.count(), OutgoingEmail.objects.count())
    assert first.created["events"] > 10
    assert Event.objects.filter(title__startswith="Festival des Solidarités").exists()
    assert Event.objects.filter(kind=Event.Kind.TRAINING).count() == 3
    again = DemoReport()
    demo.seed(again)
    assert (Event.objects.count(), OutgoingEmail.objects.count()) == counts
    assert not any(again.created.values())
    assert counts[1] == 0


def test_staff_create_an_event_with_categories_and_questions(client, reference_data, staff):
    client.force_login(staff)
    day = timezone.localdate() + datetime.timedelta(days=9)
    management = {
        f"{prefix}-{key}": value
        for prefix in ("categories", "questions")
        for key, value in (
            ("TOTAL_FORMS", "2"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    response = client.post(
        reverse("engagement_staff:event_create"),
        {
            **management,
            "title": "Agora de printemps",
            "kind": "conference",
            "summary": "La journée du réseau.",
            "starts_at": f"{day:%Y-%m-%d}T09:00",
            "ends_at": f"{day:%Y-%m-%d}T17:00",
            "commune_query": "Toulouse (31000)",
            "registration": "on",
            "capacity": "100",
            "offer_hours": "48",
            "categories-0-name": "Non-membres",
            "categories-0-price": "15",
            "categories-0-position": "0",
            "questions-0-label": "Régime alimentaire",
            "questions-0-position": "0",
            # The empty rows, as a browser sends them (their initial values).
            "categories-1-price": "0",
            "categories-1-position": "0",
            "questions-1-position": "0",
        },
    )
    assert response.status_code == 302, [
        response.context[name].errors for name in ("form", "categories", "questions")
    ]
    event = Event.objects.get(title="Agora de printemps")
    assert event.commune_id == "31555" and event.status == Event.Status.DRAFT
    assert [(c.name, c.price) for c in event.categories.all()] == [("Non-membres", Decimal(15))]
    assert [q.label for q in event.questions.all()] == ["Régime alimentaire"]
    assert client.get(reverse("engagement_staff:event_edit", args=[event.pk])).status_code == 200
