"""Fixtures of governance's tests: members with (or without) a voting right, and an assembly
convened for them. Members are made through the membership's services (apply, approve, pay)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.governance.models import Assembly
from maillage.governance.services.assemblies import roll_refresh
from maillage.membership.models import Dues
from maillage.membership.services.payments import payment_record
from tests.membership.conftest import documents, make_member, staff, year  # noqa: F401 — shared fixtures


@pytest.fixture
def paid_member(make_member, year, staff):  # noqa: F811
    """paid_member(name, **fields): a member up to date with its dues (a voting right)."""

    def make(name, **fields):
        membership = make_member(name, **fields)
        dues = Dues.objects.get(membership=membership, year=year)
        payment_record(
            dues=dues, amount=dues.amount, method="transfer", received_on=timezone.localdate(), by=staff
        )
        return membership

    return make


@pytest.fixture
def assembly(db):
    """An ordinary assembly this afternoon (the statutes' notice is not the point here)."""
    starts = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    return Assembly.objects.create(
        title="Assemblée générale ordinaire 2026", starts_at=starts, agenda="1. Rapport moral"
    )


@pytest.fixture
def convened(assembly, paid_member, make_member, staff, django_capture_on_commit_callbacks):  # noqa: F811
    """The assembly with 4 members up to date (A, B, C of the associative collège, D public)
    and 1 member who has not paid (E). Returns (assembly, {letter: participation})."""
    members = {
        "A": paid_member("Association Alpha"),
        "B": paid_member("Association Bêta"),
        "C": paid_member("Association Gamma"),
        "D": paid_member("Commune de Delta", category="collectivite-territoriale", size=Decimal("3000")),
        "E": make_member("Association Epsilon"),
    }
    roll_refresh(assembly=assembly, by=staff)
    assembly.state = Assembly.State.CONVENED
    assembly.save()
    participations = {
        letter: assembly.participations.get(organisation=membership.organisation)
        for letter, membership in members.items()
    }
    return assembly, participations
