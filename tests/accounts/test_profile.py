"""A person manages their profile; each change is kept in the history."""

from django.urls import reverse

from tests.access import LOGIN, assert_access, db_snapshot

EVERYONE_LOGGED_IN = dict.fromkeys(
    ["registered", "organisation_editor", "staff", "administrator", "elected", "auditor"], 200
)


def test_profile_page_needs_a_login(client, users):
    assert_access(
        client, users, reverse("accounts:profile"), expected={"visitor": LOGIN, **EVERYONE_LOGGED_IN}
    )


def test_saving_the_profile_records_who_changed_what(client, users):
    person = users["registered"]
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Awa", "last_name": " Diop ", "language": "en"},
        follow=True,
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.language) == ("Awa", "Diop", "en")
    latest = person.history.latest()
    assert latest.history_user == person
    assert latest.diff_against(latest.prev_record).changed_fields == ["first_name", "language", "last_name"]


def test_an_invalid_profile_is_refused_without_writing(client, users):
    client.force_login(users["registered"])
    before = db_snapshot()
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "A" * 200, "last_name": "Diop", "language": "xx"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page
    assert "au plus 150 caractères" in page
    assert db_snapshot() == before
    assert "A" * 200 not in page.split("<main")[0]  # the header still shows the saved name
