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

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from icalendar import Event

from maillage.accounts.models import User
from maillage.commissions.models import Commission, Meeting, Member
from maillage.core import ical

SALT = "commissions.calendar"
# How far back the feeds go: calendars want the coming meetings and some recent history.
PAST_DAYS = 365


def calendar_token(user: Any) -> str:
    return signing.Signer(salt=SALT).sign(str(user.pk))


def token_user(token: str) -> User | None:
    try:
        pk = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _event(meeting: Meeting, *, members: bool, stamp: datetime.datetime) -> Event:
    """The meeting as an event; ``members`` adds the agenda and the video link."""
    slug = meeting.commission.slug
    description = None
    if members:
        url = ical.site_url(reverse("commissions:meeting", args=[slug, meeting.pk]))
        description = meeting.agenda
        if meeting.video_url:
            description += f"\n\n{meeting.video_url}"
    else:
        url = ical.site_url(reverse("commissions:commission", args=[slug]))
    return ical.vevent(
        uid=meeting.ical_uid,
        stamp=stamp,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        sequence=meeting.sequence,
        summary=f"{meeting.commission.name} — {meeting.title}",
        location=meeting.place or (meeting.video_url if members else ""),
        url=url,
        description=description,
    )


def _response(name: str, meetings: Iterable[Meeting], *, members: bool, filename: str) -> HttpResponse:
    stamp = ical.stamp()
    events = (_event(meeting, members=members, stamp=stamp) for meeting in meetings)
    return ical.ics_response(ical.calendar(name, events, product="Maillage commissions"), filename)


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
