"""Staff pages of the dues (under /gestion/adhesions/cotisations/): the years with what is
expected and received, a year's dues with their balance, the launch of the call for payment,
and one member's dues with its payments, receipts and corrections.

The back office reads (``membership.view_dues``: auditors included); staff and administrators
set amounts and launch calls (``membership.manage_dues``) and record payments
(``membership.add_payment``). Every write goes through the services, whose messages are shown
in the form; a refused write writes nothing."""

from decimal import Decimal
from typing import Any, cast

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.accounts.models import User
from maillage.core.exports import FORMATS, export_response
from maillage.core.money import euros
from maillage.core.permissions import permission_required
from maillage.directory.models import College, Organisation
from maillage.directory.search import text_search
from maillage.membership.models import Dues, MembershipYear, Payment, Receipt
from maillage.membership.selectors import dues_with_balance
from maillage.membership.services import dues as dues_services
from maillage.membership.services import payments as payment_services

READ_PERM = "membership.view_dues"
MANAGE_PERM = "membership.manage_dues"
PAY_PERM = "membership.add_payment"
PER_PAGE = 50
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _show_errors(form: forms.Form, exc: ValidationError) -> None:
    """The service's messages on the form's fields (or above the form for the others)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Forms -------------------------------------------------------------------------------------------


def _amount_field(label: Any) -> forms.DecimalField:
    # Localised: "1 250,50" is accepted. No bounds here: the service says what is wrong.
    return forms.DecimalField(
        label=label, max_digits=14, localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class AmountForm(forms.Form):
    amount = _amount_field(gettext_lazy("Amount due (€)"))
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for an amount other than the scale’s"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount > payment_services.AMOUNT_MAX:
            raise ValidationError(
                _("An amount above %(max)s is not plausible for dues.")
                % {"max": euros(payment_services.AMOUNT_MAX)}
            )
        return amount


class PaymentForm(forms.Form):
    amount = _amount_field(gettext_lazy("Amount received (€)"))
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Payment.Method.choices)
    received_on = forms.DateField(
        label=gettext_lazy("Date received"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference (cheque number, transfer label…)"), required=False, max_length=200
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefundForm(forms.Form):
    amount = _amount_field(gettext_lazy("Amount refunded (€)"))
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Payment.Method.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 2})
    )


# --- Years -------------------------------------------------------------------------------------------


def _years() -> QuerySet[MembershipYear]:
    """Each year with its members, the dues expected and the money received (subqueries: no
    join multiplies another's sum)."""
    dues = Dues.objects.filter(year=OuterRef("pk")).order_by().values("year")
    received = Payment.objects.filter(dues__year=OuterRef("pk")).order_by().values("dues__year")
    decimal: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
    return MembershipYear.objects.annotate(
        members=Coalesce(Subquery(dues.annotate(n=Count("pk")).values("n")), 0),
        expected=Coalesce(Subquery(dues.annotate(s=Sum("amount")).values("s"), output_field=decimal), ZERO),
        received=Coalesce(
            Subquery(received.annotate(s=Sum("amount")).values("s"), output_field=decimal), ZERO
        ),
    ).order_by("-year")


@require_safe
@permission_required(READ_PERM)
def year_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_years(), PER_PAGE).get_page(request.GET.get("page"))
    for year in page.object_list:
        year.balance = year.expected - year.received
    return render(request, "membership/staff/year_list.html", {"page": page})


class DuesFilter(django_filters.FilterSet):
    STATUSES = (
        ("unpaid", gettext_lazy("Unpaid")),
        ("paid", gettext_lazy("Paid")),
        ("overpaid", gettext_lazy("Overpaid")),
    )
    q = django_filters.CharFilter(label=gettext_lazy("Organisation"), method="filter_search", max_length=200)
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Payment"), choices=STATUSES, method="filter_status"
    )
    college = django_filters.ChoiceFilter(
        label=gettext_lazy("Collège"), choices=College.choices, field_name="membership__college"
    )

    class Meta:
        model = Dues
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Dues], name: str, value: str) -> QuerySet[Dues]:
        return queryset.filter(membership__organisation__in=text_search(Organisation.objects.all(), value))

    def filter_status(self, queryset: QuerySet[Dues], name: str, value: str) -> QuerySet[Dues]:
        lookup = {"unpaid": "balance__gt", "paid": "balance", "overpaid": "balance__lt"}[value]
        return queryset.filter(**{lookup: 0})


def _year_dues(request: HttpRequest, year: MembershipYear) -> DuesFilter:
    queryset = (
        dues_with_balance(Dues.objects.filter(year=year))
        .select_related("membership__organisation", "year")
        .order_by("membership__organisation__name", "pk")
    )
    return DuesFilter(request.GET, queryset=queryset)


@require_safe
@permission_required(READ_PERM)
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    membership_year = get_object_or_404(MembershipYear, year=year)
    filterset = _year_dues(request, membership_year)
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"year": membership_year, "filter": filterset, "page": page}
    return render(request, "membership/staff/year_detail.html", context)


@require_safe
@permission_required(READ_PERM)
def dues_export(request: HttpRequest, year: int, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    membership_year = get_object_or_404(MembershipYear, year=year)
    dues = _year_dues(request, membership_year).qs
    headers = [
        _("Organisation"), _("Collège"), _("Fee of the scale (€)"), _("Amount due (€)"),
        _("Reason for the amount"), _("Received (€)"), _("Balance (€)"), _("Call sent on"), _("Reference"),
    ]  # fmt: skip
    rows = (
        (
            item.membership.organisation.name,
            item.membership.get_college_display(),
            item.scale_amount,
            item.amount,
            item.override_reason,
            item.received,
            item.balance,
            item.called_at,
            f"COT-{item.pk}",
        )
        for item in dues.iterator(chunk_size=500)
    )
    filename = f"cotisations-{membership_year.year}"
    return cast(HttpResponse, export_response(file_format, rows=rows, headers=headers, filename=filename))


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE_PERM)
def call_launch(request: HttpRequest, year: int) -> HttpResponse:
    """A confirmation page saying how many calls will go, then the launch."""
    membership_year = get_object_or_404(MembershipYear, year=year)
    if request.method == "POST":
        try:
            count = dues_services.dues_call_launch(year=membership_year, by=_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if count:
                message = ngettext(
                    "%(count)s call for payment is being sent.",
                    "%(count)s calls for payment are being sent.",
                    count,
                )
                messages.success(request, message % {"count": count})
            else:
                messages.info(request, _("Every member has already received the call: nothing was sent."))
            return redirect("membership_staff:year", year=membership_year.year)
    members = dues_services.members_of_year(membership_year)
    called = set(
        Dues.objects.filter(year=membership_year, called_at__isnull=False).values_list(
            "membership_id", flat=True
        )
    )
    context = {
        "year": membership_year,
        "pending": sum(1 for member in members if member.pk not in called),
        "already": len(called),
    }
    return render(request, "membership/staff/year_call.html", context)


# --- One member's dues ---------------------------------------------------------------------------------


def _dues(pk: int) -> Dues:
    queryset = dues_with_balance(Dues.objects.filter(pk=pk)).select_related(
        "membership__organisation", "year"
    )
    return get_object_or_404(queryset)


def _detail(request: HttpRequest, dues: Dues, status: int = 200, **forms_given: Any) -> HttpResponse:
    balance: Decimal = dues.balance  # type: ignore[attr-defined]  # dues_with_balance's annotation
    payments = dues.payments.select_related(
        "receipt", "cancels__receipt", "cancelled_by", "recorded_by"
    ).order_by("received_on", "pk")
    rows = []
    for payment in payments:
        cancellable = payment.kind == Payment.Kind.PAYMENT and not hasattr(payment, "cancelled_by")
        form = forms_given.get(f"cancel_{payment.pk}") or (
            CancelForm(prefix=f"p{payment.pk}") if cancellable else None
        )
        rows.append((payment, form))
    context = {
        "dues": dues,
        "payments": rows,
        "amount_form": forms_given.get("amount")
        or AmountForm(initial={"amount": dues.amount, "override_reason": dues.override_reason}),
        "payment_form": forms_given.get("payment")
        or PaymentForm(initial={"received_on": timezone.localdate(), "method": Payment.Method.TRANSFER}),
        "refund_form": forms_given.get("refund")
        or RefundForm(
            initial={"amount": -balance if balance < 0 else None, "method": Payment.Method.TRANSFER}
        ),
        "overpaid": balance < 0,
    }
    return render(request, "membership/staff/dues_detail.html", context, status=status)


@require_safe
@permission_required(READ_PERM)
def dues_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _dues(pk))


@require_POST
@permission_required(MANAGE_PERM)
def dues_amount(request: HttpRequest, pk: int) -> HttpResponse:
    dues = _dues(pk)
    form = AmountForm(request.POST)
    if form.is_valid():
        try:
            dues_services.dues_set_amount(
                dues=dues,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["override_reason"],
                by=_user(request),
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("The amount due has been changed."))
            return redirect("membership_staff:dues", pk=dues.pk)
    return _detail(request, _dues(pk), status=400, amount=form)


@require_POST
@permission_required(PAY_PERM)
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    dues = _dues(pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment_services.payment_record(dues=dues, by=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("The payment has been recorded; its receipt is sent to the member."))
            return redirect("membership_staff:dues", pk=dues.pk)
    return _detail(request, dues, status=400, payment=form)


@require_POST
@permission_required(PAY_PERM)
def refund_add(request: HttpRequest, pk: int) -> HttpResponse:
    dues = _dues(pk)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            payment_services.payment_refund(dues=dues, by=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("The refund has been recorded."))
            return redirect("membership_staff:dues", pk=dues.pk)
    return _detail(request, dues, status=400, refund=form)


@require_POST
@permission_required(PAY_PERM)
def payment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(Payment, pk=pk)
    form = CancelForm(request.POST, prefix=f"p{payment.pk}")
    if form.is_valid():
        try:
            payment_services.payment_cancel(
                payment=payment, reason=form.cleaned_data["note"], by=_user(request)
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("The payment has been cancelled by a credit note."))
            return redirect("membership_staff:dues", pk=payment.dues_id)
    return _detail(request, _dues(payment.dues_id), status=400, **{f"cancel_{payment.pk}": form})


@require_safe
@permission_required("membership.view_receipt")
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Any receipt, as issued (the stored PDF once rendered)."""
    receipt = get_object_or_404(Receipt, pk=pk)
    response = HttpResponse(payment_services.receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-{receipt.label}.pdf"'
    return response
