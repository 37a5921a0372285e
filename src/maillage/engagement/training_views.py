"""Trainings and advice sessions.

Public and members: the free slots of an advice session and booking one (logged in); the
satisfaction questionnaire and the certificate, both reached by the attendee's own link (no
login: the link is the key). Staff: the attendance sheet (attendees × half-days, made for a
tablet), its export, the certificates as a zip, the questionnaire's results, the slots of an
advice session and their bookings.

Who: the back office reads the staff pages; the team (``engagement.manage_registrations``,
``engagement.manage_slots``) changes them."""

from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.accounts.models import User
from maillage.core.exports import FORMATS, export_response
from maillage.core.permissions import permission_required
from maillage.engagement import services_trainings as trainings
from maillage.engagement.forms_trainings import FeedbackForm, SlotBookForm, SlotsCreateForm
from maillage.engagement.models import AdviceSlot, Attendance, Attendee, Event, Feedback

READ_PERM = "engagement.view_report"  # the back office reads the staff pages
ATTENDANCE_PERM = "engagement.manage_registrations"
SLOTS_PERM = "engagement.manage_slots"


def _require_post_perm(request: HttpRequest, perm: str) -> None:
    if request.method == "POST" and not request.user.has_perm(perm):
        raise PermissionDenied


def _event(pk: int, kind: str) -> Event:
    return get_object_or_404(Event, pk=pk, kind=kind)


# Advice sessions: the public side -----------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def slots(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug, kind=Event.Kind.ADVICE)
    if not request.user.has_perm("engagement.view_event", event):
        raise Http404
    context = {
        "event": event,
        "slots": list(trainings.slots_free(event)),
        "mine": trainings.slot_of(event, request.user),  # type: ignore[arg-type]
    }
    return render(request, "engagement/slots.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def slot_book(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the booking form for one slot; POST: book it (or cancel one's own booking)."""
    slot = get_object_or_404(AdviceSlot.objects.select_related("event", "adviser"), pk=pk)
    event = slot.event
    if event is None or not request.user.has_perm("engagement.view_event", event):
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    back = redirect("engagement:slots", slug=event.slug)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        if slot.booked_by_id != request.user.pk:
            raise Http404
        trainings.slot_cancel(slot, by=request.user)
        messages.success(request, _("Your booking is cancelled."))
        return back
    if slot.booked_by_id is not None and slot.booked_by_id != request.user.pk:
        messages.error(request, _("This slot has just been booked by someone else."))
        return back
    form = SlotBookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainings.slot_book(slot, request.user, form.cleaned_data["topic"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        messages.success(request, _("Your slot is booked. A confirmation has been sent to you by e-mail."))
        return back
    return render(request, "engagement/slots_book.html", {"event": event, "slot": slot, "form": form})


# The questionnaire and the certificate (by the attendee's link) ------------------------------


def _attendee(token: Any) -> Attendee:
    return get_object_or_404(Attendee.objects.select_related("registration__event"), feedback_token=token)


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest, token: Any) -> HttpResponse:
    attendee = _attendee(token)
    event = attendee.registration.event
    if not trainings.attended(attendee):
        raise Http404
    context: dict[str, Any] = {"event": event, "attendee": attendee}
    if Feedback.objects.filter(attendee=attendee).exists():
        template = (
            "engagement/feedback_thanks.html" if "merci" in request.GET else "engagement/feedback_done.html"
        )
        return render(request, template, context)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainings.feedback_save(attendee, form.ratings(), form.cleaned_data["comment"])
        except ValidationError:
            return render(request, "engagement/feedback_done.html", context)
        return redirect(request.path + "?merci")
    context["form"] = form
    return render(request, "engagement/feedback.html", context)


@require_http_methods(["GET", "HEAD"])
def certificate(request: HttpRequest, token: Any) -> HttpResponse:
    attendee = _attendee(token)
    try:
        pdf = trainings.certificate_pdf(attendee)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{trainings.certificate_filename(attendee)}"'
    return response


# Staff: attendance ---------------------------------------------------------------------------


def _sheet(event: Event) -> tuple[list[Any], list[dict[str, Any]]]:
    """The half-days, and for each attendee its cells (attendance or None) and hours: a fixed
    number of queries whatever the number of attendees."""
    half_days = trainings.half_days_ensure(event)
    attendees = list(trainings.attendees_of(event))
    marks = {
        (a.attendee_id, a.half_day_id): a
        for a in Attendance.objects.filter(half_day__event=event).select_related("half_day")
    }
    rows = []
    for attendee in attendees:
        cells = [{"half_day": h, "attendance": marks.get((attendee.pk, h.pk))} for h in half_days]
        present = [h for h in half_days if (mark := marks.get((attendee.pk, h.pk))) and mark.present]
        rows.append(
            {"attendee": attendee, "cells": cells, "hours": sum((h.hours for h in present), Decimal(0))}
        )
    return half_days, rows


@permission_required(READ_PERM)
@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk, Event.Kind.TRAINING)
    _require_post_perm(request, ATTENDANCE_PERM)
    half_days, rows = _sheet(event)
    if request.method == "POST":
        with transaction.atomic():
            for row in rows:
                for cell in row["cells"]:
                    name = f"p-{row['attendee'].pk}-{cell['half_day'].pk}"
                    present = name in request.POST
                    current = cell["attendance"]
                    if (current is None and present) or (current is not None and current.present != present):
                        trainings.attendance_mark(cell["half_day"], row["attendee"], present, request.user)  # type: ignore[arg-type]
        messages.success(request, _("The attendance sheet is saved."))
        return redirect("engagement_staff:attendance", pk=event.pk)
    context = {
        "event": event,
        "half_days": half_days,
        "rows": rows,
        "total_hours": sum((h.hours for h in half_days), 0),
        "may_change": request.user.has_perm(ATTENDANCE_PERM),
        "formats": FORMATS,
    }
    return render(request, "engagement/staff/attendance.html", context)


@permission_required(READ_PERM)
@require_http_methods(["GET", "HEAD"])
def attendance_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    event = _event(pk, Event.Kind.TRAINING)
    half_days, rows = _sheet(event)
    headers = [_("Last name"), _("First name"), _("E-mail address")]
    headers += [f"{date_format(h.date, 'SHORT_DATE_FORMAT')} {h.get_period_display()}" for h in half_days]
    headers += [_("Hours attended")]
    present, absent = _("present"), _("absent")
    lines = [
        [
            row["attendee"].last_name,
            row["attendee"].first_name,
            row["attendee"].email or row["attendee"].registration.email,
            *[
                (present if c["attendance"].present else absent) if c["attendance"] else ""
                for c in row["cells"]
            ],
            row["hours"],
        ]
        for row in rows
    ]
    filename = f"emargement-{event.slug}"
    response = export_response(
        file_format, rows=lines, headers=headers, filename=filename, title=_("Attendance")
    )
    return cast(HttpResponse, response)


@permission_required(READ_PERM)
@require_http_methods(["GET", "HEAD"])
def certificates_zip(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk, Event.Kind.TRAINING)
    response = HttpResponse(trainings.certificates_zip(event), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="attestations-{event.slug}.zip"'
    return response


@permission_required(READ_PERM)
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results; POST (the team) sends the questionnaire to those who attended, once each."""
    event = _event(pk, Event.Kind.TRAINING)
    _require_post_perm(request, ATTENDANCE_PERM)
    if request.method == "POST":
        try:
            sent = trainings.feedback_request_send(event)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Questionnaires sent: %(count)s.") % {"count": sent})
        return redirect("engagement_staff:feedback_results", pk=event.pk)
    context = {
        "event": event,
        "results": trainings.feedback_results(event),
        "may_send": request.user.has_perm(ATTENDANCE_PERM) and event.ends_at <= timezone.now(),
    }
    return render(request, "engagement/staff/feedback_results.html", context)


# Staff: advice slots ---------------------------------------------------------------------------


@permission_required(READ_PERM)
@require_http_methods(["GET", "HEAD", "POST"])
def slots_manage(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk, Event.Kind.ADVICE)
    _require_post_perm(request, SLOTS_PERM)
    form = SlotsCreateForm(request.POST if request.POST.get("action") == "create" else None)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            slot = get_object_or_404(AdviceSlot, pk=request.POST.get("slot"), event=event)
            trainings.slot_cancel(slot, by=cast(User, request.user))
            messages.success(request, _("The booking is cancelled."))
            return redirect("engagement_staff:slots_manage", pk=event.pk)
        if form.is_valid():
            start, end = form.period()
            try:
                created = trainings.slots_create(
                    event,
                    cast(User, request.user),
                    start,
                    end,
                    form.cleaned_data["duration"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Slots created: %(count)s.") % {"count": len(created)})
                return redirect("engagement_staff:slots_manage", pk=event.pk)
    context = {
        "event": event,
        "form": form,
        "slots": list(event.slots.select_related("adviser", "booked_by")),
        "may_change": request.user.has_perm(SLOTS_PERM),
    }
    return render(request, "engagement/staff/slots_manage.html", context)
