"""The benchmark's dataset generator, at a tiny scale on the test database."""

import re

from bench.generate import generate
from stdnum.fr import siret

from maillage.directory.filters import directory_version
from maillage.directory.models import Affiliation, Organisation, Person


def test_generator_makes_valid_data_over_the_regions(reference_data):
    counts = generate(organisations=50, partners=5, people=140, seed=7)
    assert counts["organisations"] == 55
    assert Organisation.objects.count() == 55
    assert Person.objects.count() == 140
    assert counts["affiliations"] == Affiliation.objects.count() >= 140
    regional = Organisation.objects.filter(kind="regional")
    assert regional.values("commune__departement__region").distinct().count() >= 5
    assert not Organisation.objects.filter(affiliations__role="legal").values("pk").distinct().count() < 55
    for organisation in Organisation.objects.all():
        organisation.full_clean()
    assert all(siret.is_valid(value) for value in regional.exclude(siret="").values_list("siret", flat=True))
    assert all(
        re.fullmatch(r"W\d{9}", value) for value in regional.exclude(rna="").values_list("rna", flat=True)
    )
    assert not Person.objects.filter(public_consent_at__isnull=False, public_consent_wording="").exists()


def test_the_generator_forgets_the_cached_facets(reference_data):
    """Its bulk writes send no signal: it changes the directory's version itself."""
    before = directory_version()
    generate(organisations=5, partners=1, people=10, seed=3)
    assert directory_version() != before
