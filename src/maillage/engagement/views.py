"""The public agenda under /agenda/: the upcoming events as a list (filters in the URL), a
month grid and a map; an event's page; the calendars (.ics); members' proposals."""

import calendar as calendar_module
import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from maillage.core import ical
from maillage.core.permissions import permission_required
from maillage.directory.models import Organisation
from maillage.engagement import services
from maillage.engagement.filters import EventFilter, paying
from maillage.engagement.forms import ProposeForm
from maillage.engagement.models import Attendee, Event, Registration

PER_PAGE = 20


def published() -> QuerySet[Event]:
    """Published events with what a list shows, in a constant number of queries."""
    return (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .select_related("commune__departement")
        .prefetch_related(
            Prefetch("organisers", queryset=Organisation.objects.only("pk", "name", "slug").order_by("name")),
            "themes",
        )
        .annotate(paying=paying())
        .order_by("starts_at", "pk")
    )


def upcoming() -> QuerySet[Event]:
    return published().filter(ends_at__gte=timezone.now())


@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    filterset = EventFilter(request.GET, queryset=upcoming())
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "events": page.object_list}
    return render(request, "engagement/agenda.html", context)


def _month(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_safe
def month(request: HttpRequest) -> HttpResponse:
    """A month as a table of weeks (Monday first); each day lists the events on it."""
    first = _month(request.GET.get("month", ""))
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(weeks[0][0], datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    filterset = EventFilter(request.GET, queryset=published().filter(starts_at__lt=end, ends_at__gt=start))
    by_day: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in filterset.qs:
        day = max(timezone.localtime(event.starts_at).date(), weeks[0][0])
        last = timezone.localtime(event.ends_at - datetime.timedelta(seconds=1)).date()
        while day <= min(last, weeks[-1][-1]):
            by_day[day].append(event)
            day += datetime.timedelta(days=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    context = {
        "filter": filterset,
        "first": first,
        "weeks": [[(day, day.month == first.month, by_day.get(day, [])) for day in week] for week in weeks],
        "day_names": [datetime.date(2024, 1, 1 + index) for index in range(7)],  # a Monday, then the week
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
        "today": timezone.localdate(),
    }
    return render(request, "engagement/month.html", context)


@require_safe
def agenda_map(request: HttpRequest) -> HttpResponse:
    """The upcoming events that have a commune, on a map (its points in JSON) and in a table."""
    filterset = EventFilter(request.GET, queryset=upcoming().filter(commune__isnull=False))
    events = list(filterset.qs)
    points = [
        {
            "lat": event.commune.latitude,
            "lng": event.commune.longitude,
            "title": event.title,
            "when": timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M"),
            "place": event.commune.name,
            "url": reverse("engagement:event", args=[event.slug]),
        }
        for event in events
        if event.commune.latitude is not None
    ]
    return render(request, "engagement/map.html", {"filter": filterset, "events": events, "points": points})


def _vevent(event: Event, stamp: datetime.datetime) -> Any:
    return ical.vevent(
        uid=event.ical_uid,
        stamp=stamp,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        sequence=event.sequence,
        summary=event.title,
        location=", ".join(
            part for part in (event.place, event.commune.name if event.commune else "") if part
        )
        or event.online_url,
        url=ical.site_url(reverse("engagement:event", args=[event.slug])),
        description="\n\n".join(part for part in (event.summary, event.online_url) if part),
        status="CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED",
    )


def event_calendar(name: str, events: Iterable[Event]) -> bytes:
    """The events as an iCalendar file (also attached to the confirmation e-mails)."""
    stamp = ical.stamp()
    return ical.calendar(name, (_vevent(event, stamp) for event in events), product="Maillage agenda")


@require_safe
def agenda_ics(request: HttpRequest) -> HttpResponse:
    events = Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now()).select_related(
        "commune"
    )
    return ical.ics_response(event_calendar(_("Agenda"), events), "agenda")


@permission_required("engagement.propose_event")
def propose(request: HttpRequest) -> HttpResponse:
    """A member's editor proposes an event; the team publishes it (see the moderation)."""
    form = ProposeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_propose(user=request.user, **form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: the team will publish your event after reading it."))
            return redirect("engagement:event", event.slug)
    return render(request, "engagement/propose.html", {"form": form})


def _visible(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("commune__departement"), slug=slug)
    if not request.user.has_perm("engagement.view_event", event):
        raise Http404
    return event


def seats_taken(event: Event) -> dict[int | None, int]:
    """Seats held (attendees of confirmed or offered registrations) per category, and in all
    under the key None."""
    rows = (
        Attendee.objects.filter(registration__event=event, registration__status__in=Registration.HOLDING)
        .values("registration__category")
        .annotate(seats=Count("pk"))
    )
    taken: dict[int | None, int] = {row["registration__category"]: row["seats"] for row in rows}
    taken[None] = sum(taken.values())
    return taken


@require_safe
def event(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible(request, slug)
    taken = seats_taken(event)
    left_in_event = None if event.capacity is None else max(event.capacity - taken[None], 0)
    categories = []
    for category in event.categories.all():
        left = left_in_event
        if category.capacity is not None:
            category_left = max(category.capacity - taken.get(category.pk, 0), 0)
            left = category_left if left is None else min(left, category_left)
        categories.append({"category": category, "left": left})
    context = {
        "event": event,
        "organisers": event.organisers.order_by("name"),
        "themes": event.themes.all(),
        "categories": categories,
        "seats_left": left_in_event,
        "open": event.status == Event.Status.PUBLISHED
        and event.registration
        and event.ends_at > timezone.now()
        and (event.registration_closes_at is None or event.registration_closes_at > timezone.now()),
        "may_change": request.user.has_perm("engagement.change_event", event),
    }
    return render(request, "engagement/event.html", context)


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible(request, slug)
    return ical.ics_response(event_calendar(event.title, [event]), event.slug)
