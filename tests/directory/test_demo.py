"""The demo directory of ``seed_demo``: ~300 actors of Occitanie, 60 partners abroad, their people."""

import re
import time

import pytest
from django.core.management import CommandError
from stdnum.fr import siren, siret

from maillage.accounts import demo as accounts_demo
from maillage.core.models import DacSector
from maillage.core.seeding import DemoReport
from maillage.directory import demo
from maillage.directory.models import Affiliation, Organisation, Person
from tests.access import db_snapshot

OCCITANIE = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}


@pytest.fixture
def seeded(reference_data) -> DemoReport:
    report = DemoReport()
    accounts_demo.seed(report)
    started = time.perf_counter()
    demo.seed(report)
    print(f"\ndirectory demo seeded in {time.perf_counter() - started:.2f} s: {report.created}")
    return report


def test_counts_spread_over_the_region_and_the_collèges(seeded):
    regional = Organisation.objects.filter(kind="regional")
    assert 280 <= regional.count() <= 320
    assert seeded.created["organisations"] == Organisation.objects.count()
    departements = set(regional.values_list("commune__departement_id", flat=True))
    assert departements == OCCITANIE
    assert set(regional.values_list("college", flat=True)) == {"public", "associative", "economic"}
    by_departement = {code: regional.filter(commune__departement_id=code).count() for code in OCCITANIE}
    assert by_departement["31"] > by_departement["34"] > by_departement["48"]
    assert regional.filter(category__slug="association").count() > regional.count() / 3
    assert regional.filter(name__startswith="Commune de ").exists()
    partners = Organisation.objects.filter(kind="partner")
    assert partners.count() == 60
    assert partners.filter(college="", commune__isnull=True).count() == 60
    assert {"SN", "MG"} <= {str(country) for country in partners.values_list("country", flat=True)}
    assert Organisation.objects.filter(status="published").count() > 0.8 * Organisation.objects.count()
    assert Organisation.objects.exclude(status="published").exists()
    # Every organisation has between one and three people, and a legal representative.
    assert not Organisation.objects.filter(affiliations__isnull=True).exists()
    assert Affiliation.objects.filter(role="legal").values("organisation").distinct().count() == 360
    assert Affiliation.objects.filter(role="titulaire").exists()
    assert Affiliation.objects.filter(role="suppleant").exists()


def test_identifiers_and_contacts_are_valid(seeded):
    organisations = Organisation.objects.all()
    for organisation in organisations:
        organisation.full_clean()
        assert organisation.website.endswith(".example.org/") or not organisation.website
        assert organisation.themes.count() in (1, 2, 3)
        assert 1 <= organisation.sdgs.count() <= 3
    sirets = [value for value in organisations.values_list("siret", flat=True) if value]
    assert len(sirets) > 50
    assert all(siret.is_valid(value) and siren.is_valid(value[:9]) for value in sirets)
    assert organisations.filter(category__college="economic").exclude(siret="").count() == (
        organisations.filter(category__college="economic").count()
    )
    rnas = [value for value in organisations.values_list("rna", flat=True) if value]
    assert len(rnas) > 100
    assert all(re.fullmatch(r"W\d{9}", value) for value in rnas)
    assert all(
        email.endswith(".example.org")
        for email in Person.objects.exclude(user__isnull=False).values_list("email", flat=True)
    )


def test_consent_is_recorded_with_its_wording(seeded):
    people = Person.objects.all()
    consenting = people.filter(public_consent_at__isnull=False)
    assert 0.35 * people.count() < consenting.count() < 0.65 * people.count()
    assert not consenting.filter(public_consent_wording="").exists()
    assert not people.filter(public_consent_at__isnull=True).exclude(public_consent_wording="").exists()
    assert set(consenting.values_list("public_consent_wording", flat=True)) == {demo.CONSENT_WORDING}


def test_the_demo_editor_edits_an_association_and_works_there(seeded):
    organisation = Organisation.objects.get(editors__email=demo.EDITOR_EMAIL)
    assert organisation.category.slug == "association"
    person = Person.objects.get(user__email=demo.EDITOR_EMAIL)
    assert person.affiliations.get().organisation == organisation


def test_a_second_run_changes_nothing(seeded):
    before = db_snapshot()
    report = DemoReport()
    accounts_demo.seed(report)
    demo.seed(report)
    assert db_snapshot() == before
    assert report.created["organisations"] == 0


def test_the_demo_is_deterministic(reference_data):
    first = [(spec.slug, spec.fields["siret"], [p.email for p in spec.people]) for spec in demo.demo_specs()]
    second = [(spec.slug, spec.fields["siret"], [p.email for p in spec.people]) for spec in demo.demo_specs()]
    assert first == second


def test_without_reference_data_the_demo_says_what_to_run(reference_data):
    DacSector.objects.all().delete()  # as if load_reference had not run (rolled back after the test)
    with pytest.raises(CommandError, match="load_reference"):
        demo.seed(DemoReport())
    assert not Organisation.objects.exists()
