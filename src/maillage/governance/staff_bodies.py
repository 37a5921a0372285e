"""Staff pages of the bodies (/gestion/gouvernance/): seats held and left per collège and per
office, the alerts (terms ending within 60 days, co-optations awaiting ratification), adding
and ending mandates, and the minutes of a closed assembly (preview, then approval).

The back office and the elected read (``governance.view_mandate``); the team writes
(``governance.add_mandate``, ``governance.change_mandate``, ``governance.manage_assembly`` for
the minutes). Every write goes through the services, whose refusals are shown with nothing
written."""

from collections import defaultdict
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.accounts.models import User
from maillage.core.permissions import permission_required
from maillage.directory.models import College, Organisation
from maillage.governance.forms_bodies import (
    MandateEndForm,
    MandateForm,
    MemberChoiceForm,
    MinutesApproveForm,
    current_member_organisations,
)
from maillage.governance.models import Assembly, Body, Mandate, Vote
from maillage.governance.public_views import active_mandates
from maillage.governance.services import bodies as services
from maillage.governance.services.minutes import minutes_approve, minutes_render

READ_PERM = "governance.view_mandate"
ADD_PERM = "governance.add_mandate"
CHANGE_PERM = "governance.change_mandate"
READ_ASSEMBLY_PERM = "governance.view_assembly"
MANAGE_ASSEMBLY_PERM = "governance.manage_assembly"
ALERT_DAYS = 60


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _errors(form: Form, exc: ValidationError) -> None:
    """A service's refusal on the form: per field when it names one, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _seats(body: Body, mandates: list[Mandate]) -> list[dict[str, Any]]:
    """Per collège (capped bodies) or per office: held, and left when there is a limit."""
    if body.seats_per_college is not None:
        held: dict[str, int] = defaultdict(int)
        for mandate in mandates:
            held[mandate.college] += 1
        return [
            {
                "label": label,
                "held": held[value],
                "cap": body.seats_per_college,
                "left": body.seats_per_college - held[value],
            }
            for value, label in College.choices
        ]
    by_office: dict[int, int] = defaultdict(int)
    for mandate in mandates:
        if mandate.office_id:
            by_office[mandate.office_id] += 1
    return [
        {
            "label": office.name,
            "held": by_office[office.pk],
            "cap": office.holders,
            "left": office.holders - by_office[office.pk],
        }
        for office in body.offices.all()
    ]


@require_safe
@permission_required(READ_PERM)
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bodies = list(Body.objects.prefetch_related("offices"))
    by_body: dict[int, list[Mandate]] = defaultdict(list)
    for mandate in active_mandates(bodies, today):
        by_body[mandate.body_id].append(mandate)
    awaiting = (
        Mandate.objects.filter(co_opted=True, ratified_at__isnull=True, state=Mandate.State.ACTIVE)
        .select_related("body", "person", "organisation")
        .order_by("start", "pk")
    )
    minutes_due = Assembly.objects.filter(state=Assembly.State.CLOSED, minutes_approved_on__isnull=True)
    # The assemblies that may ratify a co-optation: those in session or held, latest first.
    ratifying = Assembly.objects.filter(state__in=[Assembly.State.OPEN, Assembly.State.CLOSED])
    context = {
        "ratifying": list(ratifying.order_by("-starts_at")[:5]),
        "bodies": [
            {
                "body": body,
                "seats": _seats(body, by_body[body.pk]),
                "mandates": sorted(by_body[body.pk], key=lambda m: (m.college, m.person.last_name)),  # type: ignore[union-attr]
            }
            for body in bodies
        ],
        "ending": list(services.mandates_ending(ALERT_DAYS, today).order_by("end", "pk")),
        "awaiting": list(awaiting),
        "minutes_due": list(minutes_due.order_by("-starts_at")),
        "alert_days": ALERT_DAYS,
    }
    return render(request, "governance/staff/bodies.html", context)


def _organisation(request: HttpRequest) -> Organisation | None:
    """The member chosen in the first step (GET) or posted with the form."""
    value = request.POST.get("organisation") if request.method == "POST" else request.GET.get("organisation")
    if not value or not str(value).isdigit():
        return None
    return current_member_organisations().filter(pk=value).first()


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(ADD_PERM)
def mandate_add(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if request.method == "POST":
        form = MandateForm(request.POST, organisation=organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                mandate = services.mandate_add(
                    body=data["body"],
                    person=data["person"],
                    organisation=data["organisation"],
                    office=data["office"],
                    start=data["start"],
                    co_opted=data["co_opted"],
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Mandate of %(person)s in the %(body)s recorded, until %(end)s.")
                    % {
                        "person": mandate.person,
                        "body": mandate.body,
                        "end": mandate.end.strftime("%d/%m/%Y"),
                    },
                )
                return redirect("governance_staff:index")
        status = 400
    else:
        initial = {"organisation": organisation, "start": timezone.localdate()}
        form = MandateForm(initial=initial, organisation=organisation)
        status = 200
    choice = MemberChoiceForm(initial={"organisation": organisation})
    context = {"form": form, "choice": choice, "organisation": organisation}
    return render(request, "governance/staff/mandate_add.html", context, status=status)


@require_POST
@permission_required(CHANGE_PERM)
def mandate_ratify(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a general assembly ratified a co-optation."""
    mandate = get_object_or_404(Mandate, pk=pk)
    assembly = Assembly.objects.filter(
        pk=request.POST.get("assembly") or 0, state__in=[Assembly.State.OPEN, Assembly.State.CLOSED]
    ).first()
    if assembly is None:
        messages.error(request, _("Choose the general assembly that ratified the co-optation."))
        return redirect("governance_staff:index")
    try:
        services.mandate_ratify(mandate=mandate, assembly=assembly)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The co-optation of %(person)s is ratified by « %(assembly)s ».")
            % {"person": mandate.person, "assembly": assembly.title},
        )
    return redirect("governance_staff:index")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(CHANGE_PERM)
def mandate_end(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(
        Mandate.objects.select_related("body", "person", "organisation", "office"), pk=pk
    )
    if not request.user.has_perm(CHANGE_PERM, mandate):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = MandateEndForm(request.POST)
        if form.is_valid():
            try:
                services.mandate_end(
                    mandate=mandate, on=form.cleaned_data["on"], resigned=form.cleaned_data["resigned"]
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(
                    request, _("The mandate of %(person)s has ended.") % {"person": mandate.person}
                )
                return redirect("governance_staff:index")
        status = 400
    else:
        form = MandateEndForm(initial={"on": timezone.localdate()})
    return render(
        request, "governance/staff/mandate_end.html", {"form": form, "mandate": mandate}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(READ_ASSEMBLY_PERM)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes of an assembly: ``?format=pdf`` previews the PDF generated from the records;
    the team approves it once the assembly is closed (stored, then e-mailed to the members)."""
    assembly = get_object_or_404(Assembly, pk=pk)
    if request.method != "POST" and request.GET.get("format") == "pdf":
        response = HttpResponse(minutes_render(assembly), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="proces-verbal-apercu-{assembly.pk}.pdf"'
        return response
    status = 200
    if request.method == "POST":
        if not request.user.has_perm(MANAGE_ASSEMBLY_PERM, assembly):
            raise PermissionDenied
        form = MinutesApproveForm(request.POST)
        if form.is_valid():
            try:
                minutes_approve(assembly=assembly, on=form.cleaned_data["on"], by=_user(request))
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The minutes are approved and published to the members."))
                return redirect("governance_staff:minutes", pk=assembly.pk)
        status = 400
    else:
        form = MinutesApproveForm(initial={"on": timezone.localdate()})
    context = {
        "assembly": assembly,
        "form": form,
        "closed_votes": assembly.votes.filter(state=Vote.State.CLOSED).count(),
        "open_votes": assembly.votes.exclude(state=Vote.State.CLOSED).count(),
        "participations": assembly.participations.count(),
    }
    return render(request, "governance/staff/minutes.html", context, status=status)
