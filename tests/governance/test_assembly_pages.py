"""The assemblies' pages: who sees what (by role), the convocation sent once, the member's
answer within the statutes, the door, the projector, the log and the documents."""

# ruff: noqa: F811 (the governance fixtures, imported, are parameters of the tests)

import csv
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from maillage.core.uploads import DOCUMENT_MAX_BYTES, validate_document
from maillage.governance.models import ActionLog, Assembly, AssemblyDocument, Participation
from maillage.governance.services.assemblies import (
    assembly_open,
    notice_warning,
    participation_answer,
    quorum,
    sign_in,
)
from tests.access import LOGIN, assert_access, make_user
from tests.governance.conftest import documents, make_member, staff, year  # noqa: F401

READERS = {
    "visitor": LOGIN,
    "registered": 403,
    "organisation_editor": 403,
    "staff": 200,
    "administrator": 200,
    "elected": 200,
    "auditor": 200,
}
MANAGERS = {**READERS, "elected": 403, "auditor": 403}


def fr(text: str) -> str:
    """What the page shows of a message, in the site's language and HTML-escaped."""
    return escape(text)


def editor_of(participation: Participation):
    return participation.organisation.editors.first()


# --- Access ------------------------------------------------------------------------------------------


def test_the_staff_pages_by_role(client, users, convened):
    assembly, _p = convened
    for name in ("assembly", "projector", "projector_quorum", "log"):
        assert_access(
            client, users, reverse(f"governance_staff:{name}", args=[assembly.pk]), expected=READERS
        )
    assert_access(client, users, reverse("governance_staff:assembly_list"), expected=READERS)
    for name in ("door", "convene"):
        assert_access(
            client, users, reverse(f"governance_staff:{name}", args=[assembly.pk]), expected=MANAGERS
        )
    assert_access(client, users, reverse("governance_staff:assembly_create"), expected=MANAGERS)
    # Writes: the auditor and the elected read only.
    refused = {**MANAGERS, "staff": 302, "administrator": 302}
    assert_access(
        client,
        users,
        reverse("governance_staff:assembly_state", args=[assembly.pk]),
        method="post",
        data={"action": "refresh"},
        expected=refused,
    )


def test_a_members_editor_sees_its_own_participation_only(client, users, convened):
    assembly, p = convened
    url = reverse("governance:assembly", args=[assembly.pk])
    assert_access(client, users, url, expected=READERS)
    client.force_login(editor_of(p["A"]))
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="participation-{p["A"].pk}"' in content
    assert f'id="participation-{p["B"].pk}"' not in content
    # Another member's participation: not found, not forbidden (its number tells nothing).
    assert client.get(reverse("governance:badge", args=[p["B"].pk])).status_code == 404
    assert (
        client.post(reverse("governance:answer", args=[p["B"].pk]), {"answer": "attend"}).status_code == 404
    )
    p["B"].refresh_from_db()
    assert p["B"].answer == ""


def test_an_assembly_in_preparation_is_not_shown_to_members(client, convened):
    assembly, p = convened
    Assembly.objects.filter(pk=assembly.pk).update(state=Assembly.State.DRAFT)
    client.force_login(editor_of(p["A"]))
    assert client.get(reverse("governance:assembly", args=[assembly.pk])).status_code == 403
    assert client.get(reverse("governance:badge", args=[p["A"].pk])).status_code == 404


def test_a_member_without_a_voting_right_is_told_why(client, convened):
    assembly, p = convened
    client.force_login(editor_of(p["E"]))
    content = client.get(reverse("governance:assembly", args=[assembly.pk])).content.decode()
    with translation.override("fr"):
        from maillage.membership.status import Status

        assert str(Status.PENDING.label) in content or str(Status.LATE.label) in content
    assert 'value="proxy"' not in content  # no proxy to give without a voting right


# --- Convocation -------------------------------------------------------------------------------------


def test_convening_twice_sends_one_email_per_member(
    client, convened, staff, django_capture_on_commit_callbacks
):
    assembly, p = convened
    client.force_login(staff)
    url = reverse("governance_staff:convene", args=[assembly.pk])
    page = client.get(url)
    assert fr(notice_warning(assembly)) in page.content.decode()
    for _time in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 302
    assert len(mail.outbox) == len(p)
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert len(set(recipients)) == len(p)
    assembly.refresh_from_db()
    assert assembly.state == Assembly.State.CONVENED and assembly.convened_at is not None
    assert ActionLog.objects.filter(assembly=assembly, action="convene").count() == 2


def test_the_notice_warning_is_shown_before_convening(client, assembly, staff):
    warning = notice_warning(assembly)
    assert warning  # the assembly is this afternoon
    client.force_login(staff)
    content = client.get(reverse("governance_staff:assembly", args=[assembly.pk])).content.decode()
    assert fr(warning) in content


# --- The member's answer -----------------------------------------------------------------------------


def test_a_proxy_beyond_the_cap_is_refused_and_nothing_is_written(client, convened, staff, settings):
    _assembly, p = convened
    settings.MAILLAGE_PROXY_CAP = 1
    participation_answer(participation=p["B"], answer="proxy", proxy_holder=p["A"], by=staff)
    logged = ActionLog.objects.count()
    client.force_login(editor_of(p["C"]))
    response = client.post(
        reverse("governance:answer", args=[p["C"].pk]), {"answer": "proxy", "proxy_holder": p["A"].pk}
    )
    assert response.status_code == 400
    with translation.override("fr"):
        from django.utils.translation import gettext

        message = gettext("This member already holds %(cap)s proxies, the most the statutes allow.") % {
            "cap": 1
        }
    assert fr(message) in response.content.decode()
    p["C"].refresh_from_db()
    assert (p["C"].answer, p["C"].proxy_holder) == ("", None)
    assert ActionLog.objects.count() == logged


def test_a_member_gives_its_proxy_and_prints_it(client, convened):
    _assembly, p = convened
    client.force_login(editor_of(p["C"]))
    assert client.get(reverse("governance:proxy_pdf", args=[p["C"].pk])).status_code == 404  # no proxy yet
    response = client.post(
        reverse("governance:answer", args=[p["C"].pk]), {"answer": "proxy", "proxy_holder": p["D"].pk}
    )
    assert response.status_code == 302
    p["C"].refresh_from_db()
    assert p["C"].proxy_holder == p["D"]
    pdf = client.get(reverse("governance:proxy_pdf", args=[p["C"].pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    badge = client.get(reverse("governance:badge", args=[p["C"].pk])).content.decode()
    assert str(p["C"].token) in badge and '<svg role="img" aria-label=' in badge


def test_answers_are_read_only_once_the_assembly_opens(client, convened, staff):
    assembly, p = convened
    assembly_open(assembly=assembly, by=staff)
    client.force_login(editor_of(p["A"]))
    content = client.get(reverse("governance:assembly", args=[assembly.pk])).content.decode()
    assert reverse("governance:answer", args=[p["A"].pk]) not in content
    response = client.post(reverse("governance:answer", args=[p["A"].pk]), {"answer": "excused"})
    assert response.status_code == 400
    p["A"].refresh_from_db()
    assert p["A"].answer == ""


# --- Door, projector, log ----------------------------------------------------------------------------


def test_the_door_signs_in_and_out_by_search_and_by_token(client, convened, staff):
    assembly, p = convened
    client.force_login(staff)
    url = reverse("governance_staff:door", args=[assembly.pk])
    found = client.get(url, {"q": "alpha"}).content.decode()
    assert "Association Alpha" in found and "Association Bêta" not in found
    assert "Association Bêta" in client.get(url, {"q": "beta"}).content.decode()  # without its accent
    representative = p["B"].representative
    assert "Association Bêta" in client.get(url, {"q": representative.last_name}).content.decode()

    response = client.post(url, {"action": "sign_in", "participation": p["A"].pk, "q": "alpha"})
    assert response.status_code == 302 and response.url.endswith("?q=alpha")
    p["A"].refresh_from_db()
    assert p["A"].present
    assert client.post(url, {"action": "sign_out", "participation": p["A"].pk}).status_code == 302
    p["A"].refresh_from_db()
    assert not p["A"].present and p["A"].left_at is not None

    assert client.post(url, {"action": "token", "token": str(p["B"].token)}).status_code == 302
    p["B"].refresh_from_db()
    assert p["B"].present
    # A token typed into the search field finds its member too.
    assert "Association Gamma" in client.get(url, {"q": str(p["C"].token)}).content.decode()
    # An unknown code: a message, nothing written.
    logged = ActionLog.objects.count()
    response = client.post(url, {"action": "token", "token": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 400
    assert ActionLog.objects.count() == logged
    assert [e.action for e in ActionLog.objects.filter(assembly=assembly).order_by("pk")][-3:] == [
        "sign_in",
        "sign_out",
        "sign_in",
    ]


def test_the_projector_shows_the_live_quorum(client, convened, staff):
    assembly, p = convened
    participation_answer(participation=p["B"], answer="proxy", proxy_holder=p["A"], by=staff)
    sign_in(participation=p["A"], by=staff)
    sign_in(participation=p["D"], by=staff)
    state = quorum(assembly)
    client.force_login(staff)
    content = client.get(reverse("governance_staff:projector_quorum", args=[assembly.pk])).content.decode()
    for key, value in (
        ("voting", state.voting_members),
        ("present", state.present),
        ("represented", state.represented),
        ("required", state.required),
    ):
        assert f'data-quorum="{key}">{value}<' in content
    assert state.present == 2 and state.represented == 1
    with translation.override("fr"):
        from django.utils.translation import gettext

        met = gettext("Quorum met") if state.met else gettext("Quorum not met")
    assert fr(met) in content
    page = client.get(reverse("governance_staff:projector", args=[assembly.pk])).content.decode()
    assert 'hx-trigger="every 5s"' in page


def test_the_log_downloads_as_csv(client, convened, staff):
    assembly, p = convened
    sign_in(participation=p["A"], by=staff)
    client.force_login(staff)
    response = client.get(reverse("governance_staff:log", args=[assembly.pk]), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    entries = ActionLog.objects.filter(assembly=assembly)
    assert len(rows) == 1 + entries.count()
    assert any("Association Alpha" in row[4] and row[1] == staff.email for row in rows[1:])


@pytest.mark.parametrize("page", ["assembly", "door"])
def test_the_roll_and_the_door_take_a_constant_number_of_queries(client, convened, staff, paid_member, page):
    assembly, p = convened
    for letter in "ABC":
        sign_in(participation=p[letter], by=staff)
    participation_answer(participation=p["D"], answer="proxy", proxy_holder=p["A"], by=staff)
    client.force_login(staff)
    url = reverse(f"governance_staff:{page}", args=[assembly.pk])
    params = {"q": "association"} if page == "door" else {}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    before = count()
    from maillage.governance.services.assemblies import roll_refresh

    paid_member("Association Zêta")
    paid_member("Association Êta")
    roll_refresh(assembly=assembly, by=staff)
    for participation in assembly.participations.filter(arrived_at__isnull=True, may_vote=True):
        if participation.answer != "proxy":
            sign_in(participation=participation, by=staff)
    assert count() == before


# --- Preparation and documents -----------------------------------------------------------------------


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ODT = {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"}
DOCX = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("statuts.odt", _zip(ODT), True),
        ("statuts.docx", _zip(DOCX), True),
        ("statuts.docx", _zip(ODT), False),  # an OpenDocument named .docx
        ("comptes.odt", _zip({**ODT, "mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), False),
        ("archive.docx", _zip({"setup.exe": "MZ"}), False),
        ("rapport.exe", b"%PDF-1.4\n", False),
    ],
)
def test_documents_are_recognised_by_their_content(name, content, accepted):
    upload = SimpleUploadedFile(name, content)
    if accepted:
        validate_document(upload)
    else:
        with pytest.raises(ValidationError):
            validate_document(upload)


def test_a_document_over_10_mb_is_refused():
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * DOCUMENT_MAX_BYTES))


def _create_data(upload):
    return {
        "title": "Assemblée générale extraordinaire",
        "kind": "extraordinary",
        "mode": "room",
        "starts_at_0": "2030-06-12",
        "starts_at_1": "18:30",
        "place": "Maison des associations, Toulouse",
        "agenda": "1. Modification des statuts",
        "documents": [upload],
    }


def test_a_disguised_executable_is_refused_and_a_pdf_accepted(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = make_user("staff")
    client.force_login(user)
    url = reverse("governance_staff:assembly_create")
    executable = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = client.post(url, _create_data(executable))
    assert response.status_code == 200
    assert "rapport.pdf" in response.content.decode()
    assert not Assembly.objects.exists() and not AssemblyDocument.objects.exists()

    pdf = SimpleUploadedFile(
        "rapport-moral.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    )
    response = client.post(url, _create_data(pdf))
    assert response.status_code == 302
    assembly = Assembly.objects.get()
    assert assembly.starts_at.hour == 16 and assembly.starts_at.minute == 30  # 18:30 in Paris, in June (UTC)
    assert list(assembly.documents.values_list("title", flat=True)) == ["rapport-moral"]
