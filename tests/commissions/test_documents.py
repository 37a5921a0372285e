"""Shared documents: upload checked by content, versions, tags, downloads only for members."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from maillage.commissions import services_documents
from maillage.commissions.models import Document, DocumentVersion, Meeting
from maillage.core.uploads import DOCUMENT_MAX_BYTES
from tests.access import LOGIN, assert_access

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _pdf(name: str = "compte-rendu.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    # The browser's type is a lie on purpose: only the content counts.
    return SimpleUploadedFile(name, content, content_type="application/x-msdownload")


def _stored_files() -> list[Path]:
    root = Path(settings.MAILLAGE_PRIVATE_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _format_error(name: str) -> str:
    """The French message (its msgstr is merged by the lead: compare with the catalogue)."""
    with translation.override("fr"):
        return escape(
            gettext(
                "%(name)s is not an accepted document (%(kinds)s), or its content does not match its name."
            )
            % {"name": name, "kinds": ", ".join(kind.upper() for kind in services_documents.KINDS)}
        )


@pytest.fixture
def document(commission):
    return services_documents.document_create(
        commission=commission["commission"],
        user=commission["member"],
        title="Programme de formation 2026",
        tags="formation, programme",
        upload=_pdf("programme été 2026.pdf"),
    )


def test_a_member_uploads_a_document_linked_to_a_meeting(client, commission):
    starts = timezone.now() - datetime.timedelta(days=7)
    meeting = Meeting.objects.create(
        commission=commission["commission"],
        title="Réunion de rentrée",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        agenda="Bilan",
    )
    client.force_login(commission["member"])
    url = reverse("commissions:documents", args=["formation"])
    response = client.post(
        url,
        {
            "title": "Bilan des formations",
            "tags": " bilan , Sénégal,bilan",
            "meetings": [meeting.pk],
            "file": _pdf("Bilan été.pdf"),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("commissions:document", args=["formation", document.pk])
    assert document.tags == "bilan, Sénégal"
    assert list(document.meetings.all()) == [meeting]
    version = document.versions.get()
    assert version.number == 1 and version.filename == "Bilan été.pdf"
    assert version.content_type == "application/pdf"  # from the content, not from the browser
    assert version.size == len(PDF) and version.uploaded_by == commission["member"]
    assert "été" not in version.file.name and version.file.name.endswith(".pdf")  # a random name
    assert [path.read_bytes() for path in _stored_files()] == [PDF]
    page = client.get(reverse("commissions:document", args=["formation", document.pk])).content.decode()
    assert "Bilan des formations" in page and "Réunion de rentrée" in page


def test_a_new_version_keeps_the_older_ones(client, commission, document):
    client.force_login(commission["other_member"])
    url = reverse("commissions:document", args=["formation", document.pk])
    second = PDF.replace(b"Catalog", b"Catalog /Version 2")
    response = client.post(url, {"action": "version", "file": _pdf("programme v2.pdf", second)})
    assert response.status_code == 302
    versions = list(document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].uploaded_by == commission["other_member"]
    assert versions[0].file.read() == PDF and versions[1].file.read() == second
    page = client.get(url).content.decode()
    assert "programme v2.pdf" in page and "programme été 2026.pdf" in page


def test_tags_and_meetings_are_edited(client, commission, document):
    client.force_login(commission["convener"])
    url = reverse("commissions:document", args=["formation", document.pk])
    response = client.post(
        url, {"action": "edit", "title": "Programme 2026", "tags": "programme, Madagascar"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Programme 2026" and document.tag_list == ["programme", "Madagascar"]


def test_the_list_filters_by_tag_in_the_url_in_constant_queries(client, commission, document):
    for number in range(3):
        services_documents.document_create(
            commission=commission["commission"],
            user=commission["convener"],
            title=f"Compte rendu {number}",
            tags="compte rendu, programmes",  # "programmes" must not match "programme"
            upload=_pdf(f"cr-{number}.pdf"),
        )
    client.force_login(commission["member"])
    url = reverse("commissions:documents", args=["formation"])
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"tag": "compte rendu"})
    services_documents.document_create(
        commission=commission["commission"],
        user=commission["convener"],
        title="Compte rendu 4",
        tags="compte rendu",
        upload=_pdf("cr-4.pdf"),
    )
    with CaptureQueriesContext(connection) as more:
        response = client.get(url, {"tag": "compte rendu"})
    assert len(more) == len(few)
    titles = [row["document"].title for row in response.context["rows"]]
    assert sorted(titles) == ["Compte rendu 0", "Compte rendu 1", "Compte rendu 2", "Compte rendu 4"]
    programme = client.get(url, {"tag": "Programme"}).context["rows"]
    assert [row["document"] for row in programme] == [document]
    page = client.get(url).content.decode()
    assert "Programme de formation 2026" in page and "Compte rendu 4" in page
    assert 'href="?tag=compte%20rendu"' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", EXECUTABLE, "format"),
        ("outil.exe", EXECUTABLE, "format"),
        ("gros.pdf", PDF + b"\0" * DOCUMENT_MAX_BYTES, "pèse plus de 10"),  # then a no-break space
    ],
)
def test_a_disguised_executable_or_an_oversize_file_is_refused_and_nothing_stored(
    client, commission, name, content, message
):
    client.force_login(commission["member"])
    response = client.post(
        reverse("commissions:documents", args=["formation"]),
        {"title": "Document", "tags": "", "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert (_format_error(name) if message == "format" else message) in response.content.decode()
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert _stored_files() == []


def test_a_disguised_new_version_is_refused_and_nothing_stored(client, commission, document):
    client.force_login(commission["member"])
    response = client.post(
        reverse("commissions:document", args=["formation", document.pk]),
        {"action": "version", "file": SimpleUploadedFile("v2.pdf", EXECUTABLE)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert _format_error("v2.pdf") in response.content.decode()
    assert document.versions.count() == 1 and len(_stored_files()) == 1


def test_a_member_downloads_with_the_original_name_and_the_recorded_type(client, commission, document):
    version = document.versions.get()
    client.force_login(commission["other_member"])
    response = client.get(reverse("commissions:version_download", args=["formation", version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''programme%20%C3%A9t%C3%A9%202026.pdf" in disposition


def test_a_version_of_another_commission_is_not_found(client, commission, document):
    from maillage.commissions.models import Commission

    Commission.objects.create(slug="volontariat", name="Volontariat", purpose="…")
    client.force_login(commission["member"])
    version = document.versions.get()
    response = client.get(reverse("commissions:version_download", args=["volontariat", version.pk]))
    assert response.status_code == 404


def test_non_members_get_403_and_visitors_log_in(client, commission, document, users):
    version = document.versions.get()
    by_role = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,
        "staff": 200,
        "administrator": 200,
        "elected": 403,
        "auditor": 200,
    }
    for url in (
        reverse("commissions:documents", args=["formation"]),
        reverse("commissions:document", args=["formation", document.pk]),
        reverse("commissions:version_download", args=["formation", version.pk]),
    ):
        assert_access(client, users, url, expected=by_role)
    client.force_login(commission["outsider"])
    assert (
        client.get(reverse("commissions:version_download", args=["formation", version.pk])).status_code == 403
    )


def test_an_outsider_or_an_auditor_cannot_upload(client, commission, document, users):
    url = reverse("commissions:documents", args=["formation"])
    writes = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,
        "staff": 302,
        "administrator": 302,
        "elected": 403,
        "auditor": 403,
    }
    for role, expected in writes.items():
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.post(url, {"title": f"Par {role}", "file": _pdf()})
        if expected == LOGIN:
            assert response.status_code == 302 and response.url.startswith(reverse(settings.LOGIN_URL))
        else:
            assert response.status_code == expected, role
    assert set(Document.objects.values_list("title", flat=True)) == {
        "Programme de formation 2026",
        "Par staff",
        "Par administrator",
    }
