"""Duplicates: detection of candidate pairs, the merge, and the staff pages."""

import pytest
from django.core.exceptions import ValidationError

from maillage.core.models import Commune, Sdg, Theme
from maillage.directory.duplicates import duplicate_candidates, duplicate_pairs, organisation_merge
from maillage.directory.models import Affiliation, Category, Organisation
from maillage.directory.services import affiliation_add, organisation_create, person_create
from tests.access import BACK_OFFICE, assert_access, db_snapshot

VALID_SIRET = "73282932000074"


def _org(name, commune="31555", **fields):
    defaults = {"college": "associative", "commune": Commune.objects.get(code=commune)}
    return organisation_create(name=name, **(defaults | fields))


def test_pairs_sharing_a_siren_or_an_rna_or_a_similar_name_in_a_commune(reference_data):
    # Given organisations of Toulouse (31555) and Rodez (12202)
    siege = _org("Université Fédérale", college="public", siret=VALID_SIRET)
    antenne = _org("Antenne universitaire", college="public", siren="732829320")
    eau_vive = _org("Eau Vive Occitanie", rna="W313000001")
    eau_vive_bis = _org("EAU-VIVE occitanie !")
    homonym_elsewhere = _org("Eau Vive Occitanie", commune="12202")
    _org("Cités Unies France")
    _org("Terre des Hommes")

    pairs = duplicate_pairs()

    assert pairs == {
        (siege.pk, antenne.pk): ["siren"],
        (eau_vive.pk, eau_vive_bis.pk): ["name"],
    }
    assert homonym_elsewhere.pk not in {pk for pair in pairs for pk in pair}


def test_the_same_siren_and_a_similar_name_give_both_reasons(reference_data):
    first = _org("Solidarité Sahel", siren="732829320")
    second = _org("Solidarite Sahel", siret=VALID_SIRET)

    (candidate,) = duplicate_candidates()

    assert (candidate.first, candidate.second, candidate.reasons) == (first, second, ["siren", "name"])
    assert candidate.reason_labels() == ["même SIREN", "noms proches dans la même commune"]


def test_the_database_refuses_a_second_rna_so_the_rna_reason_is_a_safety_net(reference_data):
    _org("Eau Vive", rna="W313000001")

    with pytest.raises(ValidationError) as raised:
        _org("Autre", rna="W313000001")

    assert raised.value.message_dict == {"__all__": ["Une autre organisation de l’annuaire a ce numéro RNA."]}
    assert duplicate_pairs() == {}


def test_a_merge_moves_affiliations_and_lists_fills_empty_fields_and_records_it(reference_data, users):
    water, health = Theme.objects.get(slug="eau-assainissement"), Theme.objects.get(slug="sante")
    survivor = _org(
        "Eau Vive Occitanie",
        acronym="EVO",
        themes=[water],
        countries=["SN"],
        sdgs=[Sdg.objects.get(number=6)],
    )
    duplicate = _org(
        "Eau Vive",
        category=Category.objects.get(slug="association"),
        rna="W313000001",
        website="https://eauvive.example.org",
        acronym="EV",
        themes=[health],
        countries=["MG"],
        editors=[users["organisation_editor"]],
    )
    awa, jean = (
        person_create(first_name="Awa", last_name="Diop"),
        person_create(first_name="Jean", last_name="Roux"),
    )
    affiliation_add(person=awa, organisation=survivor, role="titulaire")
    affiliation_add(person=awa, organisation=duplicate, role="titulaire")  # the same: not repeated
    moved = affiliation_add(person=jean, organisation=duplicate, role="staff")
    duplicate_id = duplicate.pk

    merged = organisation_merge(survivor=survivor, duplicate=duplicate, user=users["staff"])

    assert not Organisation.objects.filter(pk=duplicate_id).exists()
    merged.refresh_from_db()
    assert (merged.name, merged.acronym, merged.rna, merged.website, merged.category.slug) == (
        "Eau Vive Occitanie",
        "EVO",
        "W313000001",
        "https://eauvive.example.org",
        "association",
    )
    assert sorted(merged.themes.values_list("slug", flat=True)) == ["eau-assainissement", "sante"]
    assert list(merged.sdgs.values_list("number", flat=True)) == [6]
    assert [country.code for country in merged.countries] == ["MG", "SN"]
    assert list(merged.editors.all()) == [users["organisation_editor"]]
    assert sorted((a.person.first_name, a.role) for a in Affiliation.objects.filter(organisation=merged)) == [
        ("Awa", "titulaire"),
        ("Jean", "staff"),
    ]
    assert Affiliation.objects.get(pk=moved.pk).organisation == merged
    assert Affiliation.objects.count() == 2

    latest = merged.history.latest()
    assert latest.history_change_reason == f"Fusionnée avec «\u00a0Eau Vive\u00a0» (#{duplicate_id})"
    assert latest.history_user == users["staff"]
    assert merged.history.filter(history_type="+").count() == 1  # its own history stays
    gone = Organisation.history.filter(id=duplicate_id).order_by("history_date")
    assert gone.first().history_type == "+"
    assert gone.last().history_type == "-"
    assert (
        gone.last().history_change_reason == f"Fusionnée dans «\u00a0Eau Vive Occitanie\u00a0» (#{merged.pk})"
    )


def test_a_merge_that_breaks_a_rule_writes_nothing(reference_data, users):
    survivor = _org("Université Fédérale", college="public", siren="552100554")
    duplicate = _org("Université fédérale", college="public", siret=VALID_SIRET)
    before = db_snapshot()

    with pytest.raises(ValidationError) as raised:
        organisation_merge(survivor=survivor, duplicate=duplicate, user=users["staff"])

    assert raised.value.message_dict == {"siret": ["Le numéro SIRET doit commencer par le numéro SIREN."]}
    assert db_snapshot() == before
    with pytest.raises(ValidationError):
        organisation_merge(survivor=survivor, duplicate=survivor, user=None)


READ = BACK_OFFICE


def test_duplicate_pages_per_role(client, users, reference_data):
    first, second = _org("Eau Vive Occitanie"), _org("Eau-Vive Occitanie")
    merge_url = f"/gestion/annuaire/doublons/fusion/{first.pk}/{second.pk}/"
    assert_access(client, users, "/gestion/annuaire/doublons/", expected=READ)
    assert_access(client, users, merge_url, expected=READ | {"auditor": 403})
    refused = {role: want for role, want in READ.items() if want != 200} | {
        "auditor": 403,
        "staff": 302,
        "administrator": 404,  # merged by the staff member just before
    }
    assert_access(client, users, merge_url, method="post", data={"survivor": first.pk}, expected=refused)
    assert Organisation.objects.count() == 1


def test_the_merge_page_merges_into_the_chosen_survivor(client, users, reference_data):
    first, second = _org("Eau Vive Occitanie"), _org("Eau-Vive Occitanie", acronym="EVO")
    client.force_login(users["staff"])

    listing = client.get("/gestion/annuaire/doublons/").content.decode()
    assert f"/gestion/annuaire/doublons/fusion/{first.pk}/{second.pk}/" in listing
    response = client.post(
        f"/gestion/annuaire/doublons/fusion/{first.pk}/{second.pk}/", {"survivor": second.pk}
    )

    assert response.status_code == 302 and response.url == "/gestion/annuaire/doublons/"
    assert list(Organisation.objects.values_list("pk", "acronym")) == [(second.pk, "EVO")]
    assert client.get("/gestion/annuaire/doublons/").context["candidates"] == []
