"""The arithmetic of assemblies: quorum, majorities on each base, seats and the tie rule."""

from fractions import Fraction

import pytest

from maillage.governance.counting import (
    ResolutionCounts,
    draw_order,
    election_result,
    fraction,
    quorum_required,
    resolution_result,
)


@pytest.mark.parametrize(
    ("members", "rule", "required"),
    [(100, "1/4", 25), (101, "1/4", 26), (3, "1/2", 2), (0, "1/2", 0), (150, "0", 0), (7, "2/3", 5)],
)
def test_the_quorum_is_the_fraction_rounded_up(members, rule, required):
    assert quorum_required(members, fraction(rule)) == required


def _result(for_, against, abstain=0, blank=0, **settings):
    defaults = {"majority": "simple", "base": "cast", "present_represented": 60, "voting_members": 100}
    return resolution_result(ResolutionCounts(for_, against, abstain, blank), **(defaults | settings))


def test_simple_majority_needs_more_for_than_against():
    assert _result(10, 9, abstain=30).adopted
    assert not _result(10, 10).adopted


def test_absolute_majority_of_votes_cast_depends_on_blank_and_abstentions():
    # 20 for, 15 against, 10 abstentions: absolute majority of 35 cast = 18 → adopted;
    # counting abstentions as cast, 45 cast → 23 needed → rejected.
    assert _result(20, 15, abstain=10, majority="absolute").adopted
    rejected = _result(20, 15, abstain=10, majority="absolute", abstention_counts=True)
    assert (rejected.adopted, rejected.cast, rejected.needed) == (False, 45, 23)
    blank = _result(20, 15, blank=6, majority="absolute", blank_counts=True)
    assert (blank.adopted, blank.needed) == (False, 21)


def test_absolute_majority_of_an_even_base_needs_more_than_half():
    assert _result(30, 0, majority="absolute", base="present").needed == 31  # 60 present and represented
    assert not _result(30, 0, majority="absolute", base="present").adopted


def test_two_thirds_of_all_members():
    result = _result(66, 0, majority="two_thirds", base="members", voting_members=100)
    assert (result.needed, result.adopted) == (67, False)
    assert _result(67, 0, majority="two_thirds", base="members", voting_members=100).adopted
    assert _result(40, 20, majority="two_thirds").adopted  # exactly two thirds of 60 cast


def test_a_vote_with_nothing_cast_is_not_adopted():
    assert not _result(0, 0, majority="absolute").adopted


def test_the_seats_go_to_the_candidates_with_the_most_votes():
    ballots = [["a", "b"], ["a", "c"], ["a"], ["b"]]
    result = election_result(ballots, candidates=["a", "b", "c"], seats=2, seed="x")
    assert result.elected == ["a", "b"]
    assert result.votes == {"a": 3, "b": 2, "c": 1}
    assert result.tie == []


def test_a_ballot_naming_too_many_candidates_is_void():
    result = election_result([["a", "b", "c"], ["c"]], candidates=["a", "b", "c"], seats=2, seed="x")
    assert result.votes == {"a": 0, "b": 0, "c": 1}


def test_a_tie_for_the_last_seat_is_broken_by_the_recorded_draw():
    ballots = [["a", "b"], ["a", "c"], ["a", "d"]]
    result = election_result(ballots, candidates=["a", "b", "c", "d"], seats=2, seed="seed-2026")
    assert result.tie == ["b", "c", "d"]
    assert result.elected == ["a", draw_order(["b", "c", "d"], "seed-2026")[0]]
    # The same seed gives the same draw; another seed may not.
    again = election_result(ballots, candidates=["a", "b", "c", "d"], seats=2, seed="seed-2026")
    assert again.elected == result.elected


def test_fewer_candidates_than_seats_are_all_elected_if_they_got_votes():
    result = election_result([["a"]], candidates=["a", "b"], seats=30, seed="x")
    assert result.elected == ["a"]


def test_fractions_accept_decimals():
    assert fraction("0.5") == Fraction(1, 2)
