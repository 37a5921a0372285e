"""The membership's services: applications, fees, dues, payments, receipts and statuses."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from maillage.membership.models import Application, Dues, Payment, Receipt
from maillage.membership.services.dues import fee_compute
from maillage.membership.services.payments import payment_record


def test_an_approved_application_makes_a_member_with_its_dues(
    make_member, year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = make_member("Solidarité Toulouse", size=Decimal("25000"))
    assert membership.application.status == Application.Status.ACCEPTED
    dues = Dues.objects.get(membership=membership, year=year)
    assert dues.amount == Decimal("80.00")
    subjects = [message.subject for message in mail.outbox]
    assert any(subject.startswith("Bienvenue") for subject in subjects), subjects  # in French


@pytest.mark.parametrize(
    ("college", "size", "fee"),
    [
        ("associative", "0", "30.00"),
        ("associative", "19999.99", "30.00"),
        ("associative", "20000", "80.00"),
        ("public", "1000000", "1500.00"),
        ("economic", "10", "400.00"),
    ],
)
def test_the_fee_follows_the_scale(year, college, size, fee):
    assert fee_compute(year=year, college=college, size=Decimal(size)) == Decimal(fee)


def test_a_payment_gets_a_numbered_receipt(
    make_member, year, staff, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    membership = make_member("Solidarité Toulouse")
    dues = Dues.objects.get(membership=membership)
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_record(
            dues=dues,
            amount=Decimal("30.00"),
            method=Payment.Method.TRANSFER,
            received_on=timezone.localdate(),
            by=staff,
        )
    receipt = Receipt.objects.get(payment=payment)
    assert mail.outbox[-1].attachments[0][0] == f"recu-{receipt.label}.pdf"
    assert receipt.number == 1
    assert receipt.pdf.name.endswith(".pdf")
    with pytest.raises(ValidationError):
        payment_record(dues=dues, amount=Decimal("-3"), method="cheque", received_on=timezone.localdate())


def test_a_user_downloads_and_erases_their_applications(make_member, year):
    from maillage.core.privacy import personal_data_erase, personal_data_export

    membership = make_member("Solidarité Toulouse")
    applicant = membership.application.applicant
    exported = personal_data_export(applicant)
    assert exported["membership"]["membership_applications"][0]["organisation"] == "Solidarité Toulouse"
    personal_data_erase(applicant)
    membership.application.refresh_from_db()
    assert membership.application.applicant is None
    assert not membership.application.history.filter(applicant_id=applicant.pk).exists()
