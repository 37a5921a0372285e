"""The staff pages of the IATI import: who may see and do what; upload, check, commit."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.observatory.models import IatiImport, Project
from tests.access import BACK_OFFICE, assert_access
from tests.observatory.test_iati_import import activity, iati_file

WRITE = BACK_OFFICE | {"auditor": 403}


def _upload(content: bytes, name: str = "activities.xml") -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content, content_type="application/xml")}


def test_who_may_see_and_import(client, users, actors):
    url = reverse("observatory_staff:iati_imports")
    assert_access(client, users, url, expected=BACK_OFFICE)
    run = IatiImport.objects.create(file_name="a.xml")
    detail = reverse("observatory_staff:iati_import", args=[run.pk])
    assert_access(client, users, detail, expected=BACK_OFFICE)
    refused = {role: want for role, want in WRITE.items() if want != 200}
    assert_access(
        client, users, detail, method="post", data={}, expected=refused | {"staff": 302, "administrator": 302}
    )
    assert_access(
        client,
        users,
        url,
        method="post",
        data={},
        expected=refused | {"staff": 200, "administrator": 200},  # an empty form comes back with its error
    )


def test_upload_check_then_commit(client, users, actors, django_assert_max_num_queries):
    client.force_login(users["staff"])
    content = iati_file(activity("P-1"), activity("P-2", budget="beaucoup"))
    response = client.post(reverse("observatory_staff:iati_imports"), _upload(content))
    run = IatiImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "observatory_staff:iati_import", args=[run.pk]
    )
    assert (run.status, run.activities, run.rejected, run.version) == ("pending", 2, 1, "2.03")
    assert run.report[0]["identifier"] == "P-2" and run.report[0]["element"] == "value"
    page = client.get(response.url)
    assert b"P-2" in page.content and b'name="valid_only"' in page.content
    assert not Project.objects.exists()

    client.post(response.url, {})  # all or nothing: refused
    run.refresh_from_db()
    assert run.status == "pending" and not Project.objects.exists()

    client.post(response.url, {"valid_only": "on", "publish": "on"})
    run.refresh_from_db()
    assert run.status == "committed" and not run.file and run.created == 1
    assert Project.objects.get().status == Project.Status.PUBLISHED
    with django_assert_max_num_queries(12):
        assert client.get(reverse("observatory_staff:iati_imports")).status_code == 200


def test_an_organisation_file_is_refused_on_upload(client, users, db):
    client.force_login(users["staff"])
    content = b'<?xml version="1.0"?><iati-organisations version="2.03"/>'
    client.post(reverse("observatory_staff:iati_imports"), _upload(content, "org.xml"))
    run = IatiImport.objects.get()
    assert run.status == "refused" and "iati-organisations" in run.error and not run.file
    assert (
        "iati-organisations"
        in client.get(reverse("observatory_staff:iati_import", args=[run.pk])).content.decode()
    )
