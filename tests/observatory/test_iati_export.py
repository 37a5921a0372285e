"""The IATI export: valid against the 2.03 schema, streamed, the organisations' identifiers from
the directory (or the configured prefix), and the same data after export → import → export."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from maillage.core.models import Sdg, SdgTarget
from maillage.core.reference import DATA_DIR
from maillage.directory.models import Organisation
from maillage.directory.services import organisation_create
from maillage.observatory.iati.importer import iati_import
from maillage.observatory.iati.writer import iati_stream, iati_write, organisation_ref
from maillage.observatory.models import ActivityStatus, Project
from maillage.observatory.services import ProjectData, project_save
from tests.access import ROLES

SCHEMA_PATH = DATA_DIR / "iati" / "schema-2.03" / "iati-activities-schema.xsd"
DATA = Path(__file__).parent / "data" / "iati"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def export(projects=None) -> bytes:
    out = io.BytesIO()
    iati_write(Project.objects.all() if projects is None else projects, out)
    return out.getvalue()


def assert_valid(schema, xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    assert schema.validate(root), "\n".join(str(error) for error in schema.error_log)
    return root


@pytest.fixture
def rich_project(project_data, actors):
    """A published project with every part the export writes filled."""
    data = project_data(
        iati_identifier="FR-RNA-W313000000-2025-01",
        title="Accès à l’eau potable à Podor",
        narratives={"title": {"en": "Drinking water in Podor"}, "description": {"en": "Boreholes."}},
        activity_status=ActivityStatus.IMPLEMENTATION,
        planned_start=datetime.date(2025, 1, 1),
        actual_start=datetime.date(2025, 2, 1),
        planned_end=datetime.date(2027, 12, 31),
        actual_end=datetime.date(2025, 10, 31),
        countries=[("SN", Decimal(80))],
        regions=[("1", "289", Decimal(20))],
        locations=[
            {
                "name": "Podor",
                "latitude": 16.6518,
                "longitude": -14.9599,
                "admin_vocabulary": "G1",
                "admin_level": 1,
                "admin_code": "SN-SL",
            },
            {"name": "Ndioum", "latitude": None, "longitude": None},
        ],
        sectors=[("1", "14030", Decimal("70.5")), ("1", "14081", Decimal("29.5")), ("99", "EAU", None)],
        sdgs=[Sdg.objects.get(number=6)],
        sdg_targets=[SdgTarget.objects.get(code="6.1"), SdgTarget.objects.get(code="6.a")],
        budgets=[
            {
                "kind": 1,
                "state": 2,
                "period_start": datetime.date(2025, 1, 1),
                "period_end": datetime.date(2025, 12, 31),
                "value": Decimal("45000.50"),
                "value_date": datetime.date(2025, 1, 1),
            },
            {
                "kind": 2,
                "state": 1,
                "period_start": datetime.date(2026, 1, 1),
                "period_end": datetime.date(2026, 12, 31),
                "value": Decimal("30000000"),
                "currency": "XOF",
                "value_date": datetime.date(2026, 1, 1),
            },
        ],
        transactions=[
            {
                "kind": 1,
                "date": datetime.date(2025, 3, 10),
                "value": Decimal("20000.00"),
                "value_date": datetime.date(2025, 3, 1),
                "description": "Première tranche de la subvention régionale",
                "provider": actors["funder"],
                "receiver": actors["regional"],
            },
            {
                "kind": 3,
                "date": datetime.date(2025, 4, 2),
                "value": Decimal("12500.00"),
                "provider": actors["regional"],
                "receiver_name": "Comité de gestion du forage de Ndioum",
            },
        ],
        documents=[
            {
                "url": "https://example.org/podor/rapport-2025.pdf",
                "title": "Rapport d’activité 2025",
                "category": "A07",
                "format": "application/pdf",
                "language": "fr",
                "document_date": datetime.date(2025, 12, 15),
            },
            {"url": "https://example.org/podor/", "title": "Page du projet", "format": "text/html"},
        ],
    )
    return project_save(data, status=Project.Status.PUBLISHED, strict=False)


def test_the_export_of_a_project_validates_against_the_schema(schema, project, actors):
    root = assert_valid(schema, export())
    assert root.get("version") == "2.03" and root.get("generated-datetime")
    (activity,) = root
    regional = actors["regional"]
    prefix = settings.MAILLAGE_IATI_IDENTIFIER_PREFIX
    assert activity.findtext("iati-identifier") == f"{prefix}-{regional.slug}-{project.pk}"
    assert activity.find("reporting-org").get("ref") == f"{prefix}-{regional.slug}"
    assert activity.find("reporting-org").get("type") == "22"  # an association: national NGO
    assert activity.findtext("title/narrative") == project.title
    assert activity.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert activity.get("default-currency") == "EUR"
    roles = [(org.get("ref"), org.get("type"), org.get("role")) for org in activity.iter("participating-org")]
    assert roles == [
        ("FR-RNA-000000000", "11", "1"),  # the Région: its own identifier, a local government
        (f"{prefix}-{regional.slug}", "22", "2"),
        (f"{prefix}-{actors['partner'].slug}", None, "4"),  # a partner abroad: type unknown
    ]
    assert [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")] == [
        ("1", "2025-01-01"),
        ("2", "2025-02-01"),
        ("3", "2027-12-31"),
    ]
    assert [(s.get("code"), s.get("percentage")) for s in activity.iter("sector")] == [
        ("14030", "70"),
        ("14081", "30"),
    ]
    assert [(t.get("vocabulary"), t.get("code")) for t in activity.iter("tag")] == [("2", "6")]
    value = activity.find("transaction/value")
    # No value date recorded: the transaction's date (the schema requires one).
    assert (value.text, value.get("currency"), value.get("value-date")) == ("20000.00", "EUR", "2025-03-10")


def test_a_rich_project_validates_with_every_part(schema, rich_project):
    (activity,) = assert_valid(schema, export())
    assert activity.findtext("iati-identifier") == "FR-RNA-W313000000-2025-01"
    narratives = activity.findall("title/narrative")
    assert [n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in narratives] == [None, "en"]
    assert [d.get("type") for d in activity.iter("activity-date")] == ["1", "2", "3", "4"]
    assert activity.find("recipient-region").attrib == {"code": "289", "vocabulary": "1", "percentage": "20"}
    assert activity.findtext("location/point/pos") == "16.6518 -14.9599"
    assert activity.find("location/administrative").attrib == {
        "vocabulary": "G1",
        "level": "1",
        "code": "SN-SL",
    }
    assert [(t.get("vocabulary"), t.get("code")) for t in activity.iter("tag")] == [
        ("2", "6"),
        ("3", "6.1"),
        ("3", "6.a"),
    ]
    assert [b.findtext("value") for b in activity.iter("budget")] == ["45000.50", "30000000.00"]
    assert activity.findall("budget")[1].find("value").get("currency") == "XOF"
    second = activity.findall("transaction")[1]
    assert second.findtext("receiver-org/narrative") == "Comité de gestion du forage de Ndioum"
    assert [c.get("code") for c in activity.iter("category")] == ["A07", "A12"]


def test_an_organisation_with_a_siren_is_identified_by_it(actors, settings):
    settings.MAILLAGE_IATI_IDENTIFIER_PREFIX = "XI-TEST"
    organisation = organisation_create(
        name="Coopérative du Lauragais",
        kind=Organisation.Kind.REGIONAL,
        college="economic",
        siren="732829320",
        status=Organisation.Status.PUBLISHED,
    )
    assert organisation_ref(organisation) == "XI-TEST-732829320"
    assert organisation_ref(actors["regional"]) == f"XI-TEST-{actors['regional'].slug}"
    assert organisation_ref(actors["funder"]) == "FR-RNA-000000000"


def test_a_project_without_description_nor_date_still_validates(schema, project_data):
    project = project_save(
        project_data(description="", planned_start=None, planned_end=None, actual_start=None, budgets=[]),
        status=Project.Status.PUBLISHED,
    )
    Project.objects.filter(pk=project.pk).update(activity_status=None)  # an unknown imported code
    (activity,) = assert_valid(schema, export())
    assert activity.find("activity-status").get("code") == "1"  # no date: pipeline
    assert activity.findtext("description/narrative") == ""
    assert activity.find("activity-date").get("type") == "1"


def test_the_export_reads_a_constant_number_of_queries(project_data, django_assert_max_num_queries):
    for number in range(3):
        project_save(project_data(title=f"Projet {number}"), status=Project.Status.PUBLISHED)
    with django_assert_max_num_queries(13) as captured:
        export()
    few = len(captured)
    for number in range(3, 15):
        project_save(project_data(title=f"Projet {number}"), status=Project.Status.PUBLISHED)
    with django_assert_max_num_queries(few):
        assert export().count(b"<iati-activity ") == 15
    # Streamed by chunks of 4 activities: the same file.
    chunks = list(iati_stream(Project.objects.all(), every=4))
    assert len(chunks) == 4
    assert without_timestamps(b"".join(chunks)) == without_timestamps(export())


# --- Downloads and command -----------------------------------------------------------------------


def test_the_downloads_hold_published_projects_only(client, schema, project, project_data, actors):
    draft = project_save(project_data(title="Projet en préparation"), status=Project.Status.DRAFT)
    response = client.get(reverse("observatory:iati_network"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"].startswith('attachment; filename="iati-')
    body = b"".join(response.streaming_content)
    root = assert_valid(schema, body)
    assert [a.findtext("title/narrative") for a in root] == [project.title]
    assert draft.title.encode() not in body

    slug = actors["regional"].slug
    response = client.get(reverse("observatory:iati_organisation", args=[slug]))
    assert response.status_code == 200
    assert len(assert_valid(schema, b"".join(response.streaming_content))) == 1
    # An organisation that reports no published project: no file (it would hold no activity).
    assert (
        client.get(reverse("observatory:iati_organisation", args=[actors["funder"].slug])).status_code == 404
    )


def test_the_download_of_an_unpublished_organisation_is_not_found(client, users, project, actors):
    Organisation.objects.filter(pk=actors["regional"].pk).update(status=Organisation.Status.DRAFT)
    url = reverse("observatory:iati_organisation", args=[actors["regional"].slug])
    for role in ROLES:  # whoever asks: the download is public, and only of published data
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        assert client.get(url).status_code == 404, role
    assert client.get(reverse("observatory:iati_organisation", args=["inconnue"])).status_code == 404
    assert client.post(reverse("observatory:iati_network")).status_code == 405


def test_the_command_writes_to_a_file_or_the_standard_output(schema, project, project_data, actors, tmp_path):
    project_save(project_data(title="Projet en préparation"), status=Project.Status.DRAFT)
    target = tmp_path / "activites.xml"
    messages = io.StringIO()
    call_command("export_iati", "-o", str(target), stdout=messages)
    assert len(assert_valid(schema, target.read_bytes())) == 1
    assert "1" in messages.getvalue()

    out, err = io.StringIO(), io.StringIO()
    call_command("export_iati", "--all", stdout=out, stderr=err)
    root = assert_valid(schema, out.getvalue().encode())
    assert {a.findtext("title/narrative") for a in root} == {project.title, "Projet en préparation"}
    assert "2" in err.getvalue()

    out = io.StringIO()
    call_command("export_iati", "--organisation", actors["regional"].slug, stdout=out, stderr=io.StringIO())
    assert len(assert_valid(schema, out.getvalue().encode())) == 1
    with pytest.raises(CommandError, match="inconnue"):
        call_command("export_iati", "--organisation", "inconnue", stdout=io.StringIO())
    with pytest.raises(CommandError):  # reports no project: no file
        call_command("export_iati", "--organisation", actors["funder"].slug, stdout=io.StringIO())


# --- Round trips through the importer ------------------------------------------------------------

TIMESTAMPS = re.compile(rb' (?:generated|last-updated)-datetime="[^"]*"')
SAMPLES = sorted(path for path in (DATA / "samples").glob("*.xml") if path.name != "wri-org.xml")


def without_timestamps(xml: bytes) -> bytes:
    """The file without the times of its writing and of each record's last change (which an
    import renews by definition)."""
    return TIMESTAMPS.sub(b"", xml)


def recorded() -> dict[str, dict]:
    """The data of every project by IATI identifier, without the time of the source file."""
    return {
        project.iati_identifier: {
            name: value
            for name, value in vars(ProjectData.of(project)).items()
            if name not in ("iati_last_updated", "iati_warnings")
        }
        for project in Project.objects.all()
    }


def imported(xml: bytes) -> None:
    outcome = iati_import(io.BytesIO(xml), status=Project.Status.PUBLISHED)
    assert outcome.committed, (outcome.error, outcome.rejected)


def test_export_import_export_gives_the_same_file_and_data(schema, project, rich_project):
    first = export()
    assert_valid(schema, first)
    originals = {p.pk: ProjectData.of(p) for p in Project.objects.order_by("pk")}
    identifiers = {
        pk: activity.findtext("iati-identifier")
        for pk, activity in zip(originals, etree.fromstring(first), strict=True)
    }
    Project.objects.all().delete()

    imported(first)
    second = export()
    assert without_timestamps(second) == without_timestamps(first)
    # The data is the same, with what the schema made explicit: the identifier, the value date
    # of a transaction, the category of a document; themes, beneficiaries and volunteers are not
    # IATI's.
    for pk, data in originals.items():
        again = ProjectData.of(Project.objects.get(iati_identifier=identifiers[pk]))
        data.iati_identifier = identifiers[pk]
        for item in data.transactions:
            item["value_date"] = item["value_date"] or item["date"]
        for document in data.documents:
            document["category"] = document["category"] or "A12"
        data.themes, data.iati_last_updated, data.iati_warnings = (
            [],
            again.iati_last_updated,
            again.iati_warnings,
        )
        assert vars(again) == vars(data)


def first_activities(path: Path, count: int = 20) -> bytes:
    """The sample cut to its first ``count`` activities (the test stays fast)."""
    root = etree.parse(str(path)).getroot()
    for activity in root.findall("iati-activity")[count:]:
        root.remove(activity)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@pytest.mark.parametrize(
    "sample",
    SAMPLES,
    ids=[path.stem for path in SAMPLES],
)
def test_a_published_file_imported_exported_and_imported_again_keeps_its_data(schema, reference_data, sample):
    imported(first_activities(sample))
    before = recorded()
    assert before
    exported = export()
    assert len(assert_valid(schema, exported)) == len(before)
    imported(exported)  # updates each project by its identifier
    after = recorded()
    assert after.keys() == before.keys()
    for identifier, data in before.items():
        changed = {
            name: (value, after[identifier][name])
            for name, value in data.items()
            if after[identifier][name] != value
        }
        assert not changed, identifier
    assert without_timestamps(export()) == without_timestamps(exported)
