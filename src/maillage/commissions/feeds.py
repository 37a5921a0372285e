"""Calendar feeds (iCalendar, RFC 5545) of the commissions' meetings: one meeting, a
commission's meetings (public: title, time, place — nothing reserved to members), and "my
commissions" for a member's calendar client.

A calendar client cannot log in, so the personal feed is reached with ``?token=``: the user's
id signed with the secret key (salt ``commissions.calendar``), without expiry — no table to
keep, and changing SECRET_KEY revokes every token. The feed only ever shows what the user
could see logged in."""

import datetime
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from maillage.accounts.models import User
from maillage.commissions.models import Commission, Meeting, Member

SALT = "commissions.calendar"
# How far back the feeds go: calendars want the coming meetings and some recent history.
PAST_DAYS = 365


def calendar_token(user: Any) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(user.pk))


def token_user(token: str) -> User | None:
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _site(path: str) -> str:
    return settings.MAILLAGE_SITE_URL.rstrip("/") + path


def _event(meeting: Meeting, *, members: bool, stamp: datetime.datetime) -> Event:
    """The meeting as an event; ``members`` adds the agenda and the video link."""
    paris = timezone.get_default_timezone()
    host = urlparse(settings.MAILLAGE_SITE_URL).hostname or "localhost"
    event = Event()
    event.add("uid", f"{meeting.ical_uid}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(paris))
    event.add("dtend", meeting.ends_at.astimezone(paris))
    event.add("sequence", meeting.sequence)
    event.add("summary", f"{meeting.commission.name} — {meeting.title}")
    place = meeting.place or (meeting.video_url if members else "")
    if place:
        event.add("location", place)
    slug = meeting.commission.slug
    if members:
        event.add("url", _site(reverse("commissions:meeting", args=[slug, meeting.pk])))
        description = meeting.agenda
        if meeting.video_url:
            description += f"\n\n{meeting.video_url}"
        event.add("description", description)
    else:
        event.add("url", _site(reverse("commissions:commission", args=[slug])))
    return event


def _response(name: str, meetings: Iterable[Meeting], *, members: bool, filename: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.MAILLAGE_NETWORK_NAME}//Maillage commissions//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        calendar.add_component(_event(meeting, members=members, stamp=stamp))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def _recent(meetings: Any) -> Any:
    since = timezone.now() - datetime.timedelta(days=PAST_DAYS)
    return meetings.filter(starts_at__gte=since).select_related("commission").order_by("starts_at")


@require_safe
def meeting_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One meeting, to add to a calendar; members get the agenda and the video link."""
    meeting = get_object_or_404(Meeting.objects.select_related("commission"), commission__slug=slug, pk=pk)
    members = request.user.has_perm("commissions.view_members_part", meeting.commission)
    return _response(meeting.title, [meeting], members=members, filename=f"reunion-{meeting.pk}")


@require_safe
def commission_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The public calendar of a commission: the same for everyone, so that it may be shared."""
    commission = get_object_or_404(Commission, slug=slug)
    return _response(
        commission.name, _recent(commission.meetings.all()), members=False, filename=commission.slug
    )


@require_safe
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The meetings of the commissions the token's user is an active member of."""
    token = request.GET.get("token", "")
    if not token:
        raise Http404
    user = token_user(token)
    if user is None:
        raise PermissionDenied
    commissions = Member.objects.filter(user=user, state=Member.State.ACTIVE).values("commission")
    meetings = _recent(Meeting.objects.filter(commission__in=commissions))
    name = f"{settings.MAILLAGE_NETWORK_NAME} — commissions"
    return _response(name, meetings, members=True, filename="mes-commissions")
