"""Registering for an event, the registrant's page (reached by the secret link of the e-mails:
visitors register without an account), and the staff's pages: participants, exports and the
check-in at the door (a phone or a tablet; works without JavaScript, scans QR codes with it)."""

from decimal import Decimal
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.core.exports import FORMATS, export_response
from maillage.core.money import euros
from maillage.core.permissions import permission_required
from maillage.engagement import services_registrations as services
from maillage.engagement.forms_registrations import MAX_ATTENDEES, RegistrationForm, attendee_formset
from maillage.engagement.models import Attendee, Event, Registration

READ_PERM = "engagement.view_registration"  # the back office reads participants
MANAGE_PERM = "engagement.manage_registrations"  # the team checks in
Status = Registration.Status


def _public_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not request.user.has_perm("engagement.view_event", event):
        raise Http404
    return event


# Registering -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(request, slug)
    is_open = services.registration_open(event)
    data = request.POST if request.method == "POST" and is_open else None
    form = RegistrationForm(data, event=event, user=request.user)
    if data is not None and data.get("action") == "more":  # one more attendee line, without JS
        more = data.copy()
        total = int(more.get("attendees-TOTAL_FORMS") or 1)
        more["attendees-TOTAL_FORMS"] = str(min(total + 1, MAX_ATTENDEES))
        form = _quiet(RegistrationForm(more, event=event, user=request.user))
        attendees = attendee_formset(more, user=request.user)
        for line in attendees:
            _quiet(line)
        attendees._errors, attendees._non_form_errors = [], ErrorList()
        return _register_page(request, event, form, attendees, is_open)
    attendees = attendee_formset(data, user=request.user)
    if data is not None and form.is_valid() and attendees.is_valid():
        lines = [
            (line["first_name"], line["last_name"], line.get("email", ""))
            for line in attendees.cleaned_data
            if line
        ]
        try:
            registration = services.registration_create(
                event=event,
                category=form.cleaned_data.get("category"),
                email=form.cleaned_data["email"],
                attendees=lines,
                answers=form.answers(),
                user=request.user,
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if registration.status == Status.CONFIRMED:
                messages.success(
                    request, _("Your registration is confirmed. A confirmation is sent by e-mail.")
                )
            else:
                messages.warning(
                    request,
                    _(
                        "The event is full: your registration is on the waiting list. "
                        "We will e-mail you if a seat becomes free."
                    ),
                )
            return redirect("engagement:registration", registration.token)
    return _register_page(request, event, form, attendees, is_open)


def _quiet(form: Any) -> Any:
    """A bound form that shows what was typed without errors (while lines are being added)."""
    form._errors = ErrorDict()
    return form


def _register_page(
    request: HttpRequest, event: Event, form: Any, attendees: Any, is_open: bool
) -> HttpResponse:
    context = {
        "event": event,
        "form": form,
        "attendees": attendees,
        "is_open": is_open,
        "seats_left": services.seats_left(event),
        "max_attendees": MAX_ATTENDEES,
    }
    return render(request, "engagement/register.html", context)


def _registration(token: Any) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event", "category", "organisation").prefetch_related(
            "attendees"
        ),
        token=token,
    )


def _qr_svg(registration: Registration) -> str:
    label = _("QR code of the registration of %(email)s, to show at the door") % {"email": registration.email}
    svg = segno.make(str(registration.token), error="m").svg_inline(scale=6, title=None)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)  # noqa: S308 — segno's SVG, our escaped label


@require_safe
def registration(request: HttpRequest, token: Any) -> HttpResponse:
    """The registrant's page: the secret link of the e-mails is the key (no account needed)."""
    registration = _registration(token)
    event = registration.event
    now = timezone.now()
    context = {
        "registration": registration,
        "event": event,
        "attendees": list(registration.attendees.all()),
        "qr": _qr_svg(registration) if registration.status == Status.CONFIRMED else "",
        "may_cancel": registration.status != Status.CANCELLED and event.starts_at > now,
        "amount": euros(registration.amount) if registration.amount else "",
        "position": _waiting_position(registration),
    }
    return render(request, "engagement/registration.html", context)


def _waiting_position(registration: Registration) -> int | None:
    if registration.status != Status.WAITING:
        return None
    earlier = registration.event.registrations.filter(
        status=Status.WAITING, created_at__lt=registration.created_at
    )
    return earlier.count() + 1


@require_POST
def cancel(request: HttpRequest, token: Any) -> HttpResponse:
    registration = _registration(token)
    try:
        services.registration_cancel(registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("engagement:registration", registration.token)


@require_POST
def accept_offer(request: HttpRequest, token: Any) -> HttpResponse:
    registration = _registration(token)
    try:
        services.accept_offer(registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The seat is yours: your registration is confirmed."))
    return redirect("engagement:registration", registration.token)


# Staff -----------------------------------------------------------------------------------------


def _registrations(event: Event) -> Any:
    return (
        event.registrations.select_related("category", "organisation")
        .prefetch_related(Prefetch("attendees", queryset=Attendee.objects.order_by("pk")))
        .annotate(seats=Count("attendees"))
        .order_by("created_at", "pk")
    )


@require_safe
@permission_required(READ_PERM)
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Registrations with filters, the counts per status, the seats left, the waiting list in
    order."""
    event = get_object_or_404(Event, pk=pk)
    categories = list(event.categories.all())
    registrations = _registrations(event)
    status = request.GET.get("status", "")
    if status in Status.values:
        registrations = registrations.filter(status=status)
    else:
        status = ""
    category = request.GET.get("category", "")
    if category.isdigit() and any(c.pk == int(category) for c in categories):
        registrations = registrations.filter(category_id=int(category))
    else:
        category = ""
    rows = list(registrations)
    waiting_order = {
        pk: number
        for number, pk in enumerate(
            event.registrations.filter(status=Status.WAITING)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True),
            start=1,
        )
    }
    for row in rows:
        row.waiting_number = waiting_order.get(row.pk)
    counts = {
        item["status"]: item
        for item in event.registrations.values("status").annotate(
            registrations=Count("pk", distinct=True), seats=Count("attendees")
        )
    }
    left = services.categories_seats_left(event, categories)
    context = {
        "event": event,
        "rows": rows,
        "statuses": [
            (
                value,
                label,
                counts.get(value, {}).get("registrations", 0),
                counts.get(value, {}).get("seats", 0),
            )
            for value, label in Status.choices
        ],
        "categories": [(c, left[c.pk]) for c in categories],
        "seats_left": services.seats_left(event),
        "status": status,
        "category": category,
        "formats": FORMATS,
        "may_manage": request.user.has_perm(MANAGE_PERM),
    }
    return render(request, "engagement/staff/participants.html", context)


@require_safe
@permission_required(READ_PERM)
def participants_export(request: HttpRequest, pk: int, file_format: str) -> Any:
    """One line per attendee, with the registration's details and answers."""
    if file_format not in FORMATS:
        raise Http404
    event = get_object_or_404(Event, pk=pk)
    questions = list(event.questions.all())
    headers = [
        _("Event"),
        _("Status"),
        _("Ticket category"),
        _("Organisation"),
        _("Contact e-mail address"),
        _("First name"),
        _("Last name"),
        _("E-mail address"),
        *(question.label for question in questions),
        _("Amount per person (€)"),
        _("Registered at"),
        _("Checked in at"),
    ]
    statuses = dict(Status.choices)

    def rows() -> Any:
        for registration in _registrations(event):
            share = (
                (registration.amount / registration.seats).quantize(Decimal("0.01"))
                if registration.seats
                else Decimal(0)
            )
            for attendee in registration.attendees.all():
                yield [
                    event.title,
                    statuses[registration.status],
                    registration.category.name if registration.category else "",
                    registration.organisation.name if registration.organisation else "",
                    registration.email,
                    attendee.first_name,
                    attendee.last_name,
                    attendee.email,
                    *(registration.answers.get(str(question.pk), "") for question in questions),
                    share,
                    registration.created_at,
                    attendee.checked_in_at,
                ]

    return export_response(
        file_format, rows=rows(), headers=headers, filename=f"inscrits-{event.slug}", title=_("Participants")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE_PERM)
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Search by name or e-mail, or type or scan the registration's code; check an attendee in."""
    event = get_object_or_404(Event, pk=pk)
    if request.method == "POST":
        query = request.POST.get("q", "")
        attendee_pk = request.POST.get("attendee", "")
        attendee = get_object_or_404(
            Attendee.objects.select_related("registration"),
            pk=int(attendee_pk) if attendee_pk.isdigit() else 0,
            registration__event=event,
        )
        try:
            if services.check_in(attendee):
                messages.success(request, _("%(name)s is checked in.") % {"name": attendee})
            else:
                messages.info(
                    request,
                    _("%(name)s was already checked in at %(time)s.")
                    % {
                        "name": attendee,
                        "time": timezone.localtime(attendee.checked_in_at).strftime("%H:%M"),
                    },
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        url = reverse("engagement_staff:check_in", args=[event.pk])
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    query = request.GET.get("q", "").strip()
    results = list(services.attendees_search(event, query).order_by("last_name", "first_name", "pk")[:50])
    checked = Attendee.objects.filter(registration__event=event, registration__status=Status.CONFIRMED)
    context = {
        "event": event,
        "query": query,
        "results": results,
        "checked_in": checked.filter(checked_in_at__isnull=False).count(),
        "expected": checked.count(),
    }
    return render(request, "engagement/staff/check_in.html", context)
