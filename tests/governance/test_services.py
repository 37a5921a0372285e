"""Governance's rules through its services: voting rights on the roll, proxies within the
statutes' caps, live quorum, one ballot per voting right, hand counts, results and recount."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from maillage.governance.models import ActionLog, Ballot, Participation, Vote, VoterRoll
from maillage.governance.services.assemblies import (
    assembly_open,
    participation_answer,
    quorum,
    sign_in,
    sign_out,
)
from maillage.governance.services.votes import (
    ballot_box,
    ballot_cast,
    hand_counts_enter,
    vote_close,
    vote_create,
    vote_open,
)


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are matched in English, the language of the code."""
    with translation.override("en"):
        yield


def test_only_members_up_to_date_have_a_voting_right(convened):
    _assembly, p = convened
    assert [p[x].may_vote for x in "ABCDE"] == [True, True, True, True, False]


def test_proxies_follow_the_statutes(convened, staff, settings):
    _assembly, p = convened
    settings.MAILLAGE_PROXY_CAP = 1
    participation_answer(participation=p["B"], answer="proxy", proxy_holder=p["A"], by=staff)
    with pytest.raises(ValidationError, match="already holds 1"):
        participation_answer(participation=p["C"], answer="proxy", proxy_holder=p["A"], by=staff)
    with pytest.raises(ValidationError, match="no voting right"):
        participation_answer(participation=p["C"], answer="proxy", proxy_holder=p["E"], by=staff)
    with pytest.raises(ValidationError, match="Only a member with a voting right"):
        participation_answer(participation=p["E"], answer="proxy", proxy_holder=p["C"], by=staff)
    with pytest.raises(ValidationError, match="itself given"):
        participation_answer(participation=p["C"], answer="proxy", proxy_holder=p["B"], by=staff)
    settings.MAILLAGE_PROXY_SAME_COLLEGE = True
    with pytest.raises(ValidationError, match="same collège"):
        participation_answer(participation=p["C"], answer="proxy", proxy_holder=p["D"], by=staff)
    p["C"].refresh_from_db()
    assert p["C"].answer == "" and p["C"].proxy_holder is None  # nothing recorded


def test_the_quorum_counts_present_and_represented_voting_members(convened, staff, settings):
    assembly, p = convened
    settings.MAILLAGE_QUORUM_ORDINARY = "1/2"  # 4 voting members → 2 needed
    participation_answer(participation=p["B"], answer="proxy", proxy_holder=p["A"], by=staff)
    assert quorum(assembly).present + quorum(assembly).represented == 0
    sign_in(participation=p["E"], by=staff)  # no voting right: not counted
    sign_in(participation=p["A"], by=staff)
    state = quorum(assembly)
    assert (state.voting_members, state.present, state.represented, state.required, state.met) == (
        4,
        1,
        1,
        2,
        True,
    )
    sign_out(participation=p["A"], by=staff)  # the holder leaves: its proxy leaves with it
    assert not quorum(assembly).met
    assert ActionLog.objects.filter(assembly=assembly, action="sign_out").count() == 1


def _open_resolution(assembly, staff, **fields):
    for letter_participation in assembly.participations.filter(may_vote=True):
        sign_in(participation=letter_participation, by=staff)
    assembly_open(assembly=assembly, by=staff)
    vote = vote_create(
        assembly=assembly, title="Approbation des comptes 2025", mode=Vote.Mode.SECRET, **fields
    )
    return vote_open(vote=vote, by=staff)


def test_one_ballot_per_voting_right_and_the_tally_recounts_it(convened, staff, tmp_path, capsys):
    assembly, p = convened
    vote = _open_resolution(assembly, staff, majority="absolute")
    choice = {c.kind: c.pk for c in vote.choices.all()}
    trackers = [
        ballot_cast(vote=vote, right=p["A"], choice_ids=[choice["for"]], user=None),
        ballot_cast(vote=vote, right=p["B"], choice_ids=[choice["for"]], user=None),
        ballot_cast(vote=vote, right=p["C"], choice_ids=[choice["against"]], user=None),
    ]
    with pytest.raises(ValidationError, match="already been cast"):
        ballot_cast(vote=vote, right=p["A"], choice_ids=[choice["against"]], user=None)
    with pytest.raises(ValidationError, match="at most"):
        ballot_cast(vote=vote, right=p["D"], choice_ids=[choice["for"], choice["against"]], user=None)
    assert Ballot.objects.filter(vote=vote).count() == 3 == VoterRoll.objects.filter(vote=vote).count()
    vote = vote_close(vote=vote, by=staff)
    assert vote.result["for"] == 2 and vote.result["against"] == 1 and vote.result["adopted"] is True
    with pytest.raises(ValidationError, match="not open"):
        ballot_cast(vote=vote, right=p["D"], choice_ids=[choice["for"]], user=None)
    # The published ballot box holds the trackers and recounts to the same result.
    box = ballot_box(vote)
    assert sorted(b["tracker"] for b in box["ballots"]) == sorted(trackers)
    path = tmp_path / "urne.json"
    path.write_text(json.dumps(box))
    call_command("tally", str(path))
    assert json.loads(capsys.readouterr().out) == vote.result


def test_the_ballots_do_not_name_their_voter(convened, staff):
    assembly, p = convened
    vote = _open_resolution(assembly, staff)
    ballot_cast(vote=vote, right=p["A"], choice_ids=[vote.choices.first().pk], user=None)
    fields = {f.name for f in Ballot._meta.get_fields()}
    assert fields == {"id", "vote", "choices", "tracker"}


def test_hand_counts_cannot_exceed_the_rights_in_the_room(convened, staff):
    assembly, _participations = convened
    vote = _open_resolution(assembly, staff)
    Vote.objects.filter(pk=vote.pk).update(mode=Vote.Mode.HANDS)
    vote.refresh_from_db()
    choice = {c.kind: c.pk for c in vote.choices.all()}
    with pytest.raises(ValidationError, match="only 4 voting rights"):
        hand_counts_enter(vote=vote, counts={choice["for"]: 5}, by=staff)
    hand_counts_enter(vote=vote, counts={choice["for"]: 3, choice["against"]: 1}, by=staff)
    assert vote_close(vote=vote, by=staff).result["adopted"] is True
    assert ActionLog.objects.filter(vote=vote, action="hand_counts").exists()


def test_a_member_who_gave_a_proxy_and_comes_takes_it_back(convened, staff):
    _assembly, p = convened
    participation_answer(participation=p["B"], answer="proxy", proxy_holder=p["A"], by=staff)
    sign_in(participation=p["B"], by=staff)
    p["B"].refresh_from_db()
    assert (p["B"].answer, p["B"].proxy_holder) == (Participation.Answer.ATTEND, None)
