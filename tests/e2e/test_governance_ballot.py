"""The online ballot in a real browser: a representative logs in, votes, sees their tracker;
once the vote is closed, finds it in the published ballot box — every page axe-clean."""

# ruff: noqa: F811 (the governance fixtures, imported, are parameters of the test)

import re
from urllib.parse import urlsplit

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from maillage.directory.models import Person
from maillage.governance.models import Ballot, Body, Candidacy, Vote
from maillage.governance.services.assemblies import assembly_open, sign_in
from maillage.governance.services.bodies import bodies_ensure
from maillage.governance.services.links import links_send
from maillage.governance.services.votes import vote_close, vote_create, vote_open
from tests.access import make_user
from tests.e2e.test_accounts import _log_in, _submit
from tests.governance.conftest import assembly, convened, paid_member  # noqa: F401 (fixtures)
from tests.membership.conftest import documents, make_member, staff, year  # noqa: F401 (fixtures)


def test_a_representative_votes_online_and_finds_the_tracker(page, visit, axe_check, convened, staff):
    assembly, p = convened
    person = Person.objects.get(
        affiliations__organisation=p["A"].organisation, affiliations__role="titulaire"
    )
    voter = make_user("registered", email="titulaire.alpha@example.org", verified=True)
    secret = pyotp.random_base32()
    TOTP.activate(voter, secret)  # voting with an account takes two factors
    person.user = voter
    person.save()
    assembly_open(assembly=assembly, by=staff)
    vote = vote_open(
        vote=vote_create(assembly=assembly, title="Approbation des comptes", mode=Vote.Mode.SECRET), by=staff
    )
    for_ = vote.choices.get(kind="for")

    _log_in(page, visit, axe_check, voter.email)
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, axe_check)
    visit(page, reverse("governance:ballot", args=[vote.pk]))
    page.get_by_label(for_.label, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("main").locator("form button[type=submit]").first.click()
    axe_check(page)
    tracker = page.locator(".ballot-tracker").inner_text().strip()
    assert Ballot.objects.get(vote=vote).tracker == tracker

    vote_close(vote=vote, by=staff)
    visit(page, reverse("governance:ballot_box", args=[vote.pk]))
    expect(page.get_by_role("main")).to_contain_text(tracker)
    page.locator("input[name=tracker]").fill(tracker)
    with page.expect_navigation():
        page.get_by_role("search").locator("button[type=submit]").click()
    axe_check(page)
    expect(page.locator(".tracker-search .message--success")).to_contain_text(tracker)


def test_a_representative_stands_for_an_election(page, visit, axe_check, convened, staff):
    assembly, p = convened
    bodies_ensure()
    person = Person.objects.get(
        affiliations__organisation=p["A"].organisation, affiliations__role="titulaire"
    )
    voter = make_user("registered", email="titulaire.alpha@example.org", verified=True)
    person.user = voter
    person.save()
    vote = vote_create(
        assembly=assembly,
        kind="election",
        title="Grand Conseil — collège associatif",
        body=Body.objects.get(slug="grand-conseil"),
        college="associative",
        seats=2,
        mode=Vote.Mode.SECRET,
    )

    _log_in(page, visit, axe_check, voter.email)
    visit(page, reverse("governance:ballot", args=[vote.pk]))
    page.locator("textarea[name=statement]").fill("Pour un réseau ouvert à toutes les associations.")
    with page.expect_navigation():
        page.locator("button[name=candidacy]").click()
    axe_check(page)
    candidacy = Candidacy.objects.get(vote=vote)
    assert (candidacy.person, candidacy.organisation) == (person, p["A"].organisation)
    expect(page.locator(".messages")).to_be_visible()


def test_the_staff_create_open_and_close_a_vote(page, visit, axe_check, convened, staff):
    assembly, p = convened
    team = make_user("staff", email="secretariat@example.org", totp=False, verified=True)
    secret = pyotp.random_base32()
    TOTP.activate(team, secret)
    _log_in(page, visit, axe_check, team.email)
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, axe_check)
    for letter in "ABCD":
        sign_in(participation=p[letter], by=staff)
    assembly_open(assembly=assembly, by=staff)

    visit(page, reverse("governance_staff:vote_create", args=[assembly.pk]))
    page.locator("input[name=kind][value=resolution]").check()
    page.locator("input[name=title]").fill("Approbation du rapport moral")
    page.locator("select[name=mode]").select_option("mixed")
    with page.expect_navigation():
        page.get_by_role("main").locator("form button[type=submit]").click()
    axe_check(page)
    vote = Vote.objects.get(assembly=assembly)
    with page.expect_navigation():
        page.locator("button[name=action][value=open]").click()
    axe_check(page)
    for choice in vote.choices.all():
        page.locator(f"input[name=choice_{choice.pk}]").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("compte|counts", re.I)).click()
    axe_check(page)
    with page.expect_navigation():
        page.locator("button[name=action][value=close]").click()
    axe_check(page)
    vote.refresh_from_db()
    assert vote.state == Vote.State.CLOSED and vote.result["for"] == 1
    expect(page.locator(".vote-outcome")).to_be_visible()


def test_a_representative_votes_by_the_link_of_the_email(page, visit, axe_check, convened, staff):
    """The single-use link's page keeps its secret to the site (referrer policy) and its form
    still passes the CSRF check in a real browser."""
    assembly, _p = convened
    assembly_open(assembly=assembly, by=staff)
    vote = vote_open(
        vote=vote_create(assembly=assembly, title="Approbation du budget", mode=Vote.Mode.SECRET), by=staff
    )
    assert links_send(vote=vote, by=staff) > 0
    bodies = "\n".join(message.body for message in mail.outbox)
    url = re.search(r"https?://\S+/lien/\S+/", bodies).group(0)
    visit(page, urlsplit(url).path)
    for_ = vote.choices.get(kind="for")
    page.get_by_label(for_.label, exact=True).first.check()
    with page.expect_navigation():
        page.get_by_role("main").locator("form button[type=submit]").first.click()
    axe_check(page)
    assert Ballot.objects.filter(vote=vote).exists()
