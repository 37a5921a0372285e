"""Votes through their pages: the staff create resolutions and elections, decide candidacies,
enter hand counts, open and close; representatives vote online (logged in, or through a
single-use link) and find their tracker in the published ballot box. Refusals record nothing."""

import hashlib
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.directory.models import Person
from maillage.governance.models import (
    ActionLog,
    Ballot,
    Body,
    Candidacy,
    Choice,
    HandCount,
    Vote,
    VoterRoll,
    VotingLink,
)
from maillage.governance.services.assemblies import assembly_open, sign_in
from maillage.governance.services.bodies import bodies_ensure, mandate_add
from maillage.governance.services.votes import (
    ballot_box,
    ballot_cast,
    candidacy_decide,
    candidacy_submit,
    rights_of,
    vote_close,
    vote_create,
    vote_open,
)
from tests.access import BACK_OFFICE, LOGIN, assert_access, make_user

pytestmark = pytest.mark.django_db


def _voter(participation, email=None):
    """The account of the member's titulaire (made for the test), who votes for it."""
    person = Person.objects.get(
        affiliations__organisation=participation.organisation, affiliations__role="titulaire"
    )
    user = make_user("registered", email=email or f"vote.{person.pk}@example.org")
    TOTP.activate(user, generate_totp_secret())  # voting with an account takes two factors
    person.user = user
    person.save()
    return user


def _in_session(assembly, staff, participations=()):
    for participation in participations:
        sign_in(participation=participation, by=staff)
    assembly_open(assembly=assembly, by=staff)


def _resolution(assembly, **fields):
    return vote_create(assembly=assembly, title="Approbation des comptes 2025", **fields)


def _choice(vote, kind):
    return vote.choices.get(kind=kind)


def _cast(client, user, vote, participation, *values):
    client.force_login(user)
    data = {"right": f"p{participation.pk}", f"p{participation.pk}-choice": list(values)}
    return client.post(reverse("governance:ballot", args=[vote.pk]), data)


def _tracker(response):
    return re.search(r'class="ballot-tracker">([0-9a-f]+)<', response.content.decode()).group(1)


def _grand_conseil(settings, seats):
    """The Grand Conseil, with ``seats`` per collège (the setting, for a body made now)."""
    settings.MAILLAGE_GRAND_CONSEIL_SEATS_PER_COLLEGE = seats
    bodies_ensure()
    Body.objects.filter(slug="grand-conseil").update(seats_per_college=seats)
    return Body.objects.get(slug="grand-conseil")


# --- Per role ------------------------------------------------------------------------------------


def test_who_reaches_the_pages_of_votes(client, users, convened, staff):
    assembly, _p = convened
    vote = _resolution(assembly, mode=Vote.Mode.SECRET)
    manage = {**BACK_OFFICE, "auditor": 403}
    assert_access(
        client,
        users,
        reverse("governance_staff:vote", args=[vote.pk]),
        expected={**BACK_OFFICE, "elected": 200},
    )
    assert_access(client, users, reverse("governance_staff:vote_create", args=[assembly.pk]), expected=manage)
    _in_session(assembly, staff)
    post_manage = {**manage, "staff": 302, "administrator": 302}
    assert_access(
        client,
        users,
        reverse("governance_staff:vote_state", args=[vote.pk]),
        method="post",
        data={"action": "open"},
        expected=post_manage,
    )
    vote.refresh_from_db()
    assert vote.state == Vote.State.OPEN
    everyone = dict.fromkeys(BACK_OFFICE, 200)
    assert_access(
        client, users, reverse("governance:ballot", args=[vote.pk]), expected={**everyone, "visitor": LOGIN}
    )
    vote_close(vote=vote, by=staff)
    assert_access(client, users, reverse("governance:ballot_box", args=[vote.pk]), expected=everyone)
    assert_access(client, users, reverse("governance:ballot_box_json", args=[vote.pk]), expected=everyone)


# --- Creating votes ------------------------------------------------------------------------------


def test_the_staff_create_a_resolution(client, convened, staff):
    assembly, _p = convened
    client.force_login(make_user("staff", email="secretariat@example.org"))
    response = client.post(
        reverse("governance_staff:vote_create", args=[assembly.pk]),
        {
            "kind": "resolution",
            "title": "Approbation du rapport moral",
            "mode": "secret",
            "majority": "two_thirds",
            "base": "present",
        },
    )
    vote = Vote.objects.get(assembly=assembly)
    assert response.status_code == 302 and response.url == reverse("governance_staff:vote", args=[vote.pk])
    assert (vote.kind, vote.majority, vote.base, vote.mode) == (
        "resolution",
        "two_thirds",
        "present",
        "secret",
    )
    assert sorted(vote.choices.values_list("kind", flat=True)) == sorted(["for", "against", "abstain"])


def test_an_election_counts_the_seats_of_continuing_mandates(client, convened, staff, settings):
    assembly, p = convened
    body = _grand_conseil(settings, 2)
    holder = Person.objects.get(
        affiliations__organisation=p["A"].organisation, affiliations__role="titulaire"
    )
    mandate_add(body=body, person=holder, organisation=p["A"].organisation, start=timezone.localdate())
    client.force_login(make_user("staff", email="secretariat@example.org"))
    url = reverse("governance_staff:vote_create", args=[assembly.pk])
    data = {"kind": "election", "title": "Grand Conseil — collège associatif", "mode": "secret"}
    data |= {"majority": "simple", "base": "cast", "body": body.pk, "college": "associative"}
    response = client.post(url, data)
    vote = Vote.objects.get(assembly=assembly)
    assert response.status_code == 302
    assert vote.seats == 2 - 1  # the continuing mandate holds one of the collège's two seats
    assert vote.tie_seed  # drawn at creation…
    page = client.get(reverse("governance_staff:vote", args=[vote.pk]))
    assert vote.tie_seed in page.content.decode()  # …and shown before the vote opens
    # More seats than those left: refused, nothing recorded.
    response = client.post(url, data | {"seats": 2, "title": "Autre"})
    assert response.status_code == 200 and "form-summary" in response.content.decode()
    assert Vote.objects.filter(assembly=assembly).count() == 1


def test_a_candidate_of_another_college_is_refused(client, convened, staff, settings):
    assembly, p = convened
    body = _grand_conseil(settings, 30)
    vote = vote_create(
        assembly=assembly, kind="election", title="Grand Conseil", body=body, college="associative", seats=2
    )
    url = reverse("governance:ballot", args=[vote.pk])
    public = _voter(p["D"])  # the commune: the public collège
    client.force_login(public)
    response = client.post(url, {"candidacy": "1", "organisation": p["D"].organisation_id, "statement": "Je"})
    assert response.status_code == 200
    assert "collège" in response.content.decode() and "Associations" in response.content.decode()
    assert not Candidacy.objects.exists()
    # A representative of the collège stands; the staff validate: the candidate becomes a choice.
    client.force_login(_voter(p["A"]))
    response = client.post(
        url, {"candidacy": "1", "organisation": p["A"].organisation_id, "statement": "Pour"}
    )
    assert response.status_code == 302
    candidacy = Candidacy.objects.get()
    team = make_user("staff", email="secretariat@example.org")
    client.force_login(team)
    response = client.post(
        reverse("governance_staff:candidacy_decide", args=[candidacy.pk]), {"decision": "validate"}
    )
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.state == Candidacy.State.VALIDATED and candidacy.decided_by == team
    assert vote.choices.get().candidacy == candidacy


def test_a_tie_is_broken_by_the_draw_of_the_seed_shown_before(client, convened, staff, settings):
    assembly, p = convened
    body = _grand_conseil(settings, 30)
    vote = vote_create(
        assembly=assembly,
        kind="election",
        title="Grand Conseil",
        body=body,
        college="associative",
        seats=1,
        mode=Vote.Mode.SECRET,
    )
    for letter in "AB":
        person = Person.objects.get(
            affiliations__organisation=p[letter].organisation, affiliations__role="titulaire"
        )
        candidacy = candidacy_submit(vote=vote, person=person, organisation=p[letter].organisation)
        candidacy_decide(candidacy=candidacy, by=staff, accept=True)
    team = make_user("staff", email="secretariat@example.org")
    client.force_login(team)
    assert vote.tie_seed in client.get(reverse("governance_staff:vote", args=[vote.pk])).content.decode()
    _in_session(assembly, staff)
    vote_open(vote=vote, by=staff)
    candidates = list(vote.choices.order_by("pk"))
    for participation, choice in zip((p["A"], p["B"]), candidates, strict=True):
        assert _cast(client, _voter(participation), vote, participation, choice.pk).status_code == 200
    client.force_login(team)
    client.post(reverse("governance_staff:vote_state", args=[vote.pk]), {"action": "close"})
    vote.refresh_from_db()
    redone = sorted(candidates, key=lambda c: hashlib.sha256(f"{vote.tie_seed}:{c.pk}".encode()).hexdigest())
    assert vote.result["tie"] == sorted(str(c.pk) for c in candidates)
    assert vote.result["elected"] == [str(redone[0].pk)]
    page = client.get(reverse("governance_staff:vote", args=[vote.pk])).content.decode()
    assert "vote-tie" in page and vote.tie_seed in page


# --- Hand counts, mixed votes --------------------------------------------------------------------


def test_hand_counts_are_entered_and_checked(client, convened, staff):
    assembly, p = convened
    voting = [p[x] for x in "ABCD"]
    _in_session(assembly, staff, voting)
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.HANDS, majority="absolute"), by=staff)
    client.force_login(make_user("staff", email="secretariat@example.org"))
    url = reverse("governance_staff:hand_counts", args=[vote.pk])
    for_, against = _choice(vote, "for"), _choice(vote, "against")
    abstain = _choice(vote, "abstain")
    too_many = {f"choice_{for_.pk}": len(voting) + 1, f"choice_{against.pk}": 0, f"choice_{abstain.pk}": 0}
    response = client.post(url, too_many)
    assert response.status_code == 400 and "droits de vote sont" in response.content.decode()
    assert not HandCount.objects.exists()
    counts = {f"choice_{for_.pk}": 3, f"choice_{against.pk}": 1, f"choice_{abstain.pk}": 0}
    assert client.post(url, counts).status_code == 302
    assert ActionLog.objects.filter(vote=vote, action="hand_counts").exists()
    client.post(reverse("governance_staff:vote_state", args=[vote.pk]), {"action": "close"})
    vote.refresh_from_db()
    assert (vote.result["for"], vote.result["against"], vote.result["adopted"]) == (3, 1, 3 > 4 // 2)


def test_a_mixed_vote_merges_hands_and_ballots(client, convened, staff):
    assembly, p = convened
    _in_session(assembly, staff, [p[x] for x in "ABCD"])
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.MIXED), by=staff)
    for_, against = _choice(vote, "for"), _choice(vote, "against")
    _cast(client, _voter(p["A"]), vote, p["A"], for_.pk)
    _cast(client, _voter(p["B"]), vote, p["B"], for_.pk)
    client.force_login(make_user("staff", email="secretariat@example.org"))
    response = client.post(
        reverse("governance_staff:hand_counts", args=[vote.pk]),
        {f"choice_{for_.pk}": 0, f"choice_{against.pk}": 2, f"choice_{_choice(vote, 'abstain').pk}": 0},
    )
    assert response.status_code == 302
    client.post(reverse("governance_staff:vote_state", args=[vote.pk]), {"action": "close"})
    vote.refresh_from_db()
    assert (vote.result["for"], vote.result["against"]) == (2, 2)
    assert vote.result["adopted"] is False  # simple majority: a tie rejects
    page = client.get(reverse("governance_staff:vote", args=[vote.pk])).content.decode()
    assert "Rejet" in page or "Rejected" in page


# --- Ballot box ----------------------------------------------------------------------------------


def _closed_vote_with(assembly, staff, rights, kind="for"):
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.SECRET), by=staff)
    trackers = [
        ballot_cast(vote=vote, right=r, choice_ids=[_choice(vote, kind).pk], user=None) for r in rights
    ]
    return vote_close(vote=vote, by=staff), trackers


def test_the_ballot_box_is_published_once_closed(client, convened, staff, django_assert_max_num_queries):
    assembly, p = convened
    _in_session(assembly, staff)
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.SECRET), by=staff)
    assert client.get(reverse("governance:ballot_box_json", args=[vote.pk])).status_code == 404
    open_page = client.get(reverse("governance:ballot_box", args=[vote.pk])).content.decode()
    assert "publiée" in open_page or "published" in open_page
    tracker = ballot_cast(vote=vote, right=p["A"], choice_ids=[_choice(vote, "for").pk], user=None)
    vote = vote_close(vote=vote, by=staff)
    small, _ = vote, None
    big, trackers = _closed_vote_with(assembly, staff, [p[x] for x in "ABCD"], kind="against")
    page = client.get(reverse("governance:ballot_box", args=[big.pk])).content.decode()
    assert all(t in page for t in trackers) and "maillage tally" in page
    found = client.get(
        reverse("governance:ballot_box", args=[small.pk]), {"tracker": tracker}
    ).content.decode()
    assert "message--success" in found and tracker in found
    missing = client.get(
        reverse("governance:ballot_box", args=[small.pk]), {"tracker": "0" * 16}
    ).content.decode()
    assert "message--error" in missing
    # The number of queries does not grow with the ballots.
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("governance:ballot_box", args=[small.pk]))
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("governance:ballot_box", args=[big.pk]))
    assert len(one) == len(four)
    response = client.get(reverse("governance:ballot_box_json", args=[big.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == ballot_box(big)


# --- Refusals ------------------------------------------------------------------------------------


def test_a_lapsed_member_cannot_vote(client, convened, staff):
    assembly, p = convened
    _in_session(assembly, staff)
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.SECRET), by=staff)
    lapsed = _voter(p["E"])
    client.force_login(lapsed)
    page = client.get(reverse("governance:ballot", args=[vote.pk])).content.decode()
    assert "aucun droit de vote" in page or "no voting right" in page
    response = _cast(client, lapsed, vote, p["E"], _choice(vote, "for").pk)
    assert response.status_code == 400
    assert not Ballot.objects.exists() and not VoterRoll.objects.exists()


def test_a_second_ballot_and_a_ballot_after_closing_are_refused(client, convened, staff):
    assembly, p = convened
    _in_session(assembly, staff)
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.SECRET), by=staff)
    voter = _voter(p["A"])
    assert _cast(client, voter, vote, p["A"], _choice(vote, "for").pk).status_code == 200
    response = _cast(client, voter, vote, p["A"], _choice(vote, "against").pk)
    assert response.status_code == 400
    assert "déjà" in response.content.decode() or "already" in response.content.decode()
    other = _voter(p["B"])
    vote_close(vote=vote, by=staff)
    response = _cast(client, other, vote, p["B"], _choice(vote, "for").pk)
    assert response.status_code == 400
    assert Ballot.objects.count() == 1 == VoterRoll.objects.count()


# --- Voting links --------------------------------------------------------------------------------


def _send_links(client, vote, django_capture_on_commit_callbacks):
    client.force_login(make_user("staff", email="secretariat@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("governance_staff:vote_state", args=[vote.pk]), {"action": "links"})
    client.logout()
    return {
        message.to[0]: re.search(r"https?://\S+/lien/\S+/", message.body).group(0) for message in mail.outbox
    }


def test_a_voting_link_works_once_and_expires(client, convened, staff, django_capture_on_commit_callbacks):
    assembly, p = convened
    _in_session(assembly, staff)
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.SECRET), by=staff)
    urls = _send_links(client, vote, django_capture_on_commit_callbacks)
    voting = [p[x] for x in "ABCD"]
    assert VotingLink.objects.filter(vote=vote).count() == len(voting) == len(urls)
    recipient = Person.objects.get(
        affiliations__organisation=p["A"].organisation, affiliations__role="titulaire"
    ).email
    path = urls[recipient].split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    secret = path.rstrip("/").rsplit("/", 1)[1]
    link = VotingLink.objects.get(participation=p["A"], vote=vote)
    assert link.secret_hash == hashlib.sha256(secret.encode()).hexdigest()  # only the hash is stored
    assert client.get(path).status_code == 200
    response = client.post(path, {"right": f"p{p['A'].pk}", f"p{p['A'].pk}-choice": _choice(vote, "for").pk})
    assert response.status_code == 200
    assert Ballot.objects.filter(vote=vote, tracker=_tracker(response)).exists()
    link.refresh_from_db()
    assert link.used_at is not None
    again = client.get(path)
    assert again.status_code == 403 and (
        "déjà été utilisé" in again.content.decode() or "already" in again.content.decode()
    )
    response = client.post(
        path, {"right": f"p{p['A'].pk}", f"p{p['A'].pk}-choice": _choice(vote, "against").pk}
    )
    assert response.status_code == 403 and Ballot.objects.count() == 1
    # Another member's link, expired: refused, nothing recorded.
    recipient_b = Person.objects.get(
        affiliations__organisation=p["B"].organisation, affiliations__role="titulaire"
    ).email
    path_b = "/" + urls[recipient_b].split("://", 1)[1].split("/", 1)[1]
    VotingLink.objects.filter(participation=p["B"]).update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    response = client.post(
        path_b, {"right": f"p{p['B'].pk}", f"p{p['B'].pk}-choice": _choice(vote, "for").pk}
    )
    assert response.status_code == 403 and (
        "expiré" in response.content.decode() or "expired" in response.content.decode()
    )
    assert Ballot.objects.count() == 1 == VoterRoll.objects.count()


def test_the_tracker_is_shown_once_and_linked_to_no_one(client, convened, staff):
    assembly, p = convened
    _in_session(assembly, staff)
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.SECRET), by=staff)
    voter = _voter(p["A"])
    response = _cast(client, voter, vote, p["A"], _choice(vote, "for").pk)
    tracker = _tracker(response)
    assert Ballot.objects.get(vote=vote).tracker == tracker
    # Shown once: not on the page of the vote afterwards, not in the session, not in the log.
    assert tracker not in client.get(reverse("governance:ballot", args=[vote.pk])).content.decode()
    assert tracker not in str(dict(client.session))
    assert not any(tracker in str(entry.detail) for entry in ActionLog.objects.all())
    # Nothing stored links the roll and the ballot: no key, no time, no sequence.
    roll_fields = {f.name for f in VoterRoll._meta.get_fields()}
    assert not {"ballot", "tracker", "choices", "created_at"} & roll_fields
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "vote", "choices", "tracker"}
    assert VoterRoll.objects.get(vote=vote).cast_by == voter
    assert Choice.objects.filter(vote=vote).count() == 3


def test_voting_with_an_account_takes_two_factors(client, convened, staff, settings):
    settings.MAILLAGE_STAFF_MFA = "required"
    assembly, p = convened
    _in_session(assembly, staff, [p[x] for x in "ABCD"])
    vote = vote_open(vote=_resolution(assembly, mode=Vote.Mode.SECRET), by=staff)
    voter = _voter(p["A"])
    voter.authenticator_set.all().delete()  # a password only
    client.force_login(voter)
    assert "lien à usage unique" in client.get(reverse("governance:ballot", args=[vote.pk])).content.decode()
    response = _cast(client, voter, vote, p["A"], _choice(vote, "for").pk)
    assert response.status_code == 400
    assert not VoterRoll.objects.filter(vote=vote).exists()


def test_the_grand_conseil_elects_the_bureau_with_the_same_engine(client, convened, staff):
    from maillage.governance.models import Body

    assembly, p = convened
    bodies_ensure()
    grand_conseil, bureau = Body.objects.get(slug="grand-conseil"), Body.objects.get(slug="bureau")
    voter = _voter(p["A"])
    person = Person.objects.get(user=voter)
    mandate = mandate_add(
        body=grand_conseil, person=person, organisation=p["A"].organisation, start=assembly.starts_at.date()
    )
    client.force_login(make_user("staff", email="secretariat@example.org"))
    url = reverse("governance_staff:body_vote_create", args=["grand-conseil"])
    response = client.post(
        url,
        {
            "kind": "election",
            "title": "Élection du Bureau",
            "mode": "secret",
            "majority": "simple",
            "base": "cast",
            "body": bureau.pk,
            "seats": 5,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    vote = Vote.objects.get(title="Élection du Bureau")
    assert vote.electorate_body == grand_conseil and vote.assembly is None
    candidacy = candidacy_submit(vote=vote, person=person, organisation=p["A"].organisation)
    candidacy_decide(candidacy=candidacy, by=staff, accept=True)
    vote_open(vote=vote, by=staff)
    assert rights_of(vote, voter) == [mandate]
    client.force_login(voter)
    choice = vote.choices.get().pk
    data = {"right": f"m{mandate.pk}", f"m{mandate.pk}-choice": [choice]}
    assert client.post(reverse("governance:ballot", args=[vote.pk]), data).status_code == 200
    assert vote_close(vote=vote, by=staff).result["elected"] == [str(choice)]
