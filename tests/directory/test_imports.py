"""Import of organisations from CSV and XLSX: reading, mapping, preview, commit, staff pages."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from maillage.core.models import Commune, Theme
from maillage.directory import import_files, imports
from maillage.directory.import_files import ImportFileError, mapping_errors
from maillage.directory.imports import (
    ImportRejected,
    import_commit,
    import_preview,
    import_purge,
    import_start,
)
from maillage.directory.models import Affiliation, Category, ImportRun, Organisation, Person
from maillage.directory.services import organisation_create
from maillage.directory.tasks import imports_purge
from tests.access import BACK_OFFICE, assert_access, db_snapshot, make_user

FILES = Path(__file__).parent / "files"
HEADER = "Nom;Collège;Commune;SIRET;Contact prénom;Contact nom;Contact e-mail\n"
UNIVERSITY = "Université de Rodez;public;Rodez;73282932000074;Jean;Martin;jean.martin@example.org\n"


def _upload(content: bytes | str, name: str = "organisations.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def _start(user, content, name="organisations.csv") -> ImportRun:
    return import_start(user=user, upload=_upload(content, name))


def _existing():
    """What the directory holds before the fixture file is imported."""
    montpellier, toulouse = Commune.objects.get(code="34172"), Commune.objects.get(code="31555")
    unchanged = organisation_create(
        name="Maison des Solidarités",
        acronym="MDS",
        rna="W341000002",
        college="associative",
        commune=montpellier,
        website="https://mds.example.org",
    )
    updated = organisation_create(
        name="Ancien réseau",
        college="economic",
        category=Category.objects.get(slug="pme"),
        commune=toulouse,
        website="https://ancien.example.org",
        countries=["SN"],
    )
    return unchanged, updated


def _outcomes(results):
    return [(result.line, result.name, result.outcome) for result in results]


@pytest.fixture
def staff(users):
    return users["staff"]


def test_the_mapping_is_guessed_from_the_french_headers(reference_data, staff):
    run = _start(staff, (FILES / "organisations.csv").read_bytes())

    assert run.encoding == "utf-8"
    assert run.headers[0] == "Nom"  # the byte-order mark is gone
    assert run.mapping == {
        "name": 0,
        "acronym": 1,
        "siret": 2,
        "rna": 3,
        "commune": 4,
        "postal_code": 5,
        "college": 6,
        "category": 7,
        "website": 8,
        "email": 9,
        "phone": 10,
        "countries": 11,
        "themes": 12,
        "contact_first_name": 13,
        "contact_last_name": 14,
        "contact_email": 15,
        "contact_role": 16,
    }
    assert len(run.rows) == 8
    assert run.rows[0][0] == 2  # the line in the file


def test_the_preview_classifies_every_row_with_its_reasons_and_writes_nothing(reference_data, staff):
    _existing()
    run = _start(staff, (FILES / "organisations.csv").read_bytes())
    before = db_snapshot()

    results = import_preview(run=run)

    assert db_snapshot() == before
    assert _outcomes(results) == [
        (2, "Eau Vive Occitanie", "created"),
        (3, "Université de Rodez", "created"),
        (4, "Solidarité Hérault", "rejected"),
        (5, "Les Amis du Sahel", "rejected"),
        (6, "Club Sportif", "rejected"),
        (7, "", "rejected"),
        (8, "Maison des Solidarités", "unchanged"),
        (9, "Ancien Réseau", "updated"),
    ]
    reasons = {result.line: result.reasons for result in results}
    assert reasons[4] == [
        "SIRET\u00a0: Ce n’est pas un numéro SIRET valide (14 chiffres, avec une clé de contrôle valide)."
    ]
    assert reasons[5] == ["Commune\u00a0: Aucune commune ne correspond à «\u00a0Nulle-Part-sur-Mer\u00a0»."]
    assert reasons[6] == [
        "Collège\u00a0: Collège inconnu\u00a0: «\u00a0sportif\u00a0» (public, associatif ou économique)."
    ]
    assert reasons[7] == ["Nom\u00a0: Le nom est obligatoire."]
    assert results[7].changes == ["Nom", "Site web", "Pays d’intervention"]
    assert imports.counts(results) == {"created": 2, "updated": 1, "unchanged": 1, "rejected": 4}


def test_every_error_of_a_row_is_listed(reference_data, staff):
    run = _start(staff, "Nom;Collège;Commune;SIRET;RNA\n;sportif;Nulle-Part;123;X12\n")

    (result,) = import_preview(run=run)

    assert result.outcome == "rejected"
    assert result.reasons == [
        "Nom\u00a0: Le nom est obligatoire.",
        "Collège\u00a0: Collège inconnu\u00a0: «\u00a0sportif\u00a0» (public, associatif ou économique).",
        "Commune\u00a0: Aucune commune ne correspond à «\u00a0Nulle-Part\u00a0».",
        "SIRET\u00a0: Ce n’est pas un numéro SIRET valide (14 chiffres, avec une clé de contrôle valide).",
        "Numéro RNA\u00a0: Un numéro RNA est la lettre W suivie de 9 chiffres, par exemple W313012345.",
    ]


def test_a_rejected_row_stops_the_commit_and_nothing_is_written(reference_data, staff):
    _existing()
    run = _start(staff, (FILES / "organisations.csv").read_bytes())
    before = db_snapshot()

    with pytest.raises(ImportRejected) as raised:
        import_commit(run=run, user=staff)

    assert imports.counts(raised.value.results)["rejected"] == 4
    assert db_snapshot() == before


def test_the_commit_of_the_valid_rows_writes_exactly_them_and_is_recorded(reference_data, staff):
    unchanged, updated = _existing()
    run = _start(staff, (FILES / "organisations.csv").read_bytes())
    organisations_before = set(Organisation.objects.values_list("pk", flat=True))

    run = import_commit(run=run, user=staff, valid_only=True)

    new = Organisation.objects.exclude(pk__in=organisations_before).order_by("name")
    assert [(o.name, o.source, o.status, o.commune_id) for o in new] == [
        ("Eau Vive Occitanie", "import", "draft", "31555"),
        ("Université de Rodez", "import", "draft", "12202"),
    ]
    eau_vive = new[0]
    assert (eau_vive.acronym, eau_vive.rna, eau_vive.college, eau_vive.category.slug) == (
        "EVO",
        "W313000001",
        "associative",
        "association",
    )
    assert (eau_vive.website, eau_vive.email, eau_vive.phone) == (
        "https://eauvive.example.org",
        "contact@eauvive.example.org",
        "05 61 00 00 00",
    )
    assert [country.code for country in eau_vive.countries] == ["MG", "SN"]
    assert sorted(eau_vive.themes.values_list("slug", flat=True)) == ["eau-assainissement", "sante"]
    assert [
        (a.person.first_name, a.person.last_name, a.person.email, a.role) for a in eau_vive.affiliations.all()
    ] == [("Awa", "Diop", "awa.diop@example.org", "titulaire")]
    assert new[1].siren == "732829320"
    updated.refresh_from_db()
    assert updated.website == "https://nouveau.example.org"
    assert [country.code for country in updated.countries] == ["BF", "SN"]  # added, not replaced
    assert updated.source == "manual"
    unchanged_before = unchanged.updated_at
    unchanged.refresh_from_db()
    assert unchanged.updated_at == unchanged_before
    assert (run.status, run.valid_only, run.user, run.file_name) == (
        "committed",
        True,
        staff,
        "organisations.csv",
    )
    assert (run.created, run.updated, run.unchanged, run.rejected) == (2, 1, 1, 4)
    assert run.rows == []
    assert [row["outcome"] for row in run.report] == [
        "created", "created", "rejected", "rejected", "rejected", "rejected", "unchanged", "updated",
    ]  # fmt: skip
    assert run.committed_at is not None

    with pytest.raises(ValidationError):  # a run is committed once
        import_commit(run=run, user=staff, valid_only=True)


def test_importing_the_same_file_again_changes_nothing(reference_data, staff):
    content = HEADER + UNIVERSITY + "Eau Vive;associatif;Toulouse;;Awa;Diop;awa@example.org\n"
    import_commit(run=_start(staff, content), user=staff)
    assert Organisation.objects.count() == 2
    assert Person.objects.count() == 2
    before = db_snapshot()

    again = _start(staff, content)
    results = import_preview(run=again)
    assert [result.outcome for result in results] == ["unchanged", "unchanged"]
    again = import_commit(run=again, user=staff)

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 0)
    after = db_snapshot()
    assert {label: value for label, value in after.items() if label != "directory.ImportRun"} == {
        label: value for label, value in before.items() if label != "directory.ImportRun"
    }


def test_rows_are_matched_on_siret_then_rna_then_name_and_commune(reference_data, staff):
    toulouse = Commune.objects.get(code="31555")
    by_siret = organisation_create(
        name="Autre nom", college="public", commune=toulouse, siret="73282932000074"
    )
    by_rna = organisation_create(
        name="Encore un autre", college="associative", commune=toulouse, rna="W313000001"
    )
    by_name = organisation_create(name="L'Étoile du Sud", college="associative", commune=toulouse)
    content = (
        "Nom;Collège;Commune;SIRET;RNA;Sigle\n"
        "Université;public;Toulouse;73282932000074;;U\n"
        "Eau Vive;associatif;Toulouse;;W313000001;EV\n"
        "l etoile du sud;associatif;Toulouse;;;EDS\n"
        "L'Étoile du Sud;associatif;Rodez;;;EDR\n"
    )

    import_commit(run=_start(staff, content), user=staff)

    assert [Organisation.objects.get(pk=o.pk).acronym for o in (by_siret, by_rna, by_name)] == [
        "U",
        "EV",
        "EDS",
    ]
    assert Organisation.objects.get(acronym="EDR").commune_id == "12202"  # another commune: a new one


def test_a_second_row_for_the_same_organisation_adds_a_contact(reference_data, staff):
    content = HEADER + UNIVERSITY + "Université de Rodez;public;Rodez;73282932000074;Léa;Roux;\n"

    results = import_preview(run=_start(staff, content))

    assert [(result.outcome, result.changes) for result in results] == [
        ("created", []),
        ("updated", ["Contact"]),
    ]


def test_an_xlsx_workbook_is_imported(reference_data, staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Collège", "Code INSEE", "SIRET", "Thématiques"])
    sheet.append(["Université de Rodez", "public", 12202, 73282932000074, "Santé"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    run = _start(staff, buffer.getvalue(), "annuaire.xlsx")
    run = import_commit(run=run, user=staff)

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.commune_id, organisation.siret) == (
        "Université de Rodez",
        "12202",
        "73282932000074",
    )
    assert list(organisation.themes.values_list("slug", flat=True)) == ["sante"]
    assert run.created == 1


def test_a_windows_1252_file_is_decoded(reference_data, staff):
    run = _start(staff, "Nom;Collège;Commune\nSolidarité Hérault;associatif;Montpellier\n".encode("cp1252"))

    assert run.encoding == "windows-1252"
    assert run.headers == ["Nom", "Collège", "Commune"]
    assert run.rows == [[2, ["Solidarité Hérault", "associatif", "Montpellier"]]]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Nom;Coll\x81ge\n\x81\x8d;x\n", "a.csv", "L’encodage de ce fichier n’est pas reconnu"),
        (b"\x00\x01binary", "a.csv", "Ce fichier n’est pas un fichier texte CSV."),
        (b"Nom\n", "a.csv", "Le fichier n’a aucune ligne à importer sous sa ligne d’en-tête."),
        (b"not a zip", "a.xlsx", "Ce fichier n’est pas un classeur XLSX."),
        (b"Nom\nX\n", "a.xls", "Seuls les fichiers CSV et XLSX peuvent être importés"),
    ],
)
def test_unreadable_files_get_a_clear_message(reference_data, staff, content, name, message):
    with pytest.raises(ImportFileError) as raised:
        _start(staff, content, name)

    assert str(raised.value).startswith(message)
    assert not ImportRun.objects.exists()


def test_a_file_over_the_size_limit_is_refused(reference_data, staff, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_FILE_SIZE", 10)

    with pytest.raises(ImportFileError) as raised:
        _start(staff, "Nom;Collège;Commune\nX;public;Rodez\n")

    assert (
        str(raised.value)
        == "Le fichier est trop volumineux (36\u00a0octets)\u00a0: la limite est de 10\u00a0octets."
    )


def test_missing_required_columns_are_named(reference_data, staff):
    run = _start(staff, "Nom;Ville\nX;Rodez\n")

    assert mapping_errors(run.mapping) == ["Ces colonnes sont obligatoires\u00a0: Collège."]
    assert mapping_errors({}) == [
        "Ces colonnes sont obligatoires\u00a0: Nom, Collège, Commune, code INSEE ou code postal."
    ]
    assert mapping_errors({"name": 0, "country": 1}) == []
    with pytest.raises(ValidationError):
        imports.import_set_mapping(run=run, mapping={"name": 0})


def test_a_partner_abroad_needs_no_college_nor_commune(reference_data, staff):
    run = _start(staff, "Nom;Pays;Pays d'intervention\nGroupe Sahel;Sénégal;SN\n")

    run = import_commit(run=run, user=staff)

    partner = Organisation.objects.get()
    assert (partner.kind, partner.college, str(partner.country), partner.commune) == (
        "partner",
        "",
        "SN",
        None,
    )


# --- Staff pages -----------------------------------------------------------------------------------

READ = BACK_OFFICE
WRITE = READ | {"auditor": 403}


def test_import_pages_per_role(client, users, reference_data):
    run = _start(users["staff"], HEADER + UNIVERSITY)
    assert_access(client, users, "/gestion/annuaire/imports/", expected=READ)
    assert_access(client, users, f"/gestion/annuaire/imports/{run.pk}/", expected=READ)
    assert_access(client, users, "/gestion/annuaire/imports/nouveau/", expected=WRITE)
    assert_access(client, users, f"/gestion/annuaire/imports/{run.pk}/colonnes/", expected=WRITE)
    assert_access(client, users, f"/gestion/annuaire/imports/{run.pk}/apercu/", expected=WRITE)
    refused = {role: want for role, want in WRITE.items() if want != 200} | {
        "staff": 302,
        "administrator": 404,  # committed by the staff member just before
    }
    assert_access(
        client, users, f"/gestion/annuaire/imports/{run.pk}/apercu/", method="post", data={}, expected=refused
    )
    assert ImportRun.objects.get().status == "committed"


def test_staff_without_totp_are_sent_to_enrol(client, reference_data):
    staff = make_user("staff", totp=False)
    client.force_login(staff)
    response = client.get("/gestion/annuaire/imports/")
    assert response.status_code == 302 and "/2fa/totp/activate/" in response.url


def test_the_import_pages_walk_through_the_steps(client, reference_data, staff):
    client.force_login(staff)
    upload = _upload((FILES / "organisations.csv").read_bytes())

    response = client.post("/gestion/annuaire/imports/nouveau/", {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/gestion/annuaire/imports/{run.pk}/colonnes/"

    page = client.get(response.url)
    assert page.context["form"].initial["college"] == "6"
    data = {key: str(index) for key, index in run.mapping.items()}
    response = client.post(f"/gestion/annuaire/imports/{run.pk}/colonnes/", data)
    assert response.status_code == 302 and response.url == f"/gestion/annuaire/imports/{run.pk}/apercu/"

    page = client.get(response.url)
    assert page.status_code == 200
    assert "Collège inconnu\u00a0: «\u00a0sportif\u00a0»" in page.content.decode()
    before = db_snapshot()
    response = client.post(f"/gestion/annuaire/imports/{run.pk}/apercu/", {})
    assert response.status_code == 200
    assert "rien n’a été importé" in response.content.decode()
    assert db_snapshot() == before

    response = client.post(f"/gestion/annuaire/imports/{run.pk}/apercu/", {"valid_only": "on"})
    assert response.status_code == 302 and response.url == f"/gestion/annuaire/imports/{run.pk}/"
    assert Organisation.objects.count() == 4
    assert client.get(response.url).status_code == 200


def test_the_mapping_page_refuses_missing_and_repeated_columns(client, reference_data, staff):
    client.force_login(staff)
    run = _start(staff, HEADER + UNIVERSITY)

    response = client.post(f"/gestion/annuaire/imports/{run.pk}/colonnes/", {"name": "0", "college": "0"})

    form = response.context["form"]
    assert form.errors == {
        "__all__": ["Ces colonnes sont obligatoires\u00a0: Commune, code INSEE ou code postal."],
        "college": ["Cette colonne est déjà choisie pour «\u00a0Nom\u00a0»."],
    }


def test_an_unreadable_upload_is_shown_on_the_form(client, reference_data, staff):
    client.force_login(staff)

    response = client.post("/gestion/annuaire/imports/nouveau/", {"file": _upload(b"Nom\n", "a.csv")})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["Le fichier n’a aucune ligne à importer sous sa ligne d’en-tête."]
    }


def test_themes_by_french_name(reference_data, staff):
    run = _start(staff, 'Nom;Collège;Commune;Thématiques\nX;public;Rodez;"Eau et assainissement, inconnue"\n')
    assert Theme.objects.filter(slug="eau-assainissement").exists()

    (result,) = import_preview(run=run)

    assert result.reasons == ["Thématiques\u00a0: Thématique inconnue\u00a0: inconnue."]
    assert Affiliation.objects.count() == 0


# --- Purge of the imports never committed ----------------------------------------------------------


def _age(run: ImportRun, days: float) -> ImportRun:
    """Make ``run`` last touched ``days`` ago (``updated_at`` is set on every save)."""
    when = timezone.now() - timedelta(days=days)
    ImportRun.objects.filter(pk=run.pk).update(created_at=when, updated_at=when)
    return run


def _runs(staff, settings):
    """A forgotten run, a recent one and an old committed one (aged once all are uploaded: an
    upload purges)."""
    retention = settings.MAILLAGE_IMPORT_RETENTION_DAYS
    forgotten, recent, committed = (_start(staff, HEADER + UNIVERSITY) for _index in range(3))
    import_commit(run=committed, user=staff)
    _age(forgotten, retention + 1)
    _age(recent, retention - 1)
    _age(committed, retention * 10)
    return forgotten, recent, committed


def test_the_purge_deletes_only_the_runs_never_committed_past_the_retention(reference_data, staff, settings):
    _forgotten, recent, committed = _runs(staff, settings)
    assert import_purge() == 1
    assert set(ImportRun.objects.values_list("pk", flat=True)) == {recent.pk, committed.pk}
    assert import_purge() == 0  # idempotent


def test_the_retention_is_a_setting(reference_data, staff, settings):
    settings.MAILLAGE_IMPORT_RETENTION_DAYS = 30
    _runs(staff, settings)
    settings.MAILLAGE_IMPORT_RETENTION_DAYS = 1
    assert import_purge() == 2
    assert not ImportRun.objects.filter(status=ImportRun.Status.PENDING).exists()
    with pytest.raises(ValueError):
        import_purge(days=-1)


def test_the_purge_command(reference_data, staff, settings):
    forgotten, _recent, committed = _runs(staff, settings)
    out = io.StringIO()
    call_command("purge_imports", stdout=out)
    assert "1 import jamais validé supprimé." in out.getvalue()
    assert not ImportRun.objects.filter(pk=forgotten.pk).exists()
    call_command("purge_imports", "--days=0", stdout=out)
    assert list(ImportRun.objects.values_list("pk", flat=True)) == [committed.pk]
    with pytest.raises(CommandError):
        call_command("purge_imports", "--days=-3", stdout=out)


def test_the_purge_task(reference_data, staff, settings):
    forgotten, _recent, _committed = _runs(staff, settings)
    assert imports_purge.delay().get() == 1
    assert not ImportRun.objects.filter(pk=forgotten.pk).exists()


def test_a_new_upload_purges_the_forgotten_runs(client, reference_data, staff, settings):
    forgotten, recent, committed = _runs(staff, settings)
    client.force_login(staff)
    response = client.post("/gestion/annuaire/imports/nouveau/", {"file": _upload(HEADER + UNIVERSITY)})
    assert response.status_code == 302
    assert not ImportRun.objects.filter(pk=forgotten.pk).exists()
    assert ImportRun.objects.filter(pk__in=[recent.pk, committed.pk]).count() == 2
    assert ImportRun.objects.count() == 3
