"""The official IATI schema tests and real published files, through the import."""

from pathlib import Path

import pytest

from maillage.observatory.iati.importer import iati_import
from maillage.observatory.models import Project

DATA = Path(__file__).parent / "data" / "iati"
SHOULD_PASS = sorted((DATA / "conformance" / "should-pass").rglob("*.xml"))
SHOULD_FAIL = sorted((DATA / "conformance" / "should-fail").rglob("*.xml"))
SAMPLES = DATA / "samples"


def _name(path: Path) -> str:
    return str(path.relative_to(DATA / "conformance"))


@pytest.mark.parametrize("path", SHOULD_PASS, ids=_name)
def test_every_should_pass_file_imports(db, path):
    """Their placeholder codes ("xx" as organisation role, activity status or date type) are
    left out with a warning, never invented nor a reason to refuse the activity."""
    outcome = iati_import(path)
    assert outcome.error == ""
    assert outcome.rejected == []
    assert outcome.committed
    assert outcome.activities >= 1
    assert Project.objects.filter(provenance=Project.Provenance.IATI).count() >= 1


@pytest.mark.parametrize("path", SHOULD_FAIL, ids=_name)
def test_every_should_fail_file_is_rejected_with_a_message(db, path):
    outcome = iati_import(path)
    assert not outcome.committed
    assert outcome.error or (outcome.rejected and all(r.reason and r.element for r in outcome.rejected))
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("name", "activities"),
    [
        ("acfspain-co.xml", 1),
        ("acfspain-ph.xml", 6),
        ("worldbank-679.xml", 5),
    ],
)
def test_real_files_import(reference_data, name, activities):
    outcome = iati_import(SAMPLES / name)
    assert outcome.rejected == []
    assert outcome.committed
    assert outcome.created == activities == Project.objects.filter(provenance=Project.Provenance.IATI).count()


def test_a_large_real_file_imports(reference_data):
    outcome = iati_import(SAMPLES / "usaid-798.xml")
    assert outcome.committed and outcome.rejected == []
    assert outcome.created == 108 == Project.objects.count()


def test_an_organisation_file_is_refused(db):
    outcome = iati_import(SAMPLES / "wri-org.xml")
    assert "iati-organisations" in outcome.error
    assert not outcome.committed
