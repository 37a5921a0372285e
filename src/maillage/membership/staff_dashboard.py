"""The staff's dashboard of the membership (/gestion/adhesions/): members by collège, category
and département, dues expected and received, the late list; the list of members with its
filters and exports; a member's page and the recording of its end; the payments journal for
the accountant. Statuses of many members come from ``reports.memberships_with_status`` (one
query), never from one ``membership_status`` call per member.

The back office reads (``membership.view_dashboard``); the staff end a membership
(``membership.change_membership``)."""

import csv
import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.models import User
from maillage.core.exports import FORMATS, csv_value, export_response
from maillage.core.models import Departement
from maillage.core.permissions import permission_required
from maillage.directory.models import Affiliation, Category, College
from maillage.membership.forms_space import MembershipEndForm
from maillage.membership.models import Membership, Payment
from maillage.membership.reports import dues_by_year, late_members, members_by, memberships_with_status
from maillage.membership.selectors import REPRESENTATIVE_ROLES, dues_with_balance
from maillage.membership.selectors import representatives as current_representatives
from maillage.membership.services.applications import membership_end
from maillage.membership.status import Status, membership_status

READ_PERM = "membership.view_dashboard"
PAGE_SIZE = 50
LATE_LIST_MAX = 100


# --- Dashboard ---------------------------------------------------------------------------------------


@require_safe
@permission_required(READ_PERM)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    late = list(late_members(today)[: LATE_LIST_MAX + 1])
    years = dues_by_year(3, today)
    expected, received = _("Expected"), _("Received")
    chart_data = [
        {"year": str(row.year), "series": series, "amount": float(amount)}
        for row in years
        for series, amount in ((expected, row.expected), (received, row.received))
    ]
    context = {
        "today": today,
        "breakdowns": members_by(today),
        "years": years,
        "chart_data": chart_data,
        "late": late[:LATE_LIST_MAX],
        "late_more": len(late) > LATE_LIST_MAX,
    }
    return render(request, "membership/staff/dashboard.html", context)


# --- Members: list, export ------------------------------------------------------------------------------


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="filter_search", max_length=200)
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, method="filter_status"
    )
    college = django_filters.ChoiceFilter(label=gettext_lazy("Collège"), choices=College.choices)
    category = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        field_name="organisation__category",
    )
    departement = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Département"),
        queryset=Departement.objects.all(),
        field_name="organisation__commune__departement",
    )

    class Meta:
        model = Membership
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        query = Q()
        for word in value.split():
            query &= Q(organisation__name__icontains=word) | Q(organisation__acronym__icontains=word)
        return queryset.filter(query)

    def filter_status(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        return queryset.filter(status=value)  # type: ignore[misc]


def _members(request: HttpRequest) -> tuple[MemberFilter, QuerySet[Membership]]:
    filterset = MemberFilter(request.GET, queryset=memberships_with_status())
    members = filterset.qs.select_related("organisation__category", "organisation__commune").order_by(
        "organisation__name", "-member_since"
    )
    return filterset, members


@require_safe
@permission_required(READ_PERM)
def member_list(request: HttpRequest) -> HttpResponse:
    filterset, members = _members(request)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "membership/staff/member_list.html",
        {"filter": filterset, "page": page, "year": timezone.localdate().year, "statuses": Status.choices},
    )


def _export_rows(members: QuerySet[Membership]) -> Iterator[list[Any]]:
    for membership in members:
        organisation = membership.organisation
        commune = organisation.commune
        reps = organisation.current_representatives  # type: ignore[attr-defined]
        yield [
            organisation.name,
            membership.get_college_display(),
            organisation.category.name if organisation.category else "",
            commune.name if commune else "",
            commune.departement_id if commune else "",
            membership.member_since,
            Status(membership.status).label,  # type: ignore[attr-defined]
            [str(a.person) for a in reps],
            [a.person.email for a in reps if a.person.email],
            membership.due,  # type: ignore[attr-defined]
            membership.received if membership.due is not None else None,  # type: ignore[attr-defined]
        ]


@require_safe
@permission_required(READ_PERM)
def member_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    today = timezone.localdate()
    _filterset, members = _members(request)
    members = members.prefetch_related(
        Prefetch(
            "organisation__affiliations",
            queryset=Affiliation.objects.filter(role__in=REPRESENTATIVE_ROLES)
            .filter(Q(end__isnull=True) | Q(end__gte=today))
            .select_related("person")
            .order_by("-role", "person__last_name"),
            to_attr="current_representatives",
        )
    )
    year = today.year
    headers = [
        _("Organisation"),
        _("Collège"),
        _("Category"),
        _("Commune"),
        _("Département"),
        _("Member since"),
        _("Status"),
        _("Representatives"),
        _("Representatives’ e-mail addresses"),
        _("Dues %(year)s (€)") % {"year": year},
        _("Received %(year)s (€)") % {"year": year},
    ]
    response = export_response(
        file_format,
        rows=_export_rows(members),
        headers=headers,
        filename=f"adherents-{today:%Y-%m-%d}",
        title=_("Members"),
    )
    return cast(HttpResponse, response)  # or a streamed CSV, which the guard lets through as well


# --- One member ---------------------------------------------------------------------------------------


@require_safe
@permission_required(READ_PERM)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("organisation__category", "organisation__commune", "application"),
        pk=pk,
    )
    dues = (
        dues_with_balance(membership.dues.all())
        .select_related("year")
        .prefetch_related(
            Prefetch(
                "payments", queryset=Payment.objects.select_related("receipt").order_by("received_on", "pk")
            )
        )
        .order_by("-year__year")
    )
    others = Membership.objects.filter(organisation=membership.organisation).exclude(pk=membership.pk)
    context = {
        "membership": membership,
        "status": membership_status(membership),
        "dues": dues,
        "representatives": current_representatives(membership.organisation),
        "history": membership.history.select_related("history_user").order_by("-history_date")[:50],
        "others": others.order_by("-member_since"),
    }
    return render(request, "membership/staff/member_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("membership.change_membership")
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    if membership.ended_on is not None:
        messages.error(request, _("This membership has already ended."))
        return redirect("membership_staff:member", pk=membership.pk)
    form = MembershipEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(
                membership=membership,
                end=form.cleaned_data["end"],
                on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
                by=cast(User, request.user),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("The end of the membership has been recorded."))
            return redirect("membership_staff:member", pk=membership.pk)
    return render(request, "membership/staff/member_end.html", {"form": form, "membership": membership})


# --- Payments journal ------------------------------------------------------------------------------------


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _amount(value: Decimal) -> str:
    """A French decimal: a comma, two decimals, no thousands separator (what spreadsheets read)."""
    return f"{value:.2f}".replace(".", ",")


class _Echo:
    def write(self, value: str) -> str:
        return value


def journal_payments(params: Any) -> QuerySet[Payment]:
    """The payments, credit notes and refunds, filtered by ``year`` (of the dues) and by the
    dates ``from`` and ``to`` (received on, inclusive), in the order of their dates."""
    payments = Payment.objects.select_related("dues__membership__organisation", "dues__year", "receipt")
    year = params.get("year", "")
    if year.isdigit():
        payments = payments.filter(dues__year__year=int(year))
    if (start := _date(params.get("from"))) is not None:
        payments = payments.filter(received_on__gte=start)
    if (end := _date(params.get("to"))) is not None:
        payments = payments.filter(received_on__lte=end)
    return payments.order_by("received_on", "pk")


@require_safe
@permission_required(READ_PERM)
def payment_journal(request: HttpRequest) -> HttpResponse:
    """The journal an accountant imports: semicolons, decimal commas, UTF-8 with a BOM (Excel)."""
    writer = csv.writer(_Echo(), delimiter=";")
    headers = [
        _("Date"),
        _("Receipt number"),
        _("Organisation"),
        _("Year"),
        _("Kind"),
        _("Method"),
        _("Reference"),
        _("Amount (€)"),
    ]

    def lines() -> Iterator[bytes]:
        yield ("\ufeff" + writer.writerow(headers)).encode()
        for payment in journal_payments(request.GET).iterator(chunk_size=500):
            receipt = getattr(payment, "receipt", None)
            row = [
                payment.received_on.strftime("%d/%m/%Y"),
                csv_value(receipt.label if receipt else ""),
                csv_value(payment.dues.membership.organisation.name),
                payment.dues.year.year,
                payment.get_kind_display(),
                payment.get_method_display(),
                csv_value(payment.reference),
                _amount(payment.amount),
            ]
            yield writer.writerow(row).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="journal-cotisations-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return cast(HttpResponse, response)
