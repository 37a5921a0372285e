"""Import of projects from a spreadsheet in the Atlas layout: reading (Windows-1252 CSV, XLSX),
preview, all-or-nothing commit, valid rows only, idempotent re-import, export → import."""

import datetime
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from maillage.directory.models import Organisation
from maillage.observatory import atlas
from maillage.observatory.atlas_imports import (
    ImportRejected,
    atlas_commit,
    atlas_preview,
    atlas_start,
    counts,
    imports_purge,
)
from maillage.observatory.models import (
    ActivityStatus,
    OrganisationRole,
    Project,
    ProjectImportRun,
    TransactionType,
)
from tests.access import db_snapshot

HEADER = (
    "Intitulé du projet;Collectivité/porteur;Partenaire(s);Pays;Thématique(s);Secteur(s) CAD;ODD;"
    "Année de début;Année de fin;Statut;Coût total (€);Cofinancements;Bénéficiaires;Bénévoles\n"
)
WATER = (
    'Forages à Podor;Solidarité Eau Occitanie;"Association des femmes de Podor (Sénégal) ; '
    'Comité de l’eau de Ndioum (Sénégal)";Sénégal;Eau et assainissement;"14030 ; 14081";6;2025;2027;'
    'En cours;45 000,50 €;"Région Occitanie : 20 000 ; SEO : 5 000,50";1 200;12\n'
)
UNKNOWN_HOLDER = "Jumelage Cahors;Mairie de Nulle-Part;;Mali;;;;2024;2025;En cours;;;;\n"
UNKNOWN_FUNDER = "Cantine scolaire;SEO;;Mali;Santé;;;2024;;Clôturé;;Banque des Lutins : 5 000;;\n"
SCHOOLS = (
    'Écoles du Sahel;SEO;;"Sénégal; Mali, Burkina Faso";Éducation et formation;;4;01/03/2024;2026;'
    "Clôturé;;;;\n"
)


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("cp1252")


def _outcomes(results):
    return [(result.line, result.name, result.outcome) for result in results]


@pytest.fixture
def staff(users):
    return users["staff"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("20 000,50 €", Decimal("20000.50")),
        ("20\u202f000", Decimal(20000)),
        ("20.000", Decimal(20000)),
        ("20000.5", Decimal("20000.5")),
        ("1 234 567,8 EUR", Decimal("1234567.8")),
        ("15000", Decimal(15000)),
    ],
)
def test_amounts_are_read_in_french_and_plain_formats(text, amount):
    assert atlas.parse_amount(text) == amount


@pytest.mark.parametrize("text", ["vingt mille", "-5", "12,345,67", ""])
def test_what_is_no_amount_is_refused(text):
    with pytest.raises(ValueError):
        atlas.parse_amount(text)


def test_years_are_read_from_numbers_and_dates():
    assert [atlas.parse_year(text) for text in ("2025", "2025-03-01T00:00:00", "01/03/2024")] == [
        2025,
        2025,
        2024,
    ]
    assert atlas.equal_shares(3) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_the_preview_of_a_windows_1252_file_classifies_rows_and_writes_nothing(actors, staff):
    run = atlas_start(
        user=staff, upload=_upload(_csv(WATER, UNKNOWN_HOLDER, UNKNOWN_FUNDER, SCHOOLS), "atlas.csv")
    )
    assert run.encoding == "windows-1252"
    assert run.mapping["title"] == 0 and run.mapping["volunteers"] == 13
    before = db_snapshot()

    results = atlas_preview(run)

    assert db_snapshot() == before
    assert _outcomes(results) == [
        (2, "Forages à Podor", "created"),
        (3, "Jumelage Cahors", "rejected"),
        (4, "Cantine scolaire", "rejected"),
        (5, "Écoles du Sahel", "created"),
    ]
    assert "Mairie de Nulle-Part" in results[1].reasons[0]
    assert "Banque des Lutins" in results[2].reasons[0]
    assert counts(results) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 2}


def test_a_rejected_row_stops_the_whole_file_unless_valid_rows_only(actors, staff):
    run = atlas_start(user=staff, upload=_upload(_csv(WATER, UNKNOWN_HOLDER, SCHOOLS), "atlas.csv"))
    before = db_snapshot()

    with pytest.raises(ImportRejected):
        atlas_commit(run, staff)
    assert db_snapshot() == before

    run = atlas_commit(run, staff, valid_only=True)

    assert (run.created, run.updated, run.unchanged, run.rejected) == (2, 0, 0, 1)
    assert run.status == ProjectImportRun.Status.COMMITTED and run.rows == []
    water = Project.objects.get(title="Forages à Podor")
    assert (water.provenance, water.status) == (Project.Provenance.IMPORT, Project.Status.SUBMITTED)
    assert water.reporting_organisation == actors["regional"]
    assert (water.planned_start, water.planned_end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2027, 12, 31),
    )
    assert (water.beneficiaries, water.volunteers, water.activity_status) == (
        1200,
        12,
        ActivityStatus.IMPLEMENTATION,
    )
    new_partner = Organisation.objects.get(name="Comité de l’eau de Ndioum")
    assert (new_partner.kind, new_partner.country.code) == (Organisation.Kind.PARTNER, "SN")
    assert (new_partner.status, new_partner.source) == (Organisation.Status.DRAFT, Organisation.Source.IMPORT)
    assert {(p.organisation.name, p.role) for p in water.participations.all()} == {
        ("Solidarité Eau Occitanie", OrganisationRole.ACCOUNTABLE),
        ("Association des femmes de Podor", OrganisationRole.IMPLEMENTING),
        ("Comité de l’eau de Ndioum", OrganisationRole.IMPLEMENTING),
        ("Région Occitanie", OrganisationRole.FUNDING),
        ("Solidarité Eau Occitanie", OrganisationRole.FUNDING),
    }
    budget = water.budgets.get()
    assert (budget.period_start, budget.period_end, budget.value) == (
        datetime.date(2025, 1, 1),
        datetime.date(2027, 12, 31),
        Decimal("45000.50"),
    )
    funds = {(t.provider.name, t.value, t.date) for t in water.transactions.all()}
    assert funds == {
        ("Région Occitanie", Decimal(20000), datetime.date(2025, 1, 1)),
        ("Solidarité Eau Occitanie", Decimal("5000.50"), datetime.date(2025, 1, 1)),
    }
    assert set(water.transactions.values_list("kind", flat=True)) == {TransactionType.INCOMING_FUNDS}
    assert [(s.code, s.percentage) for s in water.sectors.all()] == [("14030", 50), ("14081", 50)]
    assert [sdg.number for sdg in water.sdgs.all()] == [6]
    schools = Project.objects.get(title="Écoles du Sahel")
    assert schools.activity_status == ActivityStatus.CLOSED
    assert schools.planned_start == datetime.date(2024, 1, 1)
    assert sorted((c.country.code, c.percentage) for c in schools.recipient_countries.all()) == [
        ("BF", Decimal("33.34")),
        ("ML", Decimal("33.33")),
        ("SN", Decimal("33.33")),
    ]
    assert [result["outcome"] for result in run.report] == ["created", "rejected", "created"]


def test_importing_the_same_file_again_changes_nothing(actors, staff):
    content = _csv(WATER, SCHOOLS)
    atlas_commit(atlas_start(user=staff, upload=_upload(content, "atlas.csv")), staff)
    again = atlas_start(user=staff, upload=_upload(content, "atlas.csv"))
    before = db_snapshot()

    assert [result.outcome for result in atlas_preview(again)] == ["unchanged", "unchanged"]
    again = atlas_commit(again, staff)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    after = db_snapshot()
    del before["observatory.ProjectImportRun"], after["observatory.ProjectImportRun"]
    assert after == before


def test_an_xlsx_file_with_numbers_and_dates_updates_what_its_cells_say(project, staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Intitulé du projet", "Collectivité/porteur", "Année de début", "Statut", "Coût total (€)"])
    sheet.append([project.title, "Solidarité Eau Occitanie", datetime.date(2025, 2, 1), "Clôturé", 50000.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = atlas_start(user=staff, upload=_upload(buffer.getvalue(), "atlas.xlsx"))

    (result,) = atlas_preview(run)
    changed = [str(_column(key).label) for key in ("status", "total_cost")]
    assert (result.outcome, result.changes) == ("updated", changed)
    atlas_commit(run, staff)

    project.refresh_from_db()
    assert project.activity_status == ActivityStatus.CLOSED
    assert project.actual_start == datetime.date(2025, 2, 1)  # the same year: the date is kept
    assert [b.value for b in project.budgets.all()] == [Decimal("50000.50")]
    assert [(s.code, s.percentage) for s in project.sectors.all()] == [("14030", 70), ("14081", 30)]
    assert project.status == Project.Status.PUBLISHED


def test_an_export_imported_again_is_unchanged(project, client, staff):
    client.force_login(staff)
    response = client.get(reverse("observatory_staff:atlas_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == project.title
    assert "Région Occitanie : 20" in rows[1][atlas.COLUMNS.index(_column("cofunding"))]

    run = atlas_start(user=staff, upload=_upload(response.content, "export.xlsx"))
    assert set(run.mapping) == {column.key for column in atlas.COLUMNS}

    assert [result.outcome for result in atlas_preview(run)] == ["unchanged"]


def _column(key):
    return next(column for column in atlas.COLUMNS if column.key == key)


def test_forgotten_runs_are_purged(actors, staff, settings):
    settings.MAILLAGE_IMPORT_RETENTION_DAYS = 7
    old = atlas_start(user=staff, upload=_upload(_csv(WATER), "old.csv"))
    done = atlas_commit(atlas_start(user=staff, upload=_upload(_csv(SCHOOLS), "done.csv")), staff)
    recent = atlas_start(user=staff, upload=_upload(_csv(WATER), "recent.csv"))
    ProjectImportRun.objects.filter(pk__in=[old.pk, done.pk]).update(
        updated_at=timezone.now() - timedelta(days=8)
    )

    assert imports_purge() == 1

    assert set(ProjectImportRun.objects.values_list("pk", flat=True)) == {done.pk, recent.pk}
