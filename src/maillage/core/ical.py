"""iCalendar (RFC 5545) building blocks shared by the calendar feeds (commissions' meetings,
the agenda's events): one VEVENT, a VCALENDAR with its time zones, and the HTTP response.

Times are written in Europe/Paris with its VTIMEZONE, which calendar clients expect; the UID
is ``<uuid>@<site host>`` so that it is stable and unique across sites; ``sequence`` tells a
client that an event it already knows has moved."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event


def site_url(path: str) -> str:
    """An absolute address on the site (calendar clients need them)."""
    return settings.MAILLAGE_SITE_URL.rstrip("/") + path


def stamp() -> datetime.datetime:
    """The DTSTAMP of a feed generated now (UTC, as the RFC wants)."""
    return timezone.now().astimezone(datetime.UTC)


def vevent(
    *,
    uid: object,
    stamp: datetime.datetime,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    sequence: int,
    summary: str,
    location: str = "",
    url: str = "",
    description: str | None = None,
    status: str = "",
) -> Event:
    """One VEVENT; empty optional properties are left out."""
    paris = timezone.get_default_timezone()
    host = urlparse(settings.MAILLAGE_SITE_URL).hostname or "localhost"
    event = Event()
    event.add("uid", f"{uid}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at.astimezone(paris))
    event.add("dtend", ends_at.astimezone(paris))
    event.add("sequence", sequence)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if description is not None:
        event.add("description", description)
    if status:
        event.add("status", status)
    return event


def calendar(name: str, events: Iterable[Event], *, product: str) -> bytes:
    """A VCALENDAR named ``name`` holding ``events``, with the time zones they use."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.MAILLAGE_NETWORK_NAME}//{product}//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def ics_response(content: bytes, filename: str) -> HttpResponse:
    """The calendar, shown inline (clients subscribe to the address) as ``<filename>.ics``."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response
