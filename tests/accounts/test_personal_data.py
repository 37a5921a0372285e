"""A person downloads the personal data held about them, and erases it."""

import json

from django.urls import reverse

from maillage.accounts.models import User
from maillage.directory.models import Affiliation, Category, Person
from maillage.directory.services import (
    affiliation_add,
    organisation_create,
    person_create,
    person_give_consent,
)
from tests.access import LOGIN, PASSWORD, assert_access, db_snapshot

LOGGED_IN = dict.fromkeys(
    ["registered", "organisation_editor", "staff", "administrator", "elected", "auditor"], 200
)


def _awa_in_the_directory(user):
    organisation = organisation_create(
        name="Les Amis de Ziguinchor",
        college="associative",
        category=Category.objects.get(slug="association"),
    )
    person = person_create(
        first_name="Awa", last_name="Diop", email="awa@example.org", phone="06 12 34 56 78", user=user
    )
    person_give_consent(person=person, wording="J’accepte la publication de mes coordonnées.")
    affiliation_add(person=person, organisation=organisation, role=Affiliation.Role.REPRESENTATIVE)
    organisation.editors.add(user)
    return person


def test_the_pages_need_a_login(client, users):
    assert_access(client, users, reverse("accounts:personal_data"), expected={"visitor": LOGIN, **LOGGED_IN})
    assert_access(client, users, reverse("accounts:erase"), expected={"visitor": LOGIN, **LOGGED_IN})


def test_download_gives_the_account_and_the_directory_record_as_json(client, users):
    user = users["organisation_editor"]
    _awa_in_the_directory(user)
    client.force_login(user)
    response = client.get(reverse("accounts:personal_data"), {"format": "json"})

    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-maillage.json"'
    data = json.loads(response.content)
    assert data["accounts"]["email"] == user.email
    assert data["accounts"]["roles"] == ["organisation_editor"]
    assert data["directory"]["person"]["phone"] == "06 12 34 56 78"
    assert data["directory"]["person"]["affiliations"][0]["organisation"] == "Les Amis de Ziguinchor"
    assert data["directory"]["organisations_edited"] == ["Les Amis de Ziguinchor"]


def test_a_wrong_password_erases_nothing(client, users):
    client.force_login(users["registered"])
    before = db_snapshot()
    response = client.post(reverse("accounts:erase"), {"password": "pas le bon"})
    assert response.status_code == 200
    assert "Ce n’est pas votre mot de passe." in response.content.decode()
    assert db_snapshot() == before


def test_erasure_anonymises_the_account_the_record_and_their_history(client, users):
    user = users["organisation_editor"]
    person = _awa_in_the_directory(user)
    client.force_login(user)

    response = client.post(reverse("accounts:erase"), {"password": PASSWORD})

    assert response.status_code == 302 and response.url == reverse("core:home")
    user.refresh_from_db()
    assert user.erased_at is not None and not user.is_active and not user.has_usable_password()
    assert user.email == f"supprime-{user.pk}@anonyme.invalid"
    assert not user.groups.exists() and not user.edited_organisations.exists()
    assert "organisation_editor@example.org" not in {row.email for row in User.history.all()}
    assert user.history.first().history_change_reason == "erasure"

    person.refresh_from_db()
    assert (person.first_name, person.email, person.phone, person.user) == ("Personne", "", "", None)
    assert person.public_consent_at is None
    assert not Person.history.filter(first_name="Awa").exists()
    assert not Person.history.filter(phone="06 12 34 56 78").exists()
    assert person.affiliations.count() == 1  # the organisation keeps the link, anonymous
    assert client.get(reverse("accounts:profile")).status_code == 302  # logged out
    assert not client.login(username="organisation_editor@example.org", password=PASSWORD)
