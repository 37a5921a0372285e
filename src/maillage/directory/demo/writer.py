"""Writing generated organisations and people in bulk (the demo and the benchmark dataset).

The services validate one record at a time with several queries each, which costs about 50 ms
an organisation on SQLite. Here every record is validated in Python (``clean_fields``; foreign
keys and countries are checked once for all, and uniqueness is left to the generators, which
make slugs and identifiers unique, and to the database constraints) and written with a few bulk
statements, with its historical record (but no history of the many-to-many links)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from maillage.core.models import Commune, Theme
from maillage.directory.demo.names import CONSENT_WORDING, OrganisationSpec
from maillage.directory.filters import directory_changed
from maillage.directory.models import Affiliation, Category, Organisation, Person
from maillage.directory.search import search_text

UNCHECKED = ("commune", "category", "country", "countries")
COUNTRY_CODES = {code for code, _name in countries}


@dataclass
class Written:
    organisations: int = 0
    people: int = 0
    affiliations: int = 0


def write_organisations(
    specs: Sequence[OrganisationSpec], *, history: bool = True, batch_size: int = 1000
) -> Written:
    """Create the organisations of ``specs`` with their themes, SDGs, DAC sectors, people and
    affiliations. Raises ``ValidationError`` on an invalid record before writing anything."""
    categories = {category.slug: category.pk for category in Category.objects.all()}
    themes = dict(Theme.objects.values_list("slug", "pk"))
    reason = "demo data"
    communes = {spec.fields["commune_id"] for spec in specs} - {None}
    if len(communes) != Commune.objects.filter(pk__in=communes).count():
        raise ValidationError("unknown commune")
    commune_names = dict(Commune.objects.filter(pk__in=communes).values_list("pk", "name"))
    organisations = []
    for spec in specs:
        organisation = Organisation(**spec.fields, category_id=categories.get(spec.category))
        commune_name = commune_names.get(organisation.commune_id or "", "")
        organisation.search_text = search_text(organisation, commune_name)
        # The foreign keys (one query each) and the country fields (slow choices) are checked here.
        organisation.clean_fields(exclude=UNCHECKED)
        unknown = {str(organisation.country), *spec.fields["countries"]} - COUNTRY_CODES
        if unknown or (spec.category and spec.category not in categories):
            raise ValidationError(
                f"{organisation.slug}: unknown country or category {unknown or spec.category}"
            )
        organisations.append(organisation)
    now = timezone.now()
    people: list[Person] = []
    for spec in specs:
        for person_spec in spec.people:
            person = Person(
                first_name=person_spec.first_name,
                last_name=person_spec.last_name,
                email=person_spec.email,
                phone=person_spec.phone,
                job_title=person_spec.job_title,
                public_consent_at=now if person_spec.consent else None,
                public_consent_wording=CONSENT_WORDING if person_spec.consent else "",
            )
            person.full_clean(validate_unique=False, validate_constraints=False)
            people.append(person)

    def create(objs: list[Any], model: type[Model]) -> list[Any]:
        if history:
            return list(
                bulk_create_with_history(objs, model, batch_size=batch_size, default_change_reason=reason)
            )
        return model._default_manager.bulk_create(objs, batch_size=batch_size)

    organisations = create(organisations, Organisation)
    people = create(people, Person)
    if any(organisation.pk is None for organisation in organisations) or any(p.pk is None for p in people):
        # Backends that do not return the keys of bulk inserts: read them back by natural key.
        by_slug = dict(
            Organisation.objects.filter(slug__in=[o.slug for o in organisations]).values_list("slug", "pk")
        )
        for organisation in organisations:
            organisation.pk = by_slug[organisation.slug]
        by_email = dict(Person.objects.filter(email__in=[p.email for p in people]).values_list("email", "pk"))
        for person in people:
            person.pk = by_email[person.email]

    theme_links, sdg_links, sector_links, affiliations = [], [], [], []
    people_iter = iter(people)
    for organisation, spec in zip(organisations, specs, strict=True):
        theme_links += [
            Organisation.themes.through(organisation_id=organisation.pk, theme_id=themes[slug])
            for slug in spec.themes
        ]
        sdg_links += [
            Organisation.sdgs.through(organisation_id=organisation.pk, sdg_id=number) for number in spec.sdgs
        ]
        sector_links += [
            Organisation.dac_sectors.through(organisation_id=organisation.pk, dacsector_id=code)
            for code in spec.dac_sectors
        ]
        for person_spec in spec.people:
            person = next(people_iter)
            for role, start in person_spec.roles:
                affiliations.append(
                    Affiliation(person=person, organisation=organisation, role=role, start=start)
                )
    Organisation.themes.through.objects.bulk_create(theme_links, batch_size=batch_size)
    Organisation.sdgs.through.objects.bulk_create(sdg_links, batch_size=batch_size)
    Organisation.dac_sectors.through.objects.bulk_create(sector_links, batch_size=batch_size)
    create(affiliations, Affiliation)
    directory_changed()  # bulk writes send no signal: the cached facets are forgotten here
    return Written(len(organisations), len(people), len(affiliations))
