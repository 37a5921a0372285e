"""Pages of the commissions: the list, a commission (public part and members' part), its
members, its meetings (registration, attendance, minutes, decisions and actions) and its
yearly activity. Thin: parse, check the permission (``rules.py``), call a service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.commissions import selectors, services
from maillage.commissions.feeds import calendar_token
from maillage.commissions.forms import (
    AttendanceForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    RegistrationForm,
)
from maillage.commissions.models import Commission, Meeting, Member, Outcome
from maillage.core.exports import export_response


def _guard(request: HttpRequest, perm: str, obj: Any) -> HttpResponse | None:
    """A visitor goes to the login page; a user without the permission gets a 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


def _commission(slug: str) -> Commission:
    return get_object_or_404(Commission, slug=slug)


def _meeting(commission: Commission, pk: int) -> Meeting:
    return get_object_or_404(Meeting, commission=commission, pk=pk)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"commissions": selectors.commission_list()}
    if request.user.is_authenticated:
        context["memberships"] = selectors.memberships_of(request.user)
        context["calendar_url"] = request.build_absolute_uri(
            reverse("commissions:my_calendar") + "?token=" + calendar_token(request.user)
        )
    return render(request, "commissions/index.html", context)


@require_safe
def commission(request: HttpRequest, slug: str) -> HttpResponse:
    commission = get_object_or_404(
        Commission.objects.prefetch_related(selectors.conveners_prefetch()), slug=slug
    )
    user = request.user
    membership = selectors.membership(commission, user)
    context: dict[str, Any] = {
        "commission": commission,
        "membership": membership,
        "public_minutes": selectors.public_minutes(commission),
        "members_part": user.has_perm("commissions.view_members_part", commission),
        "can_manage": user.has_perm("commissions.manage_commission", commission),
        "can_report": user.has_perm("commissions.view_report", commission),
    }
    if context["members_part"]:
        active = membership if membership and membership.state == Member.State.ACTIVE else None
        meetings = selectors.meetings_with_answer(commission, active)
        now = timezone.now()
        context.update(
            members=selectors.active_members(commission),
            upcoming=meetings.filter(starts_at__gt=now).order_by("starts_at"),
            past=meetings.filter(starts_at__lte=now).order_by("-starts_at"),
            actions=services.open_actions(commission),
            requests_count=commission.members.filter(state=Member.State.REQUESTED).count(),
            active_member=active is not None,
        )
    return render(request, "commissions/commission.html", context)


@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask to join, or accept the invitation one received."""
    commission = _commission(slug)
    if denied := _guard(request, "commissions.join_commission", commission):
        return denied
    membership = selectors.membership(commission, request.user)
    try:
        if membership is not None and membership.state == Member.State.INVITED:
            services.member_decide(member=membership, accept=True, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Welcome to the commission."))
        else:
            services.member_request(commission=commission, user=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your request has been sent to the conveners."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("commissions:commission", slug=commission.slug)


@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave the commission, withdraw a request or decline an invitation."""
    commission = _commission(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("commissions:commission", args=[slug]))
    membership = selectors.membership(commission, request.user)
    if membership is None:
        raise PermissionDenied
    try:
        if membership.state == Member.State.INVITED:
            services.member_decide(member=membership, accept=False, by=request.user)
        else:
            services.member_leave(member=membership)
        messages.success(request, _("You are no longer a member of this commission."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("commissions:commission", slug=commission.slug)


@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """The conveners' page: requests to answer, invitations, roles."""
    commission = _commission(slug)
    if denied := _guard(request, "commissions.manage_commission", commission):
        return denied
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_invite(
                commission=commission,
                email=form.cleaned_data["email"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been invited.") % {"name": member.user})
            return redirect("commissions:members", slug=commission.slug)
    waiting = commission.members.filter(state__in=(Member.State.REQUESTED, Member.State.INVITED))
    context = {
        "commission": commission,
        "form": form,
        "requests": waiting.filter(state=Member.State.REQUESTED).select_related("user", "organisation"),
        "invitations": waiting.filter(state=Member.State.INVITED).select_related("user"),
        "members": selectors.active_members(commission),
        "roles": Member.Role.choices,
    }
    return render(request, "commissions/members.html", context, status=400 if form.errors else 200)


@require_POST
def member_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A convener accepts or refuses a request, or changes a member's role."""
    commission = _commission(slug)
    if denied := _guard(request, "commissions.manage_commission", commission):
        return denied
    member = get_object_or_404(Member, commission=commission, pk=pk)
    decision, role = request.POST.get("decision"), request.POST.get("role")
    try:
        if decision in ("accept", "refuse") and member.state == Member.State.REQUESTED:
            services.member_decide(member=member, accept=decision == "accept", by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The request has been answered; the person is told by e-mail."))
        elif role:
            services.member_set_role(member=member, role=role)
            messages.success(request, _("The role has been changed."))
        else:
            messages.error(request, _("Nothing to do."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("commissions:members", slug=commission.slug)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    commission = _commission(slug)
    if denied := _guard(request, "commissions.manage_commission", commission):
        return denied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(commission=commission, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The meeting has been added."))
            return redirect("commissions:meeting", slug=commission.slug, pk=meeting.pk)
    status = 400 if form.errors else 200
    return render(
        request, "commissions/meeting_form.html", {"commission": commission, "form": form}, status=status
    )


def _meeting_post(
    request: HttpRequest, meeting: Meeting, membership: Member | None, can_manage: bool
) -> tuple[bool, dict[str, Any]]:
    """Handle a form of the meeting page; (done, forms to show again with their errors)."""
    action = request.POST.get("action")
    if action == "register" and membership is not None and membership.state == Member.State.ACTIVE:
        form: Any = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                services.registration_set(
                    meeting=meeting, member=membership, answer=form.cleaned_data["answer"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your answer has been recorded."))
                return True, {}
        return False, {"registration_form": form}
    if action == "attendance" and can_manage:
        form = AttendanceForm(request.POST, members=selectors.active_members(meeting.commission))
        if form.is_valid():
            try:
                services.attendance_mark(meeting=meeting, present=form.cleaned_data["present"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The attendance has been recorded."))
                return True, {}
        return False, {"attendance_form": form}
    if action == "update" and can_manage:
        form = MeetingForm(request.POST, instance=meeting)
        if form.is_valid():
            try:
                services.meeting_update(meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The meeting has been changed."))
                return True, {}
        meeting.refresh_from_db()
        return False, {"meeting_form": form}
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    commission = _commission(slug)
    if denied := _guard(request, "commissions.view_members_part", commission):
        return denied
    meeting = _meeting(commission, pk)
    membership = selectors.membership(commission, request.user)
    can_manage = request.user.has_perm("commissions.manage_commission", commission)
    forms: dict[str, Any] = {}
    if request.method == "POST":
        done, forms = _meeting_post(request, meeting, membership, can_manage)
        if done:
            return redirect("commissions:meeting", slug=commission.slug, pk=meeting.pk)
    started = meeting.starts_at <= timezone.now()
    registrations = list(selectors.registrations(meeting))
    mine = next((r for r in registrations if membership and r.member_id == membership.pk), None)
    context: dict[str, Any] = {
        "commission": commission,
        "meeting": meeting,
        "membership": membership,
        "can_manage": can_manage,
        "started": started,
        "registrations": registrations,
        "my_registration": mine,
        "outcomes": meeting.outcomes.select_related("owner__user").order_by("-kind", "pk"),
        "carried_over": services.open_actions(commission, before=meeting),
        "documents": meeting.documents.order_by("title"),
    }
    if membership is not None and membership.state == Member.State.ACTIVE and not started:
        initial = {"answer": mine.answer} if mine else None
        context["registration_form"] = forms.get("registration_form") or RegistrationForm(initial=initial)
    if can_manage:
        present = [r.member for r in registrations if r.attended]
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            members=selectors.active_members(commission), initial={"present": present}
        )
        context["meeting_form"] = forms.get("meeting_form") or MeetingForm(instance=meeting)
    return render(request, "commissions/meeting.html", context, status=400 if forms else 200)


def _minutes_post(request: HttpRequest, meeting: Meeting, members: Any) -> tuple[bool, dict[str, Any]]:
    action = request.POST.get("action")
    if action == "minutes":
        form: Any = MinutesForm(request.POST)
        if form.is_valid():
            try:
                services.minutes_save(
                    meeting=meeting, minutes=form.cleaned_data["minutes"], public=form.cleaned_data["public"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The minutes have been saved."))
                return True, {}
        return False, {"minutes_form": form}
    if action == "outcome":
        form = OutcomeForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.outcome_add(meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The decision or action has been added."))
                return True, {}
        return False, {"outcome_form": form}
    if action == "status":
        outcome = get_object_or_404(
            Outcome, pk=request.POST.get("outcome"), meeting__commission=meeting.commission
        )
        try:
            services.outcome_set_status(outcome=outcome, status=request.POST.get("status", ""))
        except ValidationError as error:
            _errors(request, error)
        return True, {}
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The convener writes the minutes and records the decisions and actions."""
    commission = _commission(slug)
    if denied := _guard(request, "commissions.manage_commission", commission):
        return denied
    meeting = _meeting(commission, pk)
    members = selectors.active_members(commission)
    forms: dict[str, Any] = {}
    if request.method == "POST":
        done, forms = _minutes_post(request, meeting, members)
        if done:
            return redirect("commissions:meeting_minutes", slug=commission.slug, pk=meeting.pk)
    context = {
        "commission": commission,
        "meeting": meeting,
        "started": meeting.starts_at <= timezone.now(),
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(initial={"minutes": meeting.minutes, "public": meeting.minutes_public}),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(members=members),
        "outcomes": meeting.outcomes.select_related("owner__user").order_by("-kind", "pk"),
        "carried_over": services.open_actions(commission, before=meeting),
        "statuses": Outcome.Status.choices,
    }
    return render(request, "commissions/meeting_minutes.html", context, status=400 if forms else 200)


def _year(request: HttpRequest) -> tuple[int, str | None]:
    """The ?year= asked for (this year by default), and an error message if it is not a year."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "").strip()
    if not raw:
        return this_year, None
    if raw.isdigit() and 2000 <= int(raw) <= this_year + 1:
        return int(raw), None
    return this_year, _("“%(year)s” is not a year between 2000 and %(last)s.") % {
        "year": raw,
        "last": this_year + 1,
    }


def _activity_rows(figures: dict[str, Any]) -> list[tuple[str, Any]]:
    rate = figures["attendance_rate"]
    return [
        (_("Meetings held"), figures["meetings_held"]),
        (_("Attendance rate (%)"), "" if rate is None else rate),
        (_("Attendances recorded"), figures["attendances_recorded"]),
        (_("Documents added"), figures["documents_added"]),
        (_("Decisions"), figures["decisions"]),
        (_("Actions"), figures["actions"]),
        (_("Actions done"), figures["actions_done"]),
    ]


@require_safe
def activity(request: HttpRequest, slug: str) -> HttpResponse:
    commission = _commission(slug)
    if denied := _guard(request, "commissions.view_report", commission):
        return denied
    year, error = _year(request)
    figures = services.activity(commission, year)
    context = {
        "commission": commission,
        "year": year,
        "error": error,
        "rows": _activity_rows(figures),
    }
    return render(request, "commissions/activity.html", context, status=400 if error else 200)


@require_safe
def activity_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    commission = _commission(slug)
    if denied := _guard(request, "commissions.view_report", commission):
        return denied
    year, error = _year(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    figures = services.activity(commission, year)
    rows = [(commission.name, year, label, value) for label, value in _activity_rows(figures)]
    return export_response(
        "csv",
        rows=rows,
        headers=[_("Commission"), _("Year"), _("Figure"), _("Value")],
        filename=f"activite-{commission.slug}-{year}",
    )
