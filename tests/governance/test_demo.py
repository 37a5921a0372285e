"""The demo governance (`seed_demo`): the Grand Conseil and the Bureau in office, a co-optation
awaiting ratification, last June's assembly with consistent votes and approved minutes, an
upcoming convened assembly — no e-mail sent, and a second run adds nothing."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillage.core.models import OutgoingEmail
from maillage.core.seeding import DemoReport
from maillage.governance import demo
from maillage.governance.models import Assembly, Ballot, Body, Mandate, Participation, Vote, VoterRoll
from maillage.governance.services.bodies import mandates_active, mandates_ending
from maillage.governance.services.votes import ballot_box, tally
from tests.access import db_snapshot


@pytest.fixture
def seeded(reference_data):
    call_command("seed_demo", stdout=io.StringIO())


def test_without_members_the_seed_makes_nothing(db):
    demo.seed(DemoReport())
    assert not Mandate.objects.exists()
    assert not Assembly.objects.exists()


def test_seeding_twice_adds_nothing(seeded):
    before = db_snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert db_snapshot() == before
    assert not OutgoingEmail.objects.exists()


def test_the_bodies_in_office(seeded):
    grand_conseil = Body.objects.get(slug="grand-conseil")
    colleges = Counter(mandates_active(grand_conseil).values_list("college", flat=True))
    expected = Counter(demo.ELECTED_TWO_YEARS_AGO) + Counter(demo.ELECTED_LAST_JUNE)
    expected.update(["associative", "public"])  # the term ending soon, the co-optation
    assert colleges == expected
    bureau = mandates_active(Body.objects.get(slug="bureau"))
    assert sorted(bureau.values_list("office__slug", flat=True)) == sorted(demo.BUREAU)
    grand_conseil_people = set(mandates_active(grand_conseil).values_list("person", flat=True))
    assert set(bureau.values_list("person", flat=True)) <= grand_conseil_people
    awaiting = Mandate.objects.filter(co_opted=True, ratified_at__isnull=True)
    assert awaiting.count() == 1
    assert mandates_ending(60).count() == 1


def test_last_junes_assembly_with_consistent_votes_and_its_minutes(seeded):
    assembly = Assembly.objects.get(
        title=f"Assemblée générale ordinaire {demo.last_june(timezone.localdate()).year}"
    )
    assert assembly.state == Assembly.State.CLOSED
    day = timezone.localdate(assembly.starts_at)
    assert timezone.localdate(assembly.opened_at) == day == timezone.localdate(assembly.closed_at)
    assert assembly.participations.filter(arrived_at__isnull=False).exists()
    assert assembly.participations.filter(answer=Participation.Answer.PROXY).exists()
    assert assembly.participations.filter(left_at__isnull=False).count() == 1
    votes = list(assembly.votes.all())
    assert all(vote.state == Vote.State.CLOSED for vote in votes)
    modes = Counter((vote.kind, vote.mode) for vote in votes)
    assert modes[("resolution", "hands")] == 1 and modes[("resolution", "secret")] == 1
    assert sorted(v.college for v in votes if v.kind == "election") == sorted(demo.ELECTED_LAST_JUNE)
    for vote in votes:
        assert timezone.localdate(vote.closed_at) == day
        assert vote.quorum is not None  # recorded at the vote
        assert tally(ballot_box(vote)) == vote.result  # the published box recounts the result
        if vote.mode == Vote.Mode.SECRET:
            assert Ballot.objects.filter(vote=vote).count() == VoterRoll.objects.filter(vote=vote).count() > 0
        if vote.kind == Vote.Kind.ELECTION:
            assert vote.mandates.count() == len(vote.result["elected"]) == vote.seats
    assert assembly.quorum_records.filter(vote__isnull=True).count() == 2  # opening and closing
    assert assembly.minutes_approved_on is not None
    with assembly.minutes_pdf.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_the_upcoming_assembly_is_convened_with_answers_and_proxies(seeded):
    assembly = Assembly.objects.get(starts_at__gt=timezone.now())
    assert assembly.state == Assembly.State.CONVENED
    assert (timezone.localdate(assembly.starts_at) - timezone.localdate()).days == 21
    answers = Counter(assembly.participations.values_list("answer", flat=True))
    assert answers["attend"] and answers["excused"] and answers["proxy"]
    assert not OutgoingEmail.objects.exists()
