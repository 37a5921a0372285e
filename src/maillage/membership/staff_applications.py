"""Staff review of the applications (/gestion/adhesions/demandes/): the list, and one
application with the decisions — approve, ask for more, refuse — and the Bureau's ratification.

The back office reads (auditors included); the staff decide; elected people and administrators
ratify, so they read the applications too (the ratification is decided on what they show)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

import django_filters
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.models import User
from maillage.core.exports import FORMATS, export_response
from maillage.directory.models import College
from maillage.membership.forms import DecisionForm
from maillage.membership.models import SIZE_MEASURE, Application, MembershipYear
from maillage.membership.services import applications as services
from maillage.membership.services.dues import fee_compute

READ_PERMS = ("membership.view_application", "membership.ratify_application")
PER_PAGE = 50
OPEN, ALL = "open", "all"


def _reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``permission_required``, for those who review or ratify applications."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not any(request.user.has_perm(perm) for perm in READ_PERMS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[
            (OPEN, gettext_lazy("Open (to decide or to ratify)")),
            *Application.Status.choices,
            (ALL, gettext_lazy("All")),
        ],
        empty_label=None,
        method="filter_status",
    )

    class Meta:
        model = Application
        fields = ("status",)

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("status", OPEN)  # by default, what waits for a decision
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        if value == OPEN:
            return queryset.filter(status__in=Application.OPEN)
        if value == ALL:
            return queryset
        return queryset.filter(status=value)


def _export(file_format: str, applications: Any) -> HttpResponse:
    headers = [_("Date"), _("Organisation"), _("Collège"), _("Size figure"), _("Status"), _("Applicant")]
    rows = (
        [
            timezone.localtime(a.created_at),
            a.organisation.name,
            a.get_college_display(),
            a.size,
            a.get_status_display(),
            a.applicant.email if a.applicant else "",
        ]
        for a in applications.iterator(chunk_size=500)
    )
    return export_response(file_format, rows=rows, headers=headers, filename="demandes-adhesion")  # type: ignore[return-value]


@require_safe
@_reader
def application_list(request: HttpRequest) -> HttpResponse:
    applications = Application.objects.select_related("organisation", "applicant").order_by(
        "-created_at", "-pk"
    )
    filters = ApplicationFilter(request.GET, queryset=applications)
    shown = filters.qs if filters.is_valid() else applications.none()
    file_format = request.GET.get("export")
    if file_format in FORMATS:
        return _export(file_format, shown)
    counts = dict(Application.objects.values_list("status").annotate(n=Count("pk")).order_by())
    context = {
        "filters": filters,
        "page": Paginator(shown, PER_PAGE).get_page(request.GET.get("page")),
        "counts": [(value, label, counts.get(value, 0)) for value, label in Application.Status.choices],
        "open_count": sum(counts.get(status, 0) for status in Application.OPEN),
        "formats": FORMATS,
    }
    return render(request, "membership/staff/application_list.html", context)


def _fee(application: Application) -> tuple[MembershipYear | None, Any]:
    """The fee the organisation would pay this year (None without a scale), or the reason why not."""
    year = MembershipYear.objects.filter(year=timezone.localdate().year).first()
    if year is None or not year.brackets.exists():
        return None, None
    try:
        return year, fee_compute(year=year, college=application.college, size=application.size)
    except ValidationError as error:
        return year, error.messages[0]


ACTIONS: dict[str, tuple[str, Callable[..., Application], Any]] = {
    "approve": (
        "membership.decide_application",
        lambda application, by, reason: services.application_approve(application=application, by=by),
        gettext_lazy("The application has been approved."),
    ),
    "request_info": (
        "membership.decide_application",
        lambda application, by, reason: services.application_request_info(
            application=application, by=by, comment=reason
        ),
        gettext_lazy("The application has been sent back to the applicant."),
    ),
    "refuse": (
        "membership.decide_application",
        lambda application, by, reason: services.application_refuse(
            application=application, by=by, reason=reason
        ),
        gettext_lazy("The application has been refused."),
    ),
    "ratify": (
        "membership.ratify_application",
        lambda application, by, reason: services.application_ratify(application=application, by=by),
        gettext_lazy("The application has been ratified: the organisation is a member."),
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
@_reader
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related(
            "organisation__category",
            "applicant",
            "representative",
            "deputy",
            "statutes",
            "charter",
            "decided_by",
        ),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        action = next((name for name in ACTIONS if name in request.POST), None)
        if action is None:
            return redirect("membership_staff:application", pk=application.pk)
        perm, decide, done = ACTIONS[action]
        if not request.user.has_perm(perm, application):
            raise PermissionDenied
        if form.is_valid():
            try:
                decide(application, cast(User, request.user), form.cleaned_data["reason"])
            except ValidationError as error:
                application.refresh_from_db()
                messages_ = error.message_dict.get("reason") if hasattr(error, "error_dict") else None
                form.add_error("reason" if messages_ else None, messages_ or error.messages)
            else:
                messages.success(request, str(done))
                return redirect("membership_staff:application", pk=application.pk)
    year, fee = _fee(application)
    may_decide = request.user.has_perm("membership.decide_application", application)
    may_ratify = request.user.has_perm("membership.ratify_application", application)
    context = {
        "application": application,
        "measure": SIZE_MEASURE[College(application.college)].label,
        "year": year,
        "fee": fee,
        "fee_known": year is not None and not isinstance(fee, str),
        "history": application.history.select_related("history_user").order_by("history_date"),
        "form": form,
        "may_decide": may_decide,
        "may_ratify": may_ratify,
        "show_decision": (may_decide and application.status in Application.OPEN)
        or (may_ratify and application.status == Application.Status.APPROVED),
    }
    return render(request, "membership/staff/application_detail.html", context)
