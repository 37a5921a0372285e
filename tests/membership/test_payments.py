"""Staff pages of the dues and payments: who reads and writes, payments recorded, cancelled by
a credit note and refunded, bad input refused with nothing written, receipts numbered without
gaps and immutable."""

import datetime
import hashlib
import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from maillage.core.money import euros
from maillage.membership.models import Dues, MembershipYear, Payment, Receipt
from maillage.membership.services.payments import AMOUNT_MAX, payment_record
from tests.access import BACK_OFFICE, assert_access, db_snapshot, make_user

WRITERS = BACK_OFFICE | {"auditor": 403}  # staff and administrators write, auditors only read


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dues(make_member, year):
    membership = make_member("Solidarité Toulouse", size=Decimal("25000"))  # 80,00 €
    return Dues.objects.get(membership=membership, year=year)


def _fr(message, **params):
    """The French message, amounts written in euros the French way."""
    with translation.override("fr"):
        text = gettext(message)
        params = {key: euros(value) if isinstance(value, Decimal) else value for key, value in params.items()}
    return text % params if params else text


def _page(response):
    return html.unescape(response.content.decode())


def _pay(client, dues, **fields):
    data = {
        "amount": "30,00",
        "method": "transfer",
        "received_on": timezone.localdate().isoformat(),
        "reference": "VIR 123",
    } | fields
    return client.post(reverse("membership_staff:payment_add", args=[dues.pk]), data)


# --- Who may do what -----------------------------------------------------------------------------------


def test_the_back_office_reads_the_dues_pages(client, users, dues, staff):
    payment = payment_record(
        dues=dues, amount=Decimal("10.00"), method="cheque", received_on=timezone.localdate(), by=staff
    )
    for url in (
        reverse("membership_staff:year_list"),
        reverse("membership_staff:year", args=[dues.year.year]),
        reverse("membership_staff:dues_export", args=[dues.year.year, "csv"]),
        reverse("membership_staff:dues", args=[dues.pk]),
        reverse("membership_staff:receipt_pdf", args=[payment.receipt.pk]),
    ):
        assert_access(client, users, url, expected=BACK_OFFICE)


def test_staff_and_administrators_write(client, users, dues):
    for url in (
        reverse("membership_staff:call_launch", args=[dues.year.year]),
        reverse("membership_staff:statement_upload"),
    ):
        assert_access(client, users, url, expected=WRITERS)
    data = {"amount": "5,00", "method": "cash", "received_on": timezone.localdate().isoformat()}
    url = reverse("membership_staff:payment_add", args=[dues.pk])
    writes = {role: 302 if want == 200 else want for role, want in WRITERS.items()}
    assert_access(client, users, url, method="post", data=data, expected=writes)
    assert Payment.objects.filter(dues=dues).count() == 2  # the staff's and the administrator's
    url = reverse("membership_staff:dues_amount", args=[dues.pk])
    data = {"amount": "50,00", "override_reason": "Petite structure"}
    assert_access(client, users, url, method="post", data=data, expected=writes)


# --- Payments ----------------------------------------------------------------------------------------


def test_a_payment_is_recorded_with_its_receipt(client, dues, staff):
    client.force_login(staff)
    response = _pay(client, dues)
    assert response.status_code == 302
    payment = Payment.objects.get(dues=dues)
    assert (payment.amount, payment.method, payment.reference) == (Decimal("30.00"), "transfer", "VIR 123")
    assert payment.recorded_by == staff
    page = _page(client.get(reverse("membership_staff:dues", args=[dues.pk])))
    assert payment.receipt.label in page
    assert "50,00 €" in page  # what is still due, in the French format


@pytest.mark.parametrize(
    ("amount", "message", "params"),
    [
        ("-5,00", "The amount must be positive.", {}),
        ("0", "The amount must be positive.", {}),
        ("100000,01", "An amount above %(max)s is not plausible for dues.", {"max": AMOUNT_MAX}),
        ("12,345", "An amount has at most two decimals.", {}),
    ],
)
def test_a_bad_amount_is_refused_and_nothing_is_written(client, dues, staff, amount, message, params):
    client.force_login(staff)
    before = db_snapshot()
    response = _pay(client, dues, amount=amount)
    assert response.status_code == 400
    assert _fr(message, **params) in _page(response)
    assert db_snapshot() == before


def test_a_future_date_is_refused(client, dues, staff):
    client.force_login(staff)
    before = db_snapshot()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _pay(client, dues, received_on=tomorrow.isoformat())
    assert response.status_code == 400
    assert _fr("The date cannot be in the future.") in _page(response)
    assert db_snapshot() == before


def test_no_payment_for_a_closed_year(client, dues, staff):
    MembershipYear.objects.filter(pk=dues.year_id).update(closed=True)
    client.force_login(staff)
    before = db_snapshot()
    response = _pay(client, dues)
    assert response.status_code == 400
    message = _fr("The accounts of %(year)s are closed: no more payments for that year.", year=dues.year.year)
    assert message in _page(response)
    assert db_snapshot() == before


def test_no_payment_for_a_year_after_the_membership_ended(client, dues, staff):
    ended = datetime.date(dues.year.year - 1, 6, 30)
    type(dues.membership).objects.filter(pk=dues.membership_id).update(ended_on=ended, end="resigned")
    client.force_login(staff)
    before = db_snapshot()
    response = _pay(client, dues)
    assert response.status_code == 400
    message = _fr("This organisation was no longer a member in %(year)s.", year=dues.year.year)
    assert message in _page(response)
    assert db_snapshot() == before


def test_a_cancellation_is_a_credit_note_and_needs_a_reason(client, dues, staff):
    client.force_login(staff)
    _pay(client, dues)
    payment = Payment.objects.get(dues=dues)
    url = reverse("membership_staff:payment_cancel", args=[payment.pk])
    before = db_snapshot()
    response = client.post(url, {f"p{payment.pk}-note": ""})
    assert response.status_code == 400
    assert db_snapshot() == before
    response = client.post(url, {f"p{payment.pk}-note": "Chèque rejeté"})
    assert response.status_code == 302
    credit = Payment.objects.get(cancels=payment)
    assert (credit.kind, credit.amount, credit.note) == ("cancellation", Decimal("-30.00"), "Chèque rejeté")
    assert Payment.objects.filter(dues=dues).count() == 2  # nothing deleted
    response = client.post(url, {f"p{payment.pk}-note": "Encore"})
    assert response.status_code == 400
    assert _fr("This payment has already been cancelled.") in _page(response)


def test_an_overpayment_is_refunded_but_no_more(client, dues, staff):
    client.force_login(staff)
    _pay(client, dues, amount="100,00")  # 80,00 € due: 20,00 € overpaid
    url = reverse("membership_staff:refund_add", args=[dues.pk])
    page = _page(client.get(reverse("membership_staff:dues", args=[dues.pk])))
    assert "-20,00 €" in page or "−20,00 €" in page
    before = db_snapshot()
    response = client.post(url, {"amount": "25,00", "method": "transfer", "note": ""})
    assert response.status_code == 400
    assert "amount" in response.context["refund_form"].errors  # only what was overpaid
    assert db_snapshot() == before
    response = client.post(url, {"amount": "20,00", "method": "transfer", "note": "Trop-perçu"})
    assert response.status_code == 302
    refund = Payment.objects.get(kind="refund")
    assert refund.amount == Decimal("-20.00")
    assert Dues.objects.get(pk=dues.pk).payments.count() == 2


def test_the_year_list_shows_expected_and_received(client, dues, staff):
    client.force_login(staff)
    _pay(client, dues)
    response = client.get(reverse("membership_staff:year_list"))
    year = response.context["page"].object_list[0]
    assert (year.members, year.expected, year.received, year.balance) == (
        1,
        Decimal("80.00"),
        Decimal("30.00"),
        Decimal("50.00"),
    )


def test_the_dues_list_filters_in_the_url_and_its_queries_do_not_grow(client, make_member, year, staff):
    make_member("Solidarité Toulouse", size=Decimal("25000"))
    make_member("Mairie de Rodez", category="collectivite-territoriale", size=Decimal("24000"))
    client.force_login(staff)
    url = reverse("membership_staff:year", args=[year.year])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(4):
        make_member(f"Association numéro {number}")
    paid = Dues.objects.get(membership__organisation__name="Solidarité Toulouse")
    payment_record(dues=paid, amount=paid.amount, method="cash", received_on=timezone.localdate(), by=staff)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page"].paginator.count == 6
    assert len(many) == len(few)
    names = lambda response: [d.membership.organisation.name for d in response.context["page"].object_list]  # noqa: E731
    assert names(client.get(url, {"status": "paid"})) == ["Solidarité Toulouse"]
    assert "Solidarité Toulouse" not in names(client.get(url, {"status": "unpaid"}))
    assert names(client.get(url, {"college": "public"})) == ["Mairie de Rodez"]
    assert names(client.get(url, {"q": "rodez"})) == ["Mairie de Rodez"]
    export = client.get(
        reverse("membership_staff:dues_export", args=[year.year, "csv"]), {"college": "public"}
    )
    content = b"".join(export.streaming_content).decode()
    assert "Mairie de Rodez" in content and "Solidarité Toulouse" not in content
    xlsx = client.get(reverse("membership_staff:dues_export", args=[year.year, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


# --- Receipts ----------------------------------------------------------------------------------------


def test_receipts_are_numbered_without_gaps_with_the_credit_notes(client, dues, staff):
    client.force_login(staff)
    _pay(client, dues, amount="30,00")
    _pay(client, dues, amount="50,00")
    first = Payment.objects.get(amount=Decimal("30.00"))
    client.post(reverse("membership_staff:payment_cancel", args=[first.pk]), {f"p{first.pk}-note": "Erreur"})
    receipts = list(Receipt.objects.order_by("number").select_related("payment"))
    year = timezone.localdate().year
    assert [(r.year, r.number) for r in receipts] == [(year, 1), (year, 2), (year, 3)]
    assert [r.payment.kind for r in receipts] == ["payment", "payment", "cancellation"]
    assert receipts[2].label == f"{year}-00003"


def test_a_receipt_pdf_never_changes(client, dues, staff):
    client.force_login(staff)
    _pay(client, dues)
    receipt = Receipt.objects.get()
    url = reverse("membership_staff:receipt_pdf", args=[receipt.pk])
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == f'attachment; filename="recu-{receipt.label}.pdf"'
    assert first.content.startswith(b"%PDF")
    Dues.objects.filter(pk=dues.pk).update(amount=Decimal("90.00"), override_reason="Changement")
    second = client.get(url)
    assert second.content == first.content
    receipt.refresh_from_db()
    assert receipt.sha256 == hashlib.sha256(first.content).hexdigest()


def test_payments_and_receipts_are_read_only_in_the_administration(client, dues, staff):
    payment = payment_record(
        dues=dues, amount=Decimal("10.00"), method="cash", received_on=timezone.localdate(), by=staff
    )
    client.force_login(make_user("administrator", email="admin.adhesions@example.org"))
    for model in (
        "governingdocument",
        "membershipyear",
        "application",
        "membership",
        "dues",
        "payment",
        "receipt",
    ):
        assert client.get(reverse(f"admin:membership_{model}_changelist")).status_code == 200, model
    for model, pk in (("payment", payment.pk), ("receipt", payment.receipt.pk)):
        page = client.get(reverse(f"admin:membership_{model}_change", args=[pk])).content.decode()
        assert 'name="_save"' not in page
        before = db_snapshot()
        assert (
            client.post(reverse(f"admin:membership_{model}_delete", args=[pk]), {"post": "yes"}).status_code
            == 403
        )
        assert db_snapshot() == before
