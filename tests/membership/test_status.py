"""Statuses over time and voting rights, with fixed dates in the past: the dues' payments are
dated by ``received_on``, the grace periods start at each year's ``call_launched_at``, and the
"today" of each check is the ``on=`` argument."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.accounts.models import User
from maillage.membership.models import Dues, Membership, MembershipYear, Payment
from maillage.membership.services.applications import membership_end
from maillage.membership.services.dues import dues_ensure
from maillage.membership.services.payments import payment_record
from maillage.membership.status import Status, may_vote, membership_status, organisation_status
from tests.membership.conftest import make_year

D = datetime.date
FEE = Decimal("30.00")  # the associative fee for a budget of 15,000 € (conftest's scale)


def launch(year: int, on: datetime.date) -> MembershipYear:
    """The year's scale, its call launched on a date (at noon, local time)."""
    membership_year = MembershipYear.objects.filter(year=year).first() or make_year(year)
    noon = datetime.datetime.combine(on, datetime.time(12))
    membership_year.call_launched_at = timezone.make_aware(noon)
    membership_year.save()
    return membership_year


def pay(membership: Membership, year: int, on: datetime.date, amount: Decimal = FEE) -> Payment:
    dues = dues_ensure(membership=membership, year=MembershipYear.objects.get(year=year))
    by = User.objects.get(email="staff.adhesions@example.org")  # conftest's staff
    return payment_record(dues=dues, amount=amount, method=Payment.Method.TRANSFER, received_on=on, by=by)


@pytest.fixture
def grace(settings):
    settings.MAILLAGE_MEMBERSHIP_GRACE_DAYS = 60
    return 60


@pytest.fixture
def joined(make_member, grace):
    """A member since 15 January 2023; the calls of 2023 and 2024 go out on 1 February."""
    launch(2023, D(2023, 2, 1))
    launch(2024, D(2024, 2, 1))
    return make_member("Solidarité Toulouse", on=D(2023, 1, 15))


def test_the_status_follows_the_dates_and_the_payments(joined):
    membership = joined
    assert Dues.objects.filter(membership=membership, year__year=2023).exists()  # created on joining
    assert membership_status(membership, on=D(2023, 1, 14)) == Status.NOT_MEMBER
    assert membership_status(membership, on=D(2023, 1, 15)) == Status.PENDING
    # The grace period runs 60 days from the call of 1 February: until 2 April.
    assert membership_status(membership, on=D(2023, 4, 2)) == Status.PENDING
    assert membership_status(membership, on=D(2023, 4, 3)) == Status.LATE
    pay(membership, 2023, D(2023, 4, 20), amount=Decimal("10.00"))  # a part only
    assert membership_status(membership, on=D(2023, 4, 20)) == Status.LATE
    pay(membership, 2023, D(2023, 5, 2), amount=FEE - Decimal("10.00"))
    assert membership_status(membership, on=D(2023, 5, 1)) == Status.LATE
    assert membership_status(membership, on=D(2023, 5, 2)) == Status.UP_TO_DATE
    assert membership_status(membership, on=D(2023, 12, 31)) == Status.UP_TO_DATE
    # The next year: pending again, then late after the grace period, then lapsed a year later.
    assert membership_status(membership, on=D(2024, 1, 1)) == Status.PENDING
    dues_ensure(membership=membership, year=MembershipYear.objects.get(year=2024))
    assert membership_status(membership, on=D(2024, 4, 1)) == Status.PENDING
    assert membership_status(membership, on=D(2024, 4, 2)) == Status.LATE
    assert membership_status(membership, on=D(2025, 1, 1)) == Status.LAPSED
    # Paying the old dues later does not change the past, but it does the present.
    pay(membership, 2024, D(2025, 1, 10))
    assert membership_status(membership, on=D(2025, 1, 9)) == Status.LAPSED
    assert membership_status(membership, on=D(2025, 1, 10)) == Status.PENDING


def test_an_overpayment_counts_as_paid_and_a_credit_note_undoes_a_payment(joined, staff):
    from maillage.membership.services.payments import payment_cancel

    payment = pay(joined, 2023, D(2023, 3, 1), amount=FEE * 2)
    assert membership_status(joined, on=D(2023, 3, 1)) == Status.UP_TO_DATE
    payment_cancel(payment=payment, reason="Virement rejeté", by=staff)  # dated today
    assert membership_status(joined, on=D(2023, 3, 1)) == Status.UP_TO_DATE  # as it was then
    assert membership_status(joined, on=timezone.localdate()) != Status.UP_TO_DATE


@pytest.mark.parametrize("end", [Membership.End.RESIGNED, Membership.End.STRUCK_OFF])
def test_a_recorded_decision_ends_the_membership(joined, staff, end):
    pay(joined, 2023, D(2023, 3, 1))
    membership_end(membership=joined, end=end, on=D(2023, 9, 30), reason="Dissolution", by=staff)
    assert membership_status(joined, on=D(2023, 9, 29)) == Status.UP_TO_DATE
    assert membership_status(joined, on=D(2023, 9, 30)) == Status(end)
    assert organisation_status(joined.organisation_id, on=D(2023, 9, 29)) == Status.UP_TO_DATE
    assert organisation_status(joined.organisation_id, on=D(2023, 10, 1)) == Status.NOT_MEMBER
    assert not may_vote(joined.organisation_id, D(2023, 10, 1))


def test_a_membership_cannot_end_twice_nor_before_it_began(joined, staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        membership_end(membership=joined, end="resigned", on=D(2023, 1, 1), reason="x", by=staff)
    with pytest.raises(ValidationError):
        membership_end(membership=joined, end="resigned", on=D(2023, 6, 1), reason=" ", by=staff)
    membership_end(membership=joined, end="resigned", on=D(2023, 6, 1), reason="Départ", by=staff)
    with pytest.raises(ValidationError):
        membership_end(membership=joined, end="struck_off", on=D(2023, 7, 1), reason="x", by=staff)


def test_may_vote_when_up_to_date_at_the_cutoff(joined, settings):
    organisation = joined.organisation_id
    pay(joined, 2023, D(2023, 3, 1))
    settings.MAILLAGE_VOTING_CUTOFF_DAYS = 0
    settings.MAILLAGE_VOTING_DURING_GRACE = False
    assert not may_vote(organisation, D(2023, 1, 14))  # not a member yet
    assert not may_vote(organisation, D(2023, 2, 28))  # pending
    assert may_vote(organisation, D(2023, 3, 1))
    # With a cutoff of 30 days, what counts is the status 30 days before the meeting.
    settings.MAILLAGE_VOTING_CUTOFF_DAYS = 30
    assert not may_vote(organisation, D(2023, 3, 30))  # 28 February: still pending
    assert may_vote(organisation, D(2023, 3, 31))


def test_may_vote_during_the_grace_period_when_the_statutes_say_so(joined, settings):
    organisation = joined.organisation_id
    settings.MAILLAGE_VOTING_CUTOFF_DAYS = 0
    settings.MAILLAGE_VOTING_DURING_GRACE = False
    assert not may_vote(organisation, D(2023, 3, 1))
    settings.MAILLAGE_VOTING_DURING_GRACE = True
    assert may_vote(organisation, D(2023, 3, 1))  # pending
    assert not may_vote(organisation, D(2023, 4, 3))  # late
    settings.MAILLAGE_VOTING_CUTOFF_DAYS = 10
    assert may_vote(organisation, D(2023, 4, 10))  # pending on 31 March
