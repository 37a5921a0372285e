"""One vote per voting right, under concurrency (PostgreSQL): parallel voters for the same
right leave exactly one ballot and one roll entry; parallel voters for different rights all
vote. SQLite serialises writers, so the proof needs PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils.translation import gettext

from maillage.governance.models import Assembly, Ballot, Participation, Vote, VoterRoll
from maillage.governance.services.assemblies import assembly_open
from maillage.governance.services.votes import ballot_cast, vote_create, vote_open
from tests.directory.test_pages import _organisation

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proved on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 20


def _race(vote, rights, choice_id):
    """Cast a ballot for each right at once (one thread each); returns (trackers, refusals)."""
    barrier = threading.Barrier(len(rights))
    trackers, refusals, crashes = [], [], []

    def cast(right):
        try:
            barrier.wait()
            trackers.append(ballot_cast(vote=vote, right=right, choice_ids=[choice_id], user=None))
        except ValidationError as error:
            refusals.append(error)
        except Exception as error:  # noqa: BLE001 — reported below, never swallowed
            crashes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(right,)) for right in rights]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not crashes, crashes
    return trackers, refusals


def _open_vote(assembly, staff):
    assembly_open(assembly=assembly, by=staff)
    vote = vote_create(assembly=assembly, title="Motion", mode=Vote.Mode.SECRET)
    vote = vote_open(vote=vote, by=staff)
    return vote, vote.choices.get(kind="for").pk


def test_twenty_ballots_at_once_for_one_right_leave_one(convened, staff):
    assembly, p = convened
    vote, choice_id = _open_vote(assembly, staff)
    trackers, refusals = _race(vote, [p["A"]] * THREADS, choice_id)
    assert len(trackers) == 1 and len(refusals) == THREADS - 1
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert VoterRoll.objects.filter(vote=vote, participation=p["A"]).count() == 1
    refused = gettext("A ballot has already been cast for this voting right.")  # in the active language
    assert all(refused in str(error) for error in refusals)


def test_twenty_rights_voting_at_once_all_count(assembly, staff, reference_data):
    rights = [
        Participation.objects.create(
            assembly=assembly,
            organisation=_organisation(f"Association {number}"),
            college="associative",
            may_vote=True,
        )
        for number in range(THREADS)
    ]
    assembly.state = Assembly.State.CONVENED
    assembly.save()
    vote, choice_id = _open_vote(assembly, staff)
    trackers, refusals = _race(vote, rights, choice_id)
    assert not refusals and len(set(trackers)) == THREADS
    assert Ballot.objects.filter(vote=vote).count() == THREADS == VoterRoll.objects.filter(vote=vote).count()
