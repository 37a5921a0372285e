"""Fixtures of the membership's tests: the documents in force, a year with its fee scale, and a
factory of member organisations made through the services (apply, then approve)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.directory.services import person_create
from maillage.membership.models import GoverningDocument, MembershipYear
from maillage.membership.services.applications import application_approve, application_submit
from tests.access import make_user
from tests.directory.test_pages import _organisation

# Per collège: (from, up to, fee).
SCALE = {
    "public": [(0, 5000, "150.00"), (5000, 50000, "600.00"), (50000, None, "1500.00")],
    "associative": [(0, 20000, "30.00"), (20000, 200000, "80.00"), (200000, None, "250.00")],
    "economic": [(0, 10, "100.00"), (10, None, "400.00")],
}


@pytest.fixture
def documents(db):
    start = datetime.date(2020, 1, 1)
    return {
        "statutes": GoverningDocument.objects.create(
            kind="statutes", version="2020", title="Statuts", body="Article 1 — …", in_force_from=start
        ),
        "charter": GoverningDocument.objects.create(
            kind="charter", version="2020", title="Charte", body="Nous, membres…", in_force_from=start
        ),
    }


def make_year(year: int) -> MembershipYear:
    membership_year = MembershipYear.objects.create(year=year)
    for college, brackets in SCALE.items():
        for size_from, size_to, amount in brackets:
            membership_year.brackets.create(
                college=college,
                size_from=Decimal(size_from),
                size_to=None if size_to is None else Decimal(size_to),
                amount=Decimal(amount),
            )
    return membership_year


@pytest.fixture
def year(db):
    """This year, with the scale above."""
    return make_year(timezone.localdate().year)


@pytest.fixture
def staff(db):
    return make_user("staff", email="staff.adhesions@example.org")


@pytest.fixture
def make_member(reference_data, documents, staff):
    """make_member(name, category="association", size=Decimal("15000"), on=None, editor=None):
    an organisation that applied (its editor: a new account, unless given) and was approved."""
    counter = iter(range(1, 10_000))

    def make(name, *, category="association", size=Decimal("15000"), on=None, editor=None, **fields):
        number = next(counter)
        organisation = _organisation(name, category=category, **fields)
        applicant = editor or make_user("registered", email=f"membre{number}@example.org")
        representative = person_create(
            first_name="Camille", last_name=f"Titulaire{number}", email=f"titulaire{number}@example.org"
        )
        application = application_submit(
            applicant=applicant,
            organisation=organisation,
            size=Decimal(size),
            representative=representative,
            statutes=documents["statutes"],
            charter=documents["charter"],
        )
        application_approve(application=application, by=staff, on=on)
        application.refresh_from_db()
        return application.membership

    return make
