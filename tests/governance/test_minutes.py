"""The procès-verbal: generated from the records (convocation and notice, attendance and
proxies, quorum at each vote, resolutions' and elections' results, the action log, signature
blocks), previewed by the staff, approved once (stored, e-mailed to the members once), then
downloaded by the members and the back office only."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from maillage.core.models import OutgoingEmail
from maillage.core.pdf import render_pdf
from maillage.governance.models import Assembly, Body, Office, Participation, Vote
from maillage.governance.services.assemblies import (
    assembly_close,
    assembly_open,
    participation_answer,
    sign_in,
)
from maillage.governance.services.bodies import bodies_ensure, mandate_add
from maillage.governance.services.minutes import TEMPLATE, current_members, minutes_approve, minutes_context
from maillage.governance.services.votes import (
    ballot_cast,
    candidacy_decide,
    candidacy_submit,
    hand_counts_enter,
    vote_close,
    vote_create,
    vote_open,
)
from maillage.membership.selectors import member_recipients, representatives
from tests.access import LOGIN, assert_access, db_snapshot, make_user


def _titulaire(participation):
    return representatives(participation.organisation).first().person


@pytest.fixture
def held(convened, staff):
    """The assembly held: A and B present, C gives its proxy to A, D excused; a resolution by
    show of hands, one by secret ballot, an election of one associative seat; closed."""
    assembly, p = convened
    assembly.convened_at = assembly.starts_at - datetime.timedelta(days=20)
    assembly.save()
    bodies_ensure()
    bureau = Body.objects.get(slug="bureau")
    for letter, office in (("A", "president"), ("D", "secretaire")):
        mandate_add(
            body=bureau,
            person=_titulaire(p[letter]),
            organisation=p[letter].organisation,
            office=Office.objects.get(body=bureau, slug=office),
            start=timezone.localdate() - datetime.timedelta(days=100),
        )
    participation_answer(participation=p["C"], answer="proxy", proxy_holder=p["A"], by=None)
    participation_answer(participation=p["D"], answer="excused", by=None)
    sign_in(participation=p["A"], by=staff)
    sign_in(participation=p["B"], by=staff)
    assembly_open(assembly=assembly, by=staff)

    hands = vote_create(assembly=assembly, title="Rapport moral", position=1)
    hands = vote_open(vote=hands, by=staff)
    choices = {c.kind: c.pk for c in hands.choices.all()}
    hand_counts_enter(vote=hands, counts={choices["for"]: 2, choices["against"]: 1}, by=staff)
    vote_close(vote=hands, by=staff)

    secret = vote_create(assembly=assembly, title="Comptes", position=2, mode=Vote.Mode.SECRET)
    secret = vote_open(vote=secret, by=staff)
    choices = {c.kind: c.pk for c in secret.choices.all()}
    for letter, kind in (("A", "for"), ("B", "against"), ("C", "against")):
        ballot_cast(vote=secret, right=p[letter], choice_ids=[choices[kind]], user=None)
    vote_close(vote=secret, by=staff)

    election = vote_create(
        assembly=assembly,
        kind=Vote.Kind.ELECTION,
        title="Grand Conseil, associations",
        position=3,
        mode=Vote.Mode.SECRET,
        body=Body.objects.get(slug="grand-conseil"),
        college="associative",
        seats=1,
        tie_seed="graine-de-test",
    )
    for letter in ("A", "B"):
        candidacy = candidacy_submit(
            vote=election, person=_titulaire(p[letter]), organisation=p[letter].organisation
        )
        candidacy_decide(candidacy=candidacy, by=staff, accept=True)
    election = vote_open(vote=election, by=staff)
    candidates = {c.candidacy.organisation_id: c.pk for c in election.choices.select_related("candidacy")}
    for letter, voted in (("A", "A"), ("B", "B"), ("C", "A")):
        ballot_cast(
            vote=election, right=p[letter], choice_ids=[candidates[p[voted].organisation_id]], user=None
        )
    vote_close(vote=election, by=staff)
    assembly_close(assembly=assembly, by=staff)
    assembly.refresh_from_db()
    return assembly, p


def _html(assembly):
    with translation.override("en"):
        return render_to_string(TEMPLATE, minutes_context(assembly))


def _section(html, title):
    return html.split(f"<h2>{title}</h2>")[1].split("<h2>")[0]


def test_the_minutes_say_what_was_recorded(held):
    assembly, p = held
    html = _html(assembly)
    assert "20 days before the assembly" in html and 'class="warning"' not in html
    attendance = _section(html, "Attendance")
    present = attendance.split("Members present")[1].split("Members represented")[0]
    assert escape(p["A"].organisation.name) in present and escape(p["B"].organisation.name) in present
    represented = attendance.split("Members represented")[1].split("Members excused")[0]
    assert escape(p["C"].organisation.name) in represented and escape(p["A"].organisation.name) in represented
    excused = attendance.split("Members excused")[1]
    assert escape(p["D"].organisation.name) in excused
    quorum = _section(html, "Quorum")
    for title in (
        "Opening",
        "Vote: Rapport moral",
        "Vote: Comptes",
        "Vote: Grand Conseil, associations",
        "Closing",
    ):
        assert escape(title) in quorum
    resolutions = _section(html, "Resolutions")
    hands, secret = (Vote.objects.get(assembly=assembly, title=t) for t in ("Rapport moral", "Comptes"))
    assert hands.result["adopted"] and not secret.result["adopted"]
    first, second = resolutions.split('class="resolution"')[1:]
    assert "Adopted" in first and "Not adopted" in second
    assert f'<td class="amount">{secret.result["against"]}</td>' in second
    elections = _section(html, "Elections")
    winner = f"{_titulaire(p['A'])} ({p['A'].organisation.name})"
    assert escape(winner) in elections.split("<strong>Elected</strong>")[0]
    assert "graine-de-test" in elections
    log = _section(html, "Action log")
    assert "Arrivals signed in" in log and "Roll of the members made or refreshed" in log
    signatures = html.split("<h2>Signatures</h2>")[1]
    assert escape(str(_titulaire(p["A"]))) in signatures and escape(str(_titulaire(p["D"]))) in signatures


def test_a_short_notice_is_flagged(held, settings):
    assembly, _p = held
    assembly.convened_at = assembly.starts_at - datetime.timedelta(
        days=settings.MAILLAGE_CONVOCATION_NOTICE_DAYS - 1
    )
    assembly.save()
    assert 'class="warning"' in _html(assembly)


def test_the_pdf_is_a_pdf(held):
    assembly, _p = held
    assert render_pdf(TEMPLATE, minutes_context(assembly)).startswith(b"%PDF")


def test_staff_preview_then_approve_once_and_members_are_told_once(client, users, held, staff):
    assembly, _p = held
    url = reverse("governance_staff:minutes", args=[assembly.pk])
    client.force_login(users["auditor"])
    preview = client.get(url, {"format": "pdf"})
    assert preview["Content-Type"] == "application/pdf" and preview.content.startswith(b"%PDF")
    today = timezone.localdate().isoformat()
    before = db_snapshot()
    assert client.post(url, {"on": today}).status_code == 403  # auditors read, do not approve
    assert db_snapshot() == before

    client.force_login(users["staff"])
    assert client.post(url, {"on": today}).status_code == 302
    assembly.refresh_from_db()
    assert assembly.minutes_approved_on == timezone.localdate()
    with assembly.minutes_pdf.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    told = [m for m in current_members() if member_recipients(m.organisation)]
    minutes_emails = OutgoingEmail.objects.filter(key__startswith=f"assembly:{assembly.pk}:minutes:")
    assert told and minutes_emails.count() == len(told)
    keys = set(minutes_emails.values_list("key", flat=True))
    assert keys == {f"assembly:{assembly.pk}:minutes:{m.organisation_id}" for m in told}
    email = minutes_emails.get(key=f"assembly:{assembly.pk}:minutes:{told[0].organisation_id}")
    assert email.to == member_recipients(told[0].organisation)
    assert reverse("governance:minutes_pdf", args=[assembly.pk]) in email.body_text

    before = db_snapshot()
    response = client.post(url, {"on": today})
    assert response.status_code == 400  # already approved
    assert db_snapshot() == before


def test_minutes_of_an_open_assembly_cannot_be_approved(client, users, convened, staff):
    assembly, _p = convened
    assembly_open(assembly=assembly, by=staff)
    client.force_login(users["staff"])
    before = db_snapshot()
    url = reverse("governance_staff:minutes", args=[assembly.pk])
    assert client.post(url, {"on": timezone.localdate().isoformat()}).status_code == 400
    assert db_snapshot() == before
    assembly.refresh_from_db()
    assert assembly.minutes_approved_on is None
    assert not OutgoingEmail.objects.filter(key__contains=":minutes:").exists()


def test_members_and_the_back_office_download_the_approved_minutes(client, users, held, staff):
    assembly, p = held
    url = reverse("governance:minutes_pdf", args=[assembly.pk])
    client.force_login(users["staff"])
    assert client.get(url).status_code == 404  # not approved yet
    minutes_approve(assembly=assembly, on=timezone.localdate(), by=staff)
    expected = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,  # the editor of no member
        "staff": 200,
        "administrator": 200,
        "elected": 200,
        "auditor": 200,
    }
    assert_access(client, users, url, expected=expected)
    editor = make_user("registered", email="redaction@example.org")
    p["B"].organisation.editors.add(editor)
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    representative = make_user("registered", email="titulaire@example.org")
    person = _titulaire(p["D"])
    person.user = representative
    person.save()
    client.force_login(representative)
    assert client.get(url).status_code == 200
    # The public page lists the approved minutes.
    client.logout()
    assert url in client.get("/gouvernance/").content.decode()


def test_a_lapsed_member_is_refused(client, held, staff):
    assembly, p = held
    minutes_approve(assembly=assembly, on=timezone.localdate(), by=staff)
    membership = p["E"].organisation.memberships.get()
    membership.ended_on, membership.end = timezone.localdate(), "resigned"
    membership.save()
    editor = make_user("registered", email="ancien@example.org")
    p["E"].organisation.editors.add(editor)
    client.force_login(editor)
    assert client.get(reverse("governance:minutes_pdf", args=[assembly.pk])).status_code == 403


def test_the_approval_is_logged(held, staff):
    assembly, _p = held
    minutes_approve(assembly=assembly, on=timezone.localdate(), by=staff)
    assert assembly.log.filter(action="minutes_approve", actor=staff).exists()
    assert Assembly.objects.get(pk=assembly.pk).minutes_pdf
    assert Participation.objects.filter(assembly=assembly).exists()
