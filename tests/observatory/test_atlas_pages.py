"""Staff pages of the Atlas spreadsheet import and export: who may do what, and the upload →
preview → commit flow through the client."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from maillage.observatory import atlas
from maillage.observatory.models import Project, ProjectImportRun
from maillage.observatory.services import project_save
from tests.access import BACK_OFFICE, LOGIN, assert_access, db_snapshot
from tests.observatory.test_atlas import SCHOOLS, UNKNOWN_HOLDER, WATER, _csv

TEAM_WRITES = {
    "visitor": LOGIN,
    "registered": 403,
    "organisation_editor": 403,
    "staff": 200,  # no file posted: the form shows its error
    "administrator": 200,
    "elected": 403,
    "auditor": 403,
}


def test_who_may_see_import_and_export(client, users, project):
    for name in ("atlas_imports", "atlas_template"):
        assert_access(client, users, reverse(f"observatory_staff:{name}"), expected=BACK_OFFICE)
    for fmt in ("csv", "xlsx"):
        assert_access(
            client, users, reverse("observatory_staff:atlas_export", args=[fmt]), expected=BACK_OFFICE
        )
    assert_access(
        client, users, reverse("observatory_staff:atlas_imports"), method="post", expected=TEAM_WRITES
    )


def test_a_run_is_previewed_by_the_team_and_only_read_by_auditors(client, users, actors):
    client.force_login(users["staff"])
    client.post(
        reverse("observatory_staff:atlas_imports"), {"file": SimpleUploadedFile("a.csv", _csv(WATER))}
    )
    run = ProjectImportRun.objects.get()
    url = reverse("observatory_staff:atlas_import", args=[run.pk])
    expected = BACK_OFFICE | {"staff": 200, "administrator": 200, "auditor": 200}
    assert_access(client, users, url, expected=expected)
    client.force_login(users["auditor"])
    before = db_snapshot()
    assert client.post(url, {"valid_only": "on"}).status_code == 403
    assert db_snapshot() == before
    assert client.get(reverse("observatory_staff:atlas_import_mapping", args=[run.pk])).status_code == 403


def test_upload_preview_and_commit_through_the_pages(client, users, actors):
    client.force_login(users["staff"])
    upload = SimpleUploadedFile("atlas.csv", _csv(WATER, UNKNOWN_HOLDER, SCHOOLS))

    response = client.post(reverse("observatory_staff:atlas_imports"), {"file": upload})

    run = ProjectImportRun.objects.get()
    url = reverse("observatory_staff:atlas_import", args=[run.pk])
    assert response.url == url
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "Mairie de Nulle-Part" in page.content.decode()
    assert not Project.objects.exists()  # the preview wrote nothing

    refused = client.post(url, {})
    assert refused.status_code == 200 and not Project.objects.exists()

    done = client.post(url, {"valid_only": "on"})

    assert done.url == url
    assert set(Project.objects.values_list("title", flat=True)) == {"Forages à Podor", "Écoles du Sahel"}
    report = client.get(url)
    assert report.status_code == 200
    assert "Forages à Podor" in report.content.decode()


def test_unknown_headers_lead_to_the_mapping_step(client, users, actors):
    client.force_login(users["staff"])
    content = "Nom du projet;Structure\nForages à Podor;SEO\n".encode()
    client.post(reverse("observatory_staff:atlas_imports"), {"file": SimpleUploadedFile("a.csv", content)})
    run = ProjectImportRun.objects.get()
    url = reverse("observatory_staff:atlas_import", args=[run.pk])
    mapping_url = reverse("observatory_staff:atlas_import_mapping", args=[run.pk])

    assert client.get(url).url == mapping_url
    assert client.post(mapping_url, {"title": "0"}).status_code == 200  # the holder is missing
    response = client.post(mapping_url, {"title": "0", "reporting": "1"})

    assert response.url == url
    assert client.get(url).context["counts"]["created"] == 1


def test_the_template_is_read_back_by_the_import(client, users, actors):
    client.force_login(users["staff"])
    response = client.get(reverse("observatory_staff:atlas_template"))
    client.post(
        reverse("observatory_staff:atlas_imports"),
        {"file": SimpleUploadedFile("modele.xlsx", response.content)},
    )
    run = ProjectImportRun.objects.get()
    assert set(run.mapping) == {column.key for column in atlas.COLUMNS}


@pytest.mark.parametrize("query", ["?status=2&year=2026", "?year=2031", "?status=4"])
def test_the_export_is_filtered_and_its_queries_do_not_grow(
    client, users, project, project_data, django_assert_max_num_queries, query
):
    for number in range(5):
        project_save(project_data(title=f"Projet {number}"))
    client.force_login(users["auditor"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("observatory_staff:atlas_export", args=["xlsx"]) + query)
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    titles = [row[1] for row in rows[1:]]
    assert len(titles) == (6 if query.startswith("?status=2") else 0)
