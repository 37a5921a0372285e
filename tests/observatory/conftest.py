"""Fixtures of the observatory's tests: a regional actor with an editor, a partner abroad, a
funder, and a valid project between them."""

import datetime
from decimal import Decimal

import pytest

from maillage.core.models import Commune, DacSector, Sdg, Theme
from maillage.directory.models import Category, College, Organisation
from maillage.directory.services import organisation_create
from maillage.observatory.models import ActivityStatus, OrganisationRole, Project
from maillage.observatory.services import ProjectData, project_save
from tests.access import make_user


@pytest.fixture
def actors(reference_data):
    """``regional`` (a published association of Toulouse with ``editor``, an organisation
    editor), ``partner`` (a partner abroad in Senegal), ``funder`` (the Région) and ``editor``."""
    editor = make_user("organisation_editor", email="redaction@example.org", verified=True)
    regional = organisation_create(
        name="Solidarité Eau Occitanie",
        acronym="SEO",
        kind=Organisation.Kind.REGIONAL,
        college=College.ASSOCIATIVE,
        category=Category.objects.get(slug="association"),
        commune=Commune.objects.get(code="31555"),
        status=Organisation.Status.PUBLISHED,
        countries=["SN"],
    )
    regional.editors.add(editor)
    partner = organisation_create(
        name="Association des femmes de Podor",
        kind=Organisation.Kind.PARTNER,
        college="",
        country="SN",
        status=Organisation.Status.PUBLISHED,
    )
    funder = organisation_create(
        name="Région Occitanie",
        kind=Organisation.Kind.REGIONAL,
        college=College.PUBLIC,
        category=Category.objects.get(slug="collectivite-territoriale"),
        commune=Commune.objects.get(code="31555"),
        status=Organisation.Status.PUBLISHED,
        iati_identifier="FR-RNA-000000000",
    )
    return {"regional": regional, "partner": partner, "funder": funder, "editor": editor}


@pytest.fixture
def project_data(actors):
    """A function giving the ``ProjectData`` of a valid project (keywords override fields)."""

    def make(**fields):
        values = {
            "title": "Accès à l’eau potable à Podor",
            "description": "Forages et comités de gestion de l’eau dans trois villages.",
            "reporting_organisation": actors["regional"],
            "activity_status": ActivityStatus.IMPLEMENTATION,
            "planned_start": datetime.date(2025, 1, 1),
            "planned_end": datetime.date(2027, 12, 31),
            "actual_start": datetime.date(2025, 2, 1),
            "participations": [
                (actors["funder"], OrganisationRole.FUNDING),
                (actors["regional"], OrganisationRole.ACCOUNTABLE),
                (actors["partner"], OrganisationRole.IMPLEMENTING),
            ],
            "countries": [("SN", None)],
            "sectors": [("1", "14030", Decimal(70)), ("1", "14081", Decimal(30))],
            "budgets": [
                {
                    "period_start": datetime.date(2025, 1, 1),
                    "period_end": datetime.date(2025, 12, 31),
                    "value": Decimal("45000.00"),
                    "value_date": datetime.date(2025, 1, 1),
                }
            ],
            "transactions": [
                {
                    "kind": 1,
                    "date": datetime.date(2025, 3, 10),
                    "value": Decimal("20000.00"),
                    "provider": actors["funder"],
                    "receiver": actors["regional"],
                }
            ],
            "themes": list(Theme.objects.filter(slug__in=["eau-assainissement"])[:1]),
            "sdgs": [Sdg.objects.get(number=6)],
        }
        values.update(fields)
        return ProjectData(**values)

    return make


@pytest.fixture
def project(project_data):
    """A published project of ``actors["regional"]``."""
    assert DacSector.objects.filter(code="14030").exists()
    return project_save(project_data(), status=Project.Status.PUBLISHED)
