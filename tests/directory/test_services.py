"""Writes on the directory: validation of identifiers, collèges, consent, history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from maillage.core.models import Commune, Theme
from maillage.directory.models import Affiliation, Category, Organisation
from maillage.directory.selectors import organisations_visible_to, public_contacts
from maillage.directory.services import (
    affiliation_add,
    organisation_create,
    organisation_set_status,
    organisation_update,
    person_create,
    person_give_consent,
    person_withdraw_consent,
)
from tests.access import db_snapshot

VALID_SIRET = "73282932000074"  # a real public check key


def _association(**fields):
    defaults = {
        "college": "associative",
        "category": Category.objects.get(slug="association"),
        "commune": Commune.objects.get(code="31555"),  # Toulouse
    }
    return organisation_create(name=fields.pop("name", "Eau Vive Occitanie"), **(defaults | fields))


def test_creating_an_organisation_gives_a_slug_the_commune_point_and_a_history(reference_data):
    organisation = _association(themes=[Theme.objects.get(slug="eau-assainissement")], countries=["SN", "MG"])
    again = _association()

    assert (organisation.slug, again.slug) == ("eau-vive-occitanie", "eau-vive-occitanie-2")
    toulouse = Commune.objects.get(code="31555")
    assert (organisation.latitude, organisation.longitude) == (toulouse.latitude, toulouse.longitude)
    assert organisation.status == Organisation.Status.DRAFT
    assert [country.code for country in organisation.countries] == ["MG", "SN"]
    assert list(organisation.themes.values_list("slug", flat=True)) == ["eau-assainissement"]
    assert organisation.history.count() >= 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"siret": "73282932000075"}, "siret", "SIRET"),
        ({"siren": "123456789"}, "siren", "SIREN"),
        ({"rna": "W12345"}, "rna", "W"),
        ({"phone": "appelez-moi"}, "phone", "phone"),
        ({"category": "pme"}, "category", "collège"),
        ({"college": ""}, "college", "collège"),
        ({"country": "SN"}, "country", "France"),
        ({"languages": ["fr", "xx"]}, "languages", "xx"),
        ({"siren": "552100554", "siret": VALID_SIRET}, "siret", "SIREN"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(reference_data, fields, field, message):
    if fields.get("category") == "pme":
        fields["category"] = Category.objects.get(slug="pme")
    before = db_snapshot()
    with pytest.raises(ValidationError) as error:
        _association(**fields)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert db_snapshot() == before


def test_a_partner_abroad_has_a_country_and_no_college(reference_data):
    partner = organisation_create(name="Union des groupements de Fianarantsoa", kind="partner", country="MG")
    assert (partner.college, partner.category, str(partner.country)) == ("", None, "MG")
    with pytest.raises(ValidationError, match="collège"):
        organisation_create(name="Mauvais partenaire", kind="partner", country="SN", college="associative")


def test_siret_gives_the_siren_and_is_unique(reference_data):
    organisation = _association(siret=VALID_SIRET)
    assert organisation.siren == "732829320"
    with pytest.raises(ValidationError, match="SIRET"):
        _association(name="Doublon", siret=VALID_SIRET)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        Organisation.objects.filter(pk=_association(name="Autre").pk).update(siret=VALID_SIRET)


def test_changing_the_commune_moves_the_point_and_is_in_the_history(reference_data):
    organisation = _association()
    montpellier = Commune.objects.get(code="34172")
    organisation_update(organisation=organisation, commune=montpellier, description="Nouvelle adresse")
    organisation.refresh_from_db()
    assert (organisation.latitude, organisation.longitude) == (montpellier.latitude, montpellier.longitude)
    latest = organisation.history.first()
    assert {"commune", "latitude", "longitude", "description"} <= set(
        latest.diff_against(latest.prev_record).changed_fields
    )


def test_only_published_organisations_are_public_but_editors_and_staff_see_theirs(reference_data, users):
    draft = _association(name="Brouillon")
    published = organisation_set_status(organisation=_association(name="Publiée"), status="published")
    draft.editors.add(users["organisation_editor"])

    def names(user):
        return set(organisations_visible_to(user).values_list("name", flat=True))

    from django.contrib.auth.models import AnonymousUser

    assert names(AnonymousUser()) == {published.name}
    assert names(users["registered"]) == {published.name}
    assert names(users["organisation_editor"]) == {published.name, draft.name}
    assert names(users["staff"]) == names(users["auditor"]) == {published.name, draft.name}
    assert users["organisation_editor"].has_perm("directory.change_organisation", draft)
    assert not users["organisation_editor"].has_perm("directory.change_organisation", published)
    assert not users["registered"].has_perm("directory.view_organisation", draft)


def test_contacts_are_public_only_with_recorded_consent(reference_data):
    organisation = _association()
    awa = person_create(first_name="Awa", last_name="Diop", email="awa@example.org")
    jean = person_create(first_name="Jean", last_name="Martin", email="jean@example.org")
    affiliation_add(person=awa, organisation=organisation, role=Affiliation.Role.REPRESENTATIVE)
    affiliation_add(person=jean, organisation=organisation, role=Affiliation.Role.CONTACT)

    assert list(public_contacts(organisation)) == []
    with pytest.raises(ValidationError):
        person_give_consent(person=awa, wording="  ")
    person_give_consent(person=awa, wording="J’accepte que mes coordonnées figurent dans l’annuaire.")
    assert [a.person for a in public_contacts(organisation)] == [awa]
    assert awa.history.first().public_consent_wording.startswith("J’accepte")

    person_withdraw_consent(person=awa)
    assert list(public_contacts(organisation)) == []


def test_an_affiliation_cannot_end_before_it_starts(reference_data):
    import datetime

    person = person_create(first_name="Awa", last_name="Diop")
    with pytest.raises(ValidationError):
        affiliation_add(
            person=person,
            organisation=_association(),
            role=Affiliation.Role.STAFF,
            start=datetime.date(2026, 5, 1),
            end=datetime.date(2026, 4, 1),
        )


def test_a_profile_address_never_takes_a_path_of_the_directory(reference_data):
    assert _association(name="Carte").slug == "carte-2"
    assert _association(name="Espace").slug == "espace-2"
