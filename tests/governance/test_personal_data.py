"""A representative downloads what governance holds about them, and erases it: the roll keeps
that the member's right was used, not by whom; candidacies lose their statement."""

from maillage.core.privacy import personal_data_erase, personal_data_export
from maillage.directory.services import affiliation_add, person_create
from maillage.governance.models import Body, Candidacy, VoterRoll
from maillage.governance.services.assemblies import assembly_open, sign_in
from maillage.governance.services.bodies import bodies_ensure
from maillage.governance.services.votes import ballot_cast, candidacy_submit, vote_create, vote_open
from tests.access import make_user


def test_a_representative_downloads_and_erases_their_votes_and_candidacies(convened, staff):
    assembly, p = convened
    voter = make_user("registered", email="representante@example.org")
    person = person_create(first_name="Awa", last_name="Diop", email=voter.email, user=voter)
    affiliation_add(person=person, organisation=p["A"].organisation, role="titulaire")
    bodies_ensure()
    election = vote_create(
        assembly=assembly,
        kind="election",
        title="Grand Conseil — associations",
        body=Body.objects.get(slug="grand-conseil"),
        college="associative",
        seats=2,
    )
    candidacy_submit(
        vote=election, person=person, organisation=p["A"].organisation, statement="Je m’engage pour…"
    )
    for participation in p.values():
        sign_in(participation=participation, by=staff)
    assembly_open(assembly=assembly, by=staff)
    vote = vote_open(vote=vote_create(assembly=assembly, title="Rapport moral", mode="secret"), by=staff)
    ballot_cast(vote=vote, right=p["A"], choice_ids=[vote.choices.first().pk], user=voter)

    exported = personal_data_export(voter)["governance"]
    assert exported["ballots_cast_for"] == [{"vote": "Rapport moral", "member": str(p["A"].organisation)}]
    assert exported["candidacies"][0]["statement"] == "Je m’engage pour…"

    personal_data_erase(voter)
    entry = VoterRoll.objects.get(vote=vote)
    assert entry.participation == p["A"] and entry.cast_by is None
    candidacy = Candidacy.objects.get(vote=election)
    assert candidacy.statement == ""
    assert not candidacy.history.exclude(statement="").exists()
