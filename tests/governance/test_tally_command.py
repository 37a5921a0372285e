"""Anyone recounts a vote: the ballot box downloaded from its public page, fed to
``maillage tally``, gives the published result — for a resolution and for an election."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.directory.models import Person
from maillage.governance.models import Body, Vote
from maillage.governance.services.assemblies import assembly_open, sign_in
from maillage.governance.services.bodies import bodies_ensure
from maillage.governance.services.votes import (
    ballot_cast,
    candidacy_decide,
    candidacy_submit,
    hand_counts_enter,
    vote_close,
    vote_create,
    vote_open,
)

pytestmark = pytest.mark.django_db


def _recount(client, vote, tmp_path, capsys):
    response = client.get(reverse("governance:ballot_box_json", args=[vote.pk]))
    assert response.status_code == 200
    path = tmp_path / f"urne-{vote.pk}.json"
    path.write_bytes(response.content)
    capsys.readouterr()
    call_command("tally", str(path))
    return json.loads(capsys.readouterr().out)


def test_the_downloaded_ballot_box_recounts_to_the_published_result(
    client, convened, staff, tmp_path, capsys
):
    assembly, p = convened
    for letter in "ABCD":
        sign_in(participation=p[letter], by=staff)
    assembly_open(assembly=assembly, by=staff)
    vote = vote_open(
        vote=vote_create(
            assembly=assembly, title="Motion", mode=Vote.Mode.MIXED, majority="absolute", base="present"
        ),
        by=staff,
    )
    kinds = {c.kind: c.pk for c in vote.choices.all()}
    ballot_cast(vote=vote, right=p["A"], choice_ids=[kinds["for"]], user=None)
    ballot_cast(vote=vote, right=p["B"], choice_ids=[kinds["against"]], user=None)
    ballot_cast(vote=vote, right=p["C"], choice_ids=[], user=None)  # blank
    hand_counts_enter(vote=vote, counts={kinds["for"]: 1}, by=staff)
    vote = vote_close(vote=vote, by=staff)
    assert _recount(client, vote, tmp_path, capsys) == vote.result
    page = client.get(reverse("governance:ballot_box", args=[vote.pk])).content.decode()
    assert "maillage tally" in page


def test_an_election_recounts_with_its_seed(client, convened, staff, settings, tmp_path, capsys):
    assembly, p = convened
    settings.MAILLAGE_GRAND_CONSEIL_SEATS_PER_COLLEGE = 30
    bodies_ensure()
    vote = vote_create(
        assembly=assembly,
        kind="election",
        title="Grand Conseil",
        body=Body.objects.get(slug="grand-conseil"),
        college="associative",
        seats=2,
        mode=Vote.Mode.SECRET,
    )
    for letter in "ABC":
        organisation = p[letter].organisation
        person = Person.objects.get(affiliations__organisation=organisation, affiliations__role="titulaire")
        candidacy_decide(
            candidacy=candidacy_submit(vote=vote, person=person, organisation=organisation),
            by=staff,
            accept=True,
        )
    assembly_open(assembly=assembly, by=staff)
    vote = vote_open(vote=vote, by=staff)
    a, b, c = vote.choices.order_by("pk").values_list("pk", flat=True)
    for right, marked in ((p["A"], [a, b]), (p["B"], [b, c]), (p["C"], [c, a]), (p["D"], [])):
        ballot_cast(vote=vote, right=right, choice_ids=marked, user=None)
    vote = vote_close(vote=vote, by=staff)
    assert vote.result["tie"]  # three candidates tied for two seats: the seed decides
    assert _recount(client, vote, tmp_path, capsys) == vote.result
