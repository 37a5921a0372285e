"""The calendar feeds, parsed back by the ``icalendar`` library as a calendar client would."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from maillage.commissions import services
from maillage.commissions.feeds import calendar_token
from maillage.commissions.models import Commission, Member

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _meeting(commission, *, days, title, **fields):
    starts = (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)
    values = {
        "place": "Toulouse",
        "agenda": "Ordre du jour réservé",
        "video_url": "https://visio.example.org/secret",
    }
    values.update(fields)
    return services.meeting_create(
        commission=commission,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        **values,
    )


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return calendar


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_commission_calendar_is_public_and_holds_no_members_data(client, commission):
    body = commission["commission"]
    coming = _meeting(body, days=10, title="Réunion de rentrée")
    past = _meeting(body, days=-20, title="Réunion passée")
    services.meeting_update(meeting=coming, place="Montpellier")
    Commission.objects.create(slug="autre", name="Autre", purpose="…")
    _meeting(Commission.objects.get(slug="autre"), days=5, title="Ailleurs")

    calendar = _parse(client.get(reverse("commissions:calendar", args=[body.slug])))
    events = _events(calendar)
    assert set(events) == {f"{body.name} — {coming.title}", f"{body.name} — {past.title}"}
    event = events[f"{body.name} — {coming.title}"]
    host = settings.MAILLAGE_SITE_URL.split("//")[1].split(":")[0].split("/")[0]
    assert str(event["UID"]) == f"{coming.ical_uid}@{host}"
    assert event["SEQUENCE"] == 1
    assert str(event["LOCATION"]) == "Montpellier"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start == coming.starts_at
    assert start.utcoffset() == coming.starts_at.astimezone(PARIS).utcoffset()
    assert str(event["DTSTART"].params.get("TZID")) == "Europe/Paris"
    assert event.decoded("DTEND") == coming.ends_at
    assert event["DTSTAMP"]
    assert str(event["URL"]).endswith(reverse("commissions:commission", args=[body.slug]))
    text = client.get(reverse("commissions:calendar", args=[body.slug])).content.decode()
    assert "Ordre du jour réservé" not in text and "secret" not in text
    assert calendar.walk("VTIMEZONE")  # the TZID is defined in the file


def test_meeting_ics_for_members_has_the_agenda(client, commission):
    body = commission["commission"]
    meeting = _meeting(body, days=3, title="Réunion", place="")
    url = reverse("commissions:meeting_ics", args=[body.slug, meeting.pk])
    public = _parse(client.get(url))
    assert len(public.walk("VEVENT")) == 1
    assert "secret" not in client.get(url).content.decode()
    client.force_login(commission["member"])
    event = _parse(client.get(url)).walk("VEVENT")[0]
    assert "Ordre du jour réservé" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == meeting.video_url
    assert str(event["URL"]).endswith(reverse("commissions:meeting", args=[body.slug, meeting.pk]))


def test_personal_calendar_with_its_token(client, commission):
    body = commission["commission"]
    mine = _meeting(body, days=4, title="Ma réunion")
    other = Commission.objects.create(slug="autre", name="Autre", purpose="…")
    _meeting(other, days=4, title="Pas la mienne")
    member = commission["member"]
    token = calendar_token(member)
    url = reverse("commissions:my_calendar")
    calendar = _parse(client.get(url, {"token": token}))  # no login: a calendar client
    events = _events(calendar)
    assert list(events) == [f"{body.name} — {mine.title}"]
    assert "Ordre du jour réservé" in str(events[f"{body.name} — {mine.title}"]["DESCRIPTION"])
    # The index of a logged-in user shows the subscription address.
    client.force_login(member)
    assert token in client.get(reverse("commissions:index")).content.decode()
    client.logout()
    # Once they left, the feed is empty.
    services.member_leave(member=body.members.get(user=member, state=Member.State.ACTIVE))
    assert not _parse(client.get(url, {"token": token})).walk("VEVENT")


def test_personal_calendar_refuses_a_wrong_token(client, commission):
    url = reverse("commissions:my_calendar")
    token = calendar_token(commission["member"])
    _pk, signature = token.split(":", 1)
    forged = f"{commission['outsider'].pk}:{signature}"
    assert client.get(url, {"token": forged}).status_code == 403
    assert client.get(url, {"token": token + "x"}).status_code == 403
    assert client.get(url, {"token": "n'importe quoi"}).status_code == 403
    assert client.get(url).status_code == 404
