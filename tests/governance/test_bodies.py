"""Bodies and mandates: the public composition (names and members, never an e-mail or a
phone), adding and ending mandates per role, the cap per collège and the offices' holders
refused with nothing written, and the staff's alerts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from maillage.directory.models import College
from maillage.governance.models import Body, Mandate, Office
from maillage.governance.services.bodies import bodies_ensure, mandate_add
from maillage.membership.selectors import representatives
from tests.access import LOGIN, assert_access, db_snapshot

INDEX = "/gouvernance/"
STAFF_INDEX = "/gestion/gouvernance/"
ADD = "/gestion/gouvernance/mandats/nouveau/"


@pytest.fixture
def bodies(db):
    bodies_ensure()
    return {body.slug: body for body in Body.objects.all()}


@pytest.fixture
def members(make_member, year):
    """Three associations and a commune, members; their titulaires have an e-mail and a phone."""
    memberships = [make_member(f"Association Numéro {n}") for n in range(1, 4)]
    memberships.append(
        make_member("Commune de Lasbordes", category="collectivite-territoriale", size=Decimal("3000"))
    )
    for membership in memberships:
        person = representatives(membership.organisation).first().person
        person.phone = "05 61 00 00 0" + str(membership.pk % 10)
        person.save()
    return memberships


def _titulaire(membership):
    return representatives(membership.organisation).first().person


def _mandate(body, membership, start=None, **fields):
    start = start or timezone.localdate() - datetime.timedelta(days=30)
    return mandate_add(
        body=body, person=_titulaire(membership), organisation=membership.organisation, start=start, **fields
    )


def test_the_public_page_shows_names_and_members_never_contacts(client, bodies, members):
    _mandate(bodies["grand-conseil"], members[0])
    _mandate(bodies["grand-conseil"], members[3])
    president = Office.objects.get(body=bodies["bureau"], slug="president")
    _mandate(bodies["bureau"], members[0], office=president)
    html = client.get(INDEX).content.decode()
    for membership in (members[0], members[3]):
        person = _titulaire(membership)
        assert f"{person.first_name} {person.last_name}" in html
        assert escape(membership.organisation.name) in html
        assert person.email not in html and person.phone not in html
    assert escape(_titulaire(members[1]).last_name) not in html  # holds no seat
    assert "Grand Conseil" in html and president.name in html
    body_page = client.get(reverse("governance:body", args=["grand-conseil"])).content.decode()
    assert _titulaire(members[3]).last_name in body_page
    assert _titulaire(members[3]).email not in body_page and _titulaire(members[3]).phone not in body_page
    assert client.get(reverse("governance:body", args=["nothing-here"])).status_code == 404


def test_the_public_pages_cost_the_same_queries_whatever_the_mandates(client, bodies, members):
    _mandate(bodies["grand-conseil"], members[0])
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for membership in members[1:]:
        _mandate(bodies["grand-conseil"], membership)
    with CaptureQueriesContext(connection) as more:
        client.get(INDEX)
    assert len(more) == len(few)
    with CaptureQueriesContext(connection) as body_page:
        client.get(reverse("governance:body", args=["grand-conseil"]))
    assert len(body_page) <= len(few)


def test_staff_pages_per_role(client, users, bodies, members):
    read = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,
        "staff": 200,
        "administrator": 200,
        "elected": 200,
        "auditor": 200,
    }
    assert_access(client, users, STAFF_INDEX, expected=read)
    write = read | {"elected": 403, "auditor": 403}
    assert_access(client, users, ADD, expected=write)


def test_a_mandate_is_added_by_the_team_only(client, users, bodies, members):
    organisation = members[1].organisation
    data = {
        "body": bodies["grand-conseil"].pk,
        "organisation": organisation.pk,
        "person": _titulaire(members[1]).pk,
        "start": timezone.localdate().isoformat(),
    }
    expected = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,
        "staff": 302,
        "administrator": 302,
        "elected": 403,
        "auditor": 403,
    }
    assert_access(client, users, ADD, expected=expected, method="post", data=data)
    mandates = Mandate.objects.filter(organisation=organisation)
    assert mandates.count() == 2  # staff and administrator
    mandate = mandates.first()
    assert mandate.college == College.ASSOCIATIVE
    assert mandate.end == timezone.localdate().replace(
        year=timezone.localdate().year + bodies["grand-conseil"].term_years
    )


def test_the_form_offers_the_people_of_the_chosen_member(client, users, bodies, members):
    client.force_login(users["staff"])
    html = client.get(ADD, {"organisation": members[2].organisation.pk}).content.decode()
    assert escape(str(_titulaire(members[2]))) in html
    assert escape(str(_titulaire(members[1]))) not in html
    # A person of another member is refused.
    data = {
        "body": bodies["grand-conseil"].pk,
        "organisation": members[2].organisation.pk,
        "person": _titulaire(members[1]).pk,
        "start": timezone.localdate().isoformat(),
    }
    before = db_snapshot()
    response = client.post(ADD, data)
    assert response.status_code == 400
    assert db_snapshot() == before


def test_the_cap_per_collège_refuses_with_nothing_written(client, users, members):
    body = Body.objects.create(slug="conseil-test", name="Conseil d’essai", seats_per_college=2)
    _mandate(body, members[0])
    _mandate(body, members[1])
    client.force_login(users["staff"])
    data = {
        "body": body.pk,
        "organisation": members[2].organisation.pk,
        "person": _titulaire(members[2]).pk,
        "start": timezone.localdate().isoformat(),
    }
    before = db_snapshot()
    response = client.post(ADD, data)
    assert response.status_code == 400
    with translation.override("fr"):
        message = gettext("All %(seats)s seats of the collège « %(college)s » in the %(body)s are held.") % {
            "seats": 2,
            "college": College.ASSOCIATIVE.label,
            "body": body.name,
        }
    assert escape(message) in response.content.decode()
    assert db_snapshot() == before
    # Another collège still has its seats.
    data |= {"organisation": members[3].organisation.pk, "person": _titulaire(members[3]).pk}
    assert client.post(ADD, data).status_code == 302


def test_an_office_already_held_is_refused(client, users, bodies, members):
    president = Office.objects.get(body=bodies["bureau"], slug="president")
    _mandate(bodies["bureau"], members[0], office=president)
    client.force_login(users["staff"])
    data = {
        "body": bodies["bureau"].pk,
        "organisation": members[1].organisation.pk,
        "person": _titulaire(members[1]).pk,
        "office": president.pk,
        "start": timezone.localdate().isoformat(),
    }
    before = db_snapshot()
    response = client.post(ADD, data)
    assert response.status_code == 400
    with translation.override("fr"):
        message = gettext("The office « %(office)s » is already held.") % {"office": president.name}
    assert escape(message) in response.content.decode()
    assert db_snapshot() == before


def test_ending_a_mandate(client, users, bodies, members):
    mandate = _mandate(bodies["grand-conseil"], members[0])
    url = reverse("governance_staff:mandate_end", args=[mandate.pk])
    expected = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,
        "staff": 200,
        "administrator": 200,
        "elected": 403,
        "auditor": 403,
    }
    assert_access(client, users, url, expected=expected)
    client.force_login(users["staff"])
    before = db_snapshot()
    too_early = (mandate.start - datetime.timedelta(days=1)).isoformat()
    assert client.post(url, {"on": too_early}).status_code == 400
    assert db_snapshot() == before
    response = client.post(url, {"on": timezone.localdate().isoformat(), "resigned": "on"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.state == Mandate.State.RESIGNED and mandate.ended_on == timezone.localdate()


def test_the_alerts_terms_ending_and_co_optations(client, users, bodies, members):
    today = timezone.localdate()
    grand_conseil = bodies["grand-conseil"]
    ending = _mandate(
        grand_conseil, members[0], start=(today + datetime.timedelta(days=20)).replace(year=today.year - 3)
    )
    _mandate(grand_conseil, members[1])
    co_opted = _mandate(grand_conseil, members[2], co_opted=True)
    client.force_login(users["auditor"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STAFF_INDEX)
    html = response.content.decode()
    ending_block = html.split('class="alerts-ending"')[1].split("</ul>")[0]
    assert escape(str(ending.person)) in ending_block
    assert escape(str(_titulaire(members[1]))) not in ending_block
    coopted_block = html.split('class="alerts-coopted"')[1].split("</ul>")[0]
    assert escape(str(co_opted.person)) in coopted_block
    assert escape(str(ending.person)) not in coopted_block
    # The page's queries do not grow with the mandates.
    _mandate(grand_conseil, members[3])
    with CaptureQueriesContext(connection) as more:
        client.get(STAFF_INDEX)
    assert len(more) == len(queries)


def test_the_administration_lists_and_never_shows_the_voter_roll(client, users, bodies, members):
    _mandate(bodies["grand-conseil"], members[0])
    client.force_login(users["administrator"])
    for model in ("body", "mandate", "assembly", "actionlog", "vote", "candidacy", "ballot"):
        assert client.get(f"/admin/governance/{model}/").status_code == 200, model
    assert client.get(f"/admin/governance/body/{bodies['bureau'].pk}/change/").status_code == 200
    assert client.get("/admin/governance/voterroll/").status_code == 404
    client.force_login(users["staff"])  # may change mandates, but through the staff pages only
    assert client.get("/admin/governance/mandate/").status_code == 200
    mandate = Mandate.objects.first()
    before = db_snapshot()
    response = client.post(f"/admin/governance/mandate/{mandate.pk}/change/", {"state": "ended"})
    assert response.status_code == 403
    assert db_snapshot() == before


def test_staff_record_the_ratification_of_a_co_optation(client, convened, staff):
    from maillage.governance.models import Body, Mandate
    from maillage.governance.services.bodies import bodies_ensure, mandate_add

    assembly, participations = convened
    bodies_ensure()
    organisation = participations["A"].organisation
    person = organisation.affiliations.first().person
    mandate = mandate_add(
        body=Body.objects.get(slug="grand-conseil"),
        person=person,
        organisation=organisation,
        start=assembly.starts_at.date(),
        co_opted=True,
    )
    url = reverse("governance_staff:mandate_ratify", args=[mandate.pk])
    client.force_login(staff)
    client.post(url, {"assembly": assembly.pk})  # still convened, not held: refused
    assert Mandate.objects.get(pk=mandate.pk).ratified_at is None
    assembly.state = assembly.State.OPEN
    assembly.save()
    assert client.post(url, {"assembly": assembly.pk}).status_code == 302
    assert Mandate.objects.get(pk=mandate.pk).ratified_at == assembly
