"""The demo directory: about 300 actors of Occitanie in the three collèges, 60 partners abroad and
their people, all fictitious but placed in the real geography (``maillage load_reference`` first).

Deterministic (``random.Random(2026)``) and idempotent: organisations are keyed on their slug and
only the missing ones are created, through the services, with their people."""

import random
from collections import defaultdict

from django.core.management import CommandError
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.models import Commune, DacSector, Departement, Sdg, Theme
from maillage.core.seeding import DemoReport
from maillage.directory import services
from maillage.directory.demo.names import (  # re-exported for the tests and bench
    CONSENT_WORDING,
    Fabricator,
    OrganisationSpec,
    Place,
    pick_places,
    spread,
)
from maillage.directory.demo.writer import write_organisations
from maillage.directory.models import Organisation, Person

SEED = 2026
REGION = "76"  # Occitanie
REGIONAL_COUNT = 300
PARTNER_COUNT = 60
EDITOR_EMAIL = "editrice@demo.maillage.test"


def theme_sectors() -> dict[str, list[str]]:
    """Theme slug → codes of the active DAC sectors of its DAC categories."""
    sectors_by_category: dict[str, list[str]] = defaultdict(list)
    for code, category in (
        DacSector.objects.filter(active=True).values_list("code", "category_id").order_by("code")
    ):
        sectors_by_category[category].append(code)
    through = Theme.dac_categories.through.objects.values_list("theme__slug", "daccategory_id")
    result: dict[str, list[str]] = defaultdict(list)
    for slug, category in through.order_by("theme__slug", "daccategory_id"):
        result[slug].extend(sectors_by_category[category])
    return dict(result)


def places_by_departement(region: str | None = None) -> dict[str, list[Place]]:
    """The communes with a population and a point, by département (of ``region``, or metropolitan
    France and the overseas départements), in code order."""
    departements = Departement.objects.filter(zone__in=("metro", "drom"))
    if region:
        departements = departements.filter(region_id=region)
    names = dict(departements.values_list("code", "name"))
    places: dict[str, list[Place]] = defaultdict(list)
    communes = Commune.objects.filter(
        departement_id__in=names, population__gt=0, latitude__isnull=False
    ).order_by("code")
    for code, name, departement, population, latitude, longitude in communes.values_list(
        "code", "name", "departement_id", "population", "latitude", "longitude"
    ):
        places[departement].append(
            Place(code, name, departement, names[departement], population or 0, latitude, longitude)
        )
    return dict(places)


def check_reference_data() -> None:
    if not (
        Commune.objects.filter(departement__region_id=REGION).exists()
        and Theme.objects.exists()
        and Sdg.objects.exists()
        and DacSector.objects.exists()
    ):
        raise CommandError(
            _("The reference data is missing: run “maillage load_reference” before “maillage seed_demo”.")
        )


def demo_specs() -> list[OrganisationSpec]:
    """The demo's organisations and people, computed without writing anything."""
    rng = random.Random(SEED)  # noqa: S311 (fictitious data, reproducible on purpose)
    fabricator = Fabricator(rng, theme_sectors=theme_sectors())
    places = places_by_departement(REGION)
    population = {code: float(sum(place.population for place in rows)) for code, rows in places.items()}
    specs = []
    for departement, count in spread(REGIONAL_COUNT, population, minimum=8).items():
        for place in pick_places(rng, places[departement], count):
            specs.append(fabricator.regional(place))
    specs += [fabricator.partner() for _index in range(PARTNER_COUNT)]
    return specs


def _link_editor(specs: list[OrganisationSpec], report: DemoReport) -> None:
    """The demo editor edits the first published association of Haute-Garonne, and works there."""
    user = User.objects.filter(email=EDITOR_EMAIL).first()
    if user is None:
        return
    spec = next(
        spec
        for spec in specs
        if spec.category == "association"
        and spec.fields["status"] == "published"
        and str(spec.fields["commune_id"]).startswith("31")
    )
    organisation = Organisation.objects.get(slug=spec.slug)
    organisation.editors.add(user)
    if not Person.objects.filter(user=user).exists():
        person = services.person_create(
            first_name=user.first_name,
            last_name=user.last_name,
            user=user,
            email=user.email,
            job_title="Chargée de communication",
        )
        services.person_give_consent(person=person, wording=CONSENT_WORDING)
        services.affiliation_add(
            person=person, organisation=organisation, role="staff", start=spec.people[0].roles[0][1]
        )
        report.count("people", True)


def seed(report: DemoReport) -> None:
    check_reference_data()
    services.categories_ensure()
    specs = demo_specs()
    existing = set(
        Organisation.objects.filter(slug__in=[spec.slug for spec in specs]).values_list("slug", flat=True)
    )
    written = write_organisations([spec for spec in specs if spec.slug not in existing])
    for kind, count in (
        ("organisations", written.organisations),
        ("people", written.people),
        ("affiliations", written.affiliations),
    ):
        for _index in range(count):
            report.count(kind, True)
    for _spec in existing:
        report.count("organisations", False)
    _link_editor(specs, report)
