"""Staff pages of the agenda under /gestion/agenda/: every event whatever its status, the
form with its ticket categories and questions, the moderation of proposals, and the figures
of the year for the activity report."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core.exports import export_response
from maillage.core.permissions import permission_required
from maillage.engagement import services
from maillage.engagement.filters import StaffEventFilter, paying
from maillage.engagement.forms import CategoryFormSet, ModerationForm, QuestionFormSet, StaffEventForm
from maillage.engagement.models import Attendance, Attendee, Event, Registration

PER_PAGE = 50


@permission_required("engagement.view_report")
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.select_related("commune").annotate(paying=paying()).order_by("-starts_at", "-pk")
    filterset = StaffEventFilter(request.GET, queryset=events)
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    submitted = Event.objects.filter(status=Event.Status.SUBMITTED).count()
    context = {"filter": filterset, "page": page, "events": page.object_list, "submitted": submitted}
    return render(request, "engagement/staff/event_list.html", context)


def _form_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    """The event's form and its two formsets, saved together or not at all."""
    data = request.POST if request.method == "POST" else None
    form = StaffEventForm(data, instance=event)
    categories = CategoryFormSet(data, instance=event or Event(), prefix="categories")
    questions = QuestionFormSet(data, instance=event or Event(), prefix="questions")
    if data is not None and form.is_valid() and categories.is_valid() and questions.is_valid():
        try:
            with transaction.atomic():
                if event is None:
                    event = services.event_create(proposed_by=request.user, **form.values())
                else:
                    event = services.event_update(event=event, **form.values())
                for formset in (categories, questions):
                    formset.instance = event
                    formset.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("engagement_staff:event_edit", event.pk)
    context = {
        "form": form,
        "categories": categories,
        "questions": questions,
        "event": event,
        "moderation": ModerationForm() if event and event.status in ("draft", "submitted") else None,
    }
    return render(request, "engagement/staff/event_form.html", context)


@permission_required("engagement.add_event")
def event_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@permission_required("engagement.change_event")
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_object_or_404(Event, pk=pk))


@require_POST
@permission_required("engagement.change_event")
def event_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, send back with a comment, or cancel (decision=cancel)."""
    event = get_object_or_404(Event, pk=pk)
    if request.POST.get("decision") == "cancel":
        services.event_cancel(event=event, user=request.user)
        messages.success(request, _("The event is cancelled; the registrants are told."))
        return redirect("engagement_staff:event_edit", event.pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.event_moderate(
                event=event,
                user=request.user,
                publish=form.cleaned_data["decision"] == "publish",
                comment=form.cleaned_data["comment"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The decision is recorded and the proposer told."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("engagement_staff:event_edit", event.pk)


def training_hours(events: QuerySet[Event]) -> Decimal:
    """Hours of training: for each half-day, the attendees present × its hours."""
    total = Attendance.objects.filter(half_day__event__in=events, present=True).aggregate(
        hours=Coalesce(Sum("half_day__hours"), Value(Decimal(0)), output_field=DecimalField())
    )["hours"]
    return Decimal(total)


def report_rows(year: int) -> list[dict[str, Any]]:
    """Per kind of event held in ``year`` (published or cancelled): events, participants
    (attendees of confirmed registrations) and hours of training."""
    held = Event.objects.filter(starts_at__year=year, status=Event.Status.PUBLISHED)
    counts = dict(held.values_list("kind").annotate(count=Count("pk")).values_list("kind", "count"))
    participants = dict(
        Attendee.objects.filter(
            registration__event__in=held, registration__status=Registration.Status.CONFIRMED
        )
        .values_list("registration__event__kind")
        .annotate(count=Count("pk"))
        .values_list("registration__event__kind", "count")
    )
    rows = []
    for kind, label in Event.Kind.choices:
        hours = training_hours(held.filter(kind=kind)) if kind == Event.Kind.TRAINING else Decimal(0)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "events": counts.get(kind, 0),
                "participants": participants.get(kind, 0),
                "hours": hours,
            }
        )
    return rows


@permission_required("engagement.view_report")
def report(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    rows = report_rows(year)
    totals = {key: sum(row[key] for row in rows) for key in ("events", "participants", "hours")}
    if request.GET.get("format") == "csv":
        headers = [_("Kind"), _("Events"), _("Participants"), _("Hours of training")]
        lines = [[row["label"], row["events"], row["participants"], row["hours"]] for row in rows]
        lines.append([_("Total"), totals["events"], totals["participants"], totals["hours"]])
        return export_response("csv", rows=lines, headers=headers, filename=f"bilan-agenda-{year}")  # type: ignore[return-value]
    years = sorted({date.year for date in Event.objects.dates("starts_at", "year")} | {year}, reverse=True)
    return render(
        request,
        "engagement/staff/report.html",
        {"year": year, "years": years, "rows": rows, "totals": totals},
    )
