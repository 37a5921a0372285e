"""Fixtures of the commissions' tests: a commission with a convener, two members and an
outsider (a registered account that is not a member)."""

import datetime

import pytest

from maillage.commissions.models import Commission, Member
from tests.access import make_user


@pytest.fixture
def commission(db):
    """A thematic commission and its people, all plain registered accounts (so that what they
    may do comes from their membership, not from a role of the network)."""
    commission = Commission.objects.create(
        slug="formation",
        name="Formation",
        purpose="Partager les pratiques de formation des acteurs de la coopération.",
    )
    convener = make_user("registered", email="convener@example.org", first_name="Claire")
    member = make_user("registered", email="member@example.org", first_name="Marc")
    other_member = make_user("registered", email="other-member@example.org", first_name="Odile")
    outsider = make_user("registered", email="outsider@example.org", first_name="Oscar")
    start = datetime.date(2026, 1, 1)
    for user, role in (
        (convener, Member.Role.CONVENER),
        (member, Member.Role.MEMBER),
        (other_member, Member.Role.MEMBER),
    ):
        Member.objects.create(
            commission=commission, user=user, role=role, state=Member.State.ACTIVE, start=start
        )
    return {
        "commission": commission,
        "convener": convener,
        "member": member,
        "other_member": other_member,
        "outsider": outsider,
    }
