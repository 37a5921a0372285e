"""The IATI import: what an activity becomes, re-imports, all or nothing, warnings, the
organisations, the command, the memory used."""

import datetime
import io
import tracemalloc
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.directory.models import Organisation
from maillage.observatory.iati.importer import iati_check, iati_import, imports_purge
from maillage.observatory.models import IatiImport, Project

ACTIVITY = """
 <iati-activity xml:lang="en" default-currency="XOF" last-updated-datetime="2025-03-01T10:00:00Z">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="FR-RNA-000000000" type="21"><narrative>Region Occitanie</narrative></reporting-org>
  <title><narrative>Water in Podor</narrative><narrative xml:lang="fr">L’eau à Podor</narrative></title>
  <description><narrative>Boreholes.</narrative>
   <narrative xml:lang="fr">Des forages.</narrative></description>
  <participating-org ref="FR-RNA-000000000" role="1" type="21">
   <narrative>Région Occitanie</narrative></participating-org>
  <participating-org role="{role}" type="21">
   <narrative>ASSOCIATION DES FEMMES DE PODOR</narrative></participating-org>
  <participating-org ref="SN-NINEA-123" role="4" type="22">
   <narrative>Coopérative de Guédé</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2025-01-01"/>
  <activity-date type="3" iso-date="2027-12-31"/>
  <recipient-country code="SN"/>
  <location><name><narrative>Guédé</narrative></name>
   <administrative vocabulary="G1" level="2" code="1234"/>
   <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>16.5 -14.8</pos></point></location>
  <sector vocabulary="1" code="{sector}" percentage="70"/>
  <sector vocabulary="1" code="14081" percentage="30"/>
  <tag vocabulary="2" code="6"/>
  <tag vocabulary="3" code="6.1"/>
  <budget type="1" status="2"><period-start iso-date="2025-01-01"/><period-end iso-date="2026-12-31"/>
   <value value-date="2025-01-01">{budget}</value></budget>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2025-03-10"/>
   <value value-date="2025-03-10" currency="EUR">20000.50</value>
   <provider-org ref="FR-RNA-000000000"><narrative>Région Occitanie</narrative></provider-org>
   <receiver-org><narrative>Unknown receiver</narrative></receiver-org></transaction>
  <document-link format="application/pdf" url="https://example.org/report.pdf">
   <title><narrative>Report</narrative></title><category code="A01"/><language code="fr"/>
   <document-date iso-date="2025-06-01"/></document-link>
 </iati-activity>"""


def iati_file(*activities: str, version: str = "2.03") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<iati-activities version="{version}">' + "".join(activities)
    ).encode() + (b"\n</iati-activities>\n")


def activity(
    identifier: str = "FR-RNA-000000000-P1", role: str = "4", sector: str = "14030", budget: str = "45000"
):
    return ACTIVITY.format(identifier=identifier, role=role, sector=sector, budget=budget)


def test_an_activity_becomes_a_project(actors):
    outcome = iati_import(io.BytesIO(iati_file(activity())), status=Project.Status.PUBLISHED)
    assert outcome.committed and outcome.created == 1 and outcome.rejected == []
    project = Project.objects.get()
    assert (project.title, project.language, project.description) == ("L’eau à Podor", "fr", "Des forages.")
    assert project.narratives == {"title": {"en": "Water in Podor"}, "description": {"en": "Boreholes."}}
    assert project.reporting_organisation == actors["funder"]  # by IATI identifier
    assert project.status == Project.Status.PUBLISHED and project.provenance == Project.Provenance.IATI
    assert (project.planned_start, project.planned_end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2027, 12, 31),
    )
    assert project.default_currency == "XOF"
    assert project.iati_last_updated == datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)
    roles = {(p.organisation.name, p.role) for p in project.participations.select_related("organisation")}
    assert ("Association des femmes de Podor", 4) in roles  # by name, folded
    created = Organisation.objects.get(iati_identifier="SN-NINEA-123")
    assert (created.kind, str(created.country), created.source) == ("partner", "SN", "import")
    assert [(s.code, s.percentage) for s in project.sectors.all()] == [("14030", 70), ("14081", 30)]
    assert [str(c.country) for c in project.recipient_countries.all()] == ["SN"]
    location = project.locations.get()
    assert (location.name, location.latitude, location.longitude, location.admin_level) == (
        "Guédé",
        16.5,
        -14.8,
        2,
    )
    budget = project.budgets.get()
    assert (budget.value, budget.currency, budget.state) == (Decimal("45000"), "XOF", 2)
    transaction = project.transactions.get()
    assert (transaction.value, transaction.currency, transaction.provider) == (
        Decimal("20000.50"),
        "EUR",
        actors["funder"],
    )
    assert (transaction.receiver, transaction.receiver_name) == (None, "Unknown receiver")
    document = project.documents.get()
    assert (document.title, document.category, document.language) == ("Report", "A01", "fr")
    assert [sdg.number for sdg in project.sdgs.all()] == [6]
    assert [target.code for target in project.sdg_targets.all()] == ["6.1"]


def test_reimporting_updates_by_identifier(actors):
    iati_import(io.BytesIO(iati_file(activity())))
    outcome = iati_import(io.BytesIO(iati_file(activity(budget="50000"))))
    assert (outcome.created, outcome.updated) == (0, 1)
    assert Project.objects.get().budgets.get().value == Decimal("50000")
    assert Organisation.objects.filter(iati_identifier="SN-NINEA-123").count() == 1


def test_a_rejected_activity_blocks_the_file_unless_valid_only(actors):
    content = iati_file(activity("A-1"), activity("A-2", budget="beaucoup"), activity("A-3"))
    check = iati_check(io.BytesIO(content))
    assert (check.activities, check.created, len(check.rejected)) == (3, 2, 1)
    rejection = check.rejected[0]
    assert (rejection.identifier, rejection.element) == ("A-2", "value")
    assert rejection.line and "beaucoup" in rejection.reason
    assert not Organisation.objects.filter(iati_identifier="SN-NINEA-123").exists()  # a check writes nothing

    outcome = iati_import(io.BytesIO(content))
    assert not outcome.committed and (outcome.created, len(outcome.rejected)) == (0, 1)
    assert not Project.objects.exists()
    assert not Organisation.objects.filter(iati_identifier="SN-NINEA-123").exists()

    outcome = iati_import(io.BytesIO(content), valid_only=True)
    assert outcome.committed and outcome.created == 2
    assert set(Project.objects.values_list("iati_identifier", flat=True)) == {"A-1", "A-3"}


def test_a_schema_error_names_element_and_line(actors):
    broken = activity("B-1").replace('<activity-status code="2"/>', '<activity-status code="2"/><foo/>')
    outcome = iati_check(io.BytesIO(iati_file(activity("B-0"), broken)))
    [rejection] = outcome.rejected
    assert (rejection.identifier, rejection.element) == ("B-1", "foo")
    assert rejection.line == 2 + ACTIVITY.count("\n") + ACTIVITY[: ACTIVITY.index("<activity-status")].count(
        "\n"
    )


def test_a_withdrawn_sector_is_imported_with_a_warning(actors):
    outcome = iati_import(io.BytesIO(iati_file(activity(sector="15120"))))  # withdrawn from Sector.xml
    assert outcome.committed
    project = Project.objects.get()
    assert project.sectors.filter(code="15120").exists()
    assert [warning for warning in project.iati_warnings if "15120" in warning]
    assert outcome.warnings == project.iati_warnings


def test_codes_outside_the_codelists_and_soft_rules_are_warnings(actors):
    """An unknown role leaves its participation out, a two-year budget is kept: both warned."""
    outcome = iati_import(io.BytesIO(iati_file(activity(role="9"))))
    assert outcome.committed and outcome.rejected == []
    project = Project.objects.get()
    assert not project.participations.filter(organisation__name="ASSOCIATION DES FEMMES DE PODOR").exists()
    assert project.budgets.get().period_end == datetime.date(2026, 12, 31)
    warnings = " ".join(project.iati_warnings)
    assert "OrganisationRole" in warnings and "participating-org/@role" in warnings
    with translation.override("fr"):
        assert _("A budget period lasts at most one year: split it by year.") in warnings


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'<?xml version="1.0"?><iati-organisations version="2.03"/>', "iati-organisations"),
        (b'<?xml version="1.0"?><rss version="2.0"/>', "rss"),
        (b"not xml at all", "XML"),
        (b"", ""),
        (iati_file(activity(), version="1.05"), "1.05"),
        (b'<?xml version="1.0"?><iati-activities version="2.03"></iati-activities>', "iati-activity"),
    ],
)
def test_files_refused_whole(db, content, words):
    outcome = iati_import(io.BytesIO(content))
    assert outcome.error and words in outcome.error
    assert not outcome.committed


def test_the_command_reports_and_exits_non_zero(actors, tmp_path, capsys):
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(iati_file(activity("C-1")))
    bad.write_bytes(iati_file(activity("C-2"), activity("C-3", budget="beaucoup")))
    call_command("import_iati", str(good), "--publish")
    assert Project.objects.get().status == Project.Status.PUBLISHED
    with pytest.raises(CommandError):
        call_command("import_iati", str(bad))
    assert "C-3" in capsys.readouterr().err
    assert not Project.objects.filter(iati_identifier="C-2").exists()
    call_command("import_iati", str(bad), "--valid-only")
    assert Project.objects.filter(iati_identifier="C-2").exists()


def test_unfinished_imports_are_purged_with_their_files(db, settings):
    run = IatiImport.objects.create(file_name="a.xml")
    run.file.save("a.xml", io.BytesIO(b"<x/>"))
    path = run.file.path
    IatiImport.objects.filter(pk=run.pk).update(
        updated_at=run.updated_at - timedelta(days=settings.MAILLAGE_IMPORT_RETENTION_DAYS + 1)
    )
    IatiImport.objects.create(file_name="recent.xml")
    assert imports_purge() == 1
    assert not IatiImport.objects.filter(pk=run.pk).exists()
    assert not __import__("os").path.exists(path)


SMALL = """<iati-activity><iati-identifier>M-{n}</iati-identifier>
 <reporting-org ref="FR-RNA-000000000" type="21"><narrative>Région Occitanie</narrative></reporting-org>
 <title><narrative xml:lang="fr">Projet {n}</narrative></title>
 <description><narrative>D</narrative></description>
 <participating-org ref="FR-RNA-000000000" role="1"/><activity-status code="2"/>
 <activity-date type="1" iso-date="2025-01-01"/><sector code="14030"/></iati-activity>
"""


def _peak(count: int) -> int:
    content = iati_file(*(SMALL.format(n=n) for n in range(count)))
    source = io.BytesIO(content)
    del content
    tracemalloc.start()
    outcome = iati_check(source)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert outcome.activities == count and outcome.rejected == []
    return peak


def test_memory_does_not_grow_with_the_file(actors):
    _peak(10)  # caches (schema, codelists, directory) filled before measuring
    small, large = _peak(1000), _peak(5000)
    assert large < 1.5 * small, (small, large)
