"""Payments of dues and their receipts. A payment is never changed nor deleted: a mistake is
cancelled by a credit note, an overpayment refunded by a negative payment. Each payment and
credit note gets a receipt numbered per year without gaps or duplicates: the number is taken
from the year's ReceiptSequence row, whose lock serialises concurrent payments, in the same
transaction as the payment (a rollback gives the number back)."""

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.money import euros
from maillage.core.pdf import render_pdf
from maillage.membership.models import Dues, Payment, Receipt, ReceiptSequence
from maillage.membership.notify import notify
from maillage.membership.selectors import dues_with_balance, member_recipients

# Above this, an amount is a typing mistake (dues are counted in hundreds of euros).
AMOUNT_MAX = Decimal("100000.00")


def _check_amount(amount: Decimal) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationError({"amount": _("Enter an amount in euros.")})
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    if amount > AMOUNT_MAX:
        raise ValidationError(
            {"amount": _("An amount above %(max)s is not plausible for dues.") % {"max": euros(AMOUNT_MAX)}}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("An amount has at most two decimals.")})


def _check_open(dues: Dues, received_on: datetime.date) -> None:
    if dues.year.closed:
        raise ValidationError(
            _("The accounts of %(year)s are closed: no more payments for that year.")
            % {"year": dues.year.year}
        )
    ended = dues.membership.ended_on
    if ended is not None and ended < datetime.date(dues.year.year, 1, 1):
        raise ValidationError(
            _("This organisation was no longer a member in %(year)s.") % {"year": dues.year.year}
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})


def _receipt_number(year: int) -> int:
    ReceiptSequence.objects.get_or_create(year=year)
    ReceiptSequence.objects.filter(year=year).update(last=F("last") + 1)  # locks the row until commit
    return ReceiptSequence.objects.get(year=year).last


def _issue(payment: Payment) -> Receipt:
    organisation = payment.dues.membership.organisation
    commune = organisation.commune
    town = commune.postal_town if commune else ""
    address = "\n".join(part for part in (organisation.address, town) if part)
    year = timezone.localdate().year
    receipt = Receipt.objects.create(
        payment=payment,
        year=year,
        number=_receipt_number(year),
        organisation_name=organisation.name,
        address=address,
    )
    transaction.on_commit(lambda: _after_issue(receipt.pk))
    return receipt


def _after_issue(receipt_id: int) -> None:
    from maillage.membership.tasks import receipt_send

    receipt_send.delay(receipt_id)


@transaction.atomic
def payment_record(
    *,
    dues: Dues,
    amount: Decimal,
    method: str,
    received_on: datetime.date,
    reference: str = "",
    note: str = "",
    by: User | None = None,
    source_key: str | None = None,
) -> Payment:
    """Record money received for dues, and issue its receipt."""
    _check_amount(amount)
    dues = Dues.objects.select_related("year", "membership__organisation__commune").get(pk=dues.pk)
    _check_open(dues, received_on)
    if source_key and Payment.objects.filter(source_key=source_key).exists():
        raise ValidationError(_("This line has already been recorded as a payment."))
    payment = Payment(
        dues=dues,
        amount=amount,
        method=method,
        received_on=received_on,
        reference=reference.strip(),
        note=note.strip(),
        recorded_by=by,
        source_key=source_key or None,
    )
    payment.full_clean()
    payment.save()
    _issue(payment)
    return payment


@transaction.atomic
def payment_cancel(*, payment: Payment, reason: str, by: User) -> Payment:
    """Cancel a payment recorded by mistake: a credit note of the opposite amount."""
    payment = (
        Payment.objects.select_for_update()
        .select_related("dues__year", "dues__membership")
        .get(pk=payment.pk)
    )
    if payment.kind != Payment.Kind.PAYMENT:
        raise ValidationError(_("Only a payment can be cancelled."))
    if Payment.objects.filter(cancels=payment).exists():
        raise ValidationError(_("This payment has already been cancelled."))
    if not reason.strip():
        raise ValidationError({"note": _("Give the reason for the cancellation.")})
    today = timezone.localdate()
    _check_open(payment.dues, today)
    credit = Payment.objects.create(
        dues=payment.dues,
        kind=Payment.Kind.CANCELLATION,
        amount=-payment.amount,
        method=payment.method,
        received_on=today,
        reference=payment.reference,
        cancels=payment,
        note=reason.strip(),
        recorded_by=by,
    )
    _issue(credit)
    return credit


@transaction.atomic
def payment_refund(*, dues: Dues, amount: Decimal, method: str, note: str, by: User) -> Payment:
    """Refund (part of) an overpayment."""
    _check_amount(amount)
    dues = dues_with_balance(Dues.objects.select_related("year", "membership").filter(pk=dues.pk)).get()
    today = timezone.localdate()
    _check_open(dues, today)
    overpaid: Decimal = -dues.balance  # type: ignore[attr-defined]  # annotated by dues_with_balance
    if amount > overpaid:
        raise ValidationError(
            {
                "amount": _("Only what was overpaid (%(over)s) can be refunded.")
                % {"over": euros(max(overpaid, Decimal("0.00")))}
            }
        )
    refund = Payment.objects.create(
        dues=dues,
        kind=Payment.Kind.REFUND,
        amount=-amount,
        method=method,
        received_on=today,
        note=note.strip(),
        recorded_by=by,
    )
    _issue(refund)
    return refund


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt's PDF: rendered once, then always the stored file (a receipt never changes)."""
    if receipt.pdf:
        with receipt.pdf.open("rb") as stored:
            return stored.read()
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().select_related("payment__dues__year").get(pk=receipt.pk)
        if receipt.pdf:
            return receipt_pdf(receipt)
        content = render_pdf("membership/pdf/receipt.html", {"receipt": receipt, "payment": receipt.payment})
        receipt.sha256 = hashlib.sha256(content).hexdigest()
        receipt.pdf.save(f"recu-{receipt.label}.pdf", ContentFile(content), save=False)
        receipt.save(update_fields=["pdf", "sha256"])
    return content


def receipt_send(*, receipt_id: int) -> None:
    """Render the receipt and send it to the member (once)."""
    receipt = Receipt.objects.select_related(
        "payment__dues__membership__organisation", "payment__dues__year"
    ).get(pk=receipt_id)
    content = receipt_pdf(receipt)
    organisation = receipt.payment.dues.membership.organisation
    notify(
        to=member_recipients(organisation),
        template="receipt",
        context={"receipt": receipt, "payment": receipt.payment, "organisation": organisation},
        key=f"receipt:{receipt.pk}",
        attachments=[(f"recu-{receipt.label}.pdf", content, "application/pdf")],
    )
