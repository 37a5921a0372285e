"""The demo membership (`seed_demo`): about 150 members in the three collèges, every status,
receipts numbered without gaps, sums that add up — and a second run adds nothing."""

import datetime
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.models import OutgoingEmail
from maillage.directory.demo import EDITOR_EMAIL
from maillage.membership.models import (
    Application,
    Dues,
    Membership,
    MembershipYear,
    Payment,
    Receipt,
    ReceiptSequence,
)
from maillage.membership.selectors import dues_with_balance, representatives
from maillage.membership.services.dues import fee_compute
from maillage.membership.status import Status, membership_status
from tests.access import db_snapshot


@pytest.fixture
def seeded(reference_data):
    call_command("seed_demo", stdout=io.StringIO())


def test_seeding_twice_adds_nothing(seeded):
    before = db_snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert db_snapshot() == before


def test_about_150_members_in_the_three_collèges_with_their_representatives(seeded):
    memberships = Membership.objects.select_related("organisation")
    assert 140 <= memberships.count() <= 160
    colleges = Counter(memberships.values_list("college", flat=True))
    assert set(colleges) == {"public", "associative", "economic"}
    assert colleges["associative"] > colleges["public"] > 0
    for membership in memberships:
        assert membership.college == membership.organisation.college
        assert membership.application.status == Application.Status.ACCEPTED
        assert membership.organisation.is_member == (membership.ended_on is None)
    for membership in memberships.filter(ended_on__isnull=True):
        designated = representatives(membership.organisation)
        assert [a.role for a in designated][:1] == ["titulaire"], membership
        assert designated[0].person == membership.application.representative
    years = sorted(MembershipYear.objects.values_list("year", flat=True))
    this_year = timezone.localdate().year
    assert years == [this_year - 2, this_year - 1, this_year]
    assert MembershipYear.objects.get(year=this_year - 2).closed
    # No e-mail was queued by the seed.
    assert not OutgoingEmail.objects.exists()


def test_every_status_and_application_status_appears(seeded):
    this_year = timezone.localdate().year
    days = [timezone.localdate(), datetime.date(this_year - 1, 1, 20), datetime.date(this_year - 1, 10, 1)]
    seen = {
        membership_status(membership, day)
        for membership in Membership.objects.prefetch_related("dues")
        for day in days
    }
    assert seen >= set(Status) - {Status.NOT_MEMBER}
    ends = Counter(Membership.objects.exclude(end="").values_list("end", flat=True))
    assert ends == {"resigned": 2, "struck_off": 1}
    assert not Membership.objects.exclude(end="").filter(end_reason="").exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses >= {"submitted", "incomplete", "accepted", "refused"}


def test_receipts_are_numbered_without_gaps_in_each_year(seeded):
    numbers = defaultdict(list)
    for year, number in Receipt.objects.values_list("year", "number"):
        numbers[year].append(number)
    assert len(numbers) >= 2
    for year, issued in numbers.items():
        assert sorted(issued) == list(range(1, len(issued) + 1)), year
        assert ReceiptSequence.objects.get(year=year).last == len(issued)
    assert Receipt.objects.count() == Payment.objects.count()


def test_the_sums_add_up(seeded):
    assert Payment.objects.filter(kind="cancellation").count() == 1
    assert Payment.objects.filter(kind="refund").count() == 1
    cancellation = Payment.objects.get(kind="cancellation")
    assert cancellation.amount == -cancellation.cancels.amount
    partial = 0
    for dues in dues_with_balance(Dues.objects.select_related("year", "membership")):
        assert dues.scale_amount == fee_compute(
            year=dues.year, college=dues.membership.college, size=dues.membership.size
        )
        assert dues.amount == dues.scale_amount or dues.override_reason
        assert dues.received == (dues.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00"))
        assert Decimal("0.00") <= dues.received <= dues.amount  # the overpayment was refunded
        partial += Decimal("0.00") < dues.received < dues.amount
        for payment in dues.payments.all():
            assert payment.received_on <= timezone.localdate()
            assert payment.dues.membership.member_since <= payment.received_on
    assert partial >= 1
    amounts = Dues.objects.values_list("amount", flat=True)
    assert all(Decimal("0.00") <= amount <= Decimal("3500.00") for amount in amounts)


def test_the_demo_editor_is_a_member_s_editor_with_paid_receipts(seeded):
    editor = User.objects.get(email=EDITOR_EMAIL)
    membership = Membership.objects.get(organisation__editors=editor)
    organisation = membership.organisation
    assert membership.ended_on is None and organisation.is_member
    receipts = Receipt.objects.filter(payment__dues__membership=membership)
    assert receipts.count() >= 2
    assert (
        membership_status(membership, datetime.date(timezone.localdate().year - 1, 12, 31))
        == Status.UP_TO_DATE
    )
