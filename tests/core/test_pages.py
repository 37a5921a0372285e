"""The page shell: public pages, language switch, error pages."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import assert_access, db_snapshot

PUBLIC_PAGES = ["core:home", "core:legal_notice", "core:accessibility", "core:personal_data"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_are_open_to_every_role(client, users, name):
    assert_access(client, users, reverse(name), expected=dict.fromkeys(users, 200))


def test_the_shell_has_landmarks_skip_link_navigation_and_footer(client, db):
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="fr">' in page
    assert '<a class="skip-link" href="#contenu">' in page and '<main id="contenu"' in page
    assert page.count("<nav ") >= 1 and "<header" in page and "<footer" in page
    for path in ("/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"):
        assert f'href="{path}"' in page


def test_the_language_switch_changes_the_interface_and_comes_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accessibilite/"})
    assert response.status_code == 302 and response.url == "/accessibilite/"
    english = client.get("/accessibilite/").content.decode()
    assert '<html lang="en">' in english and "Accessibility statement" in english
    assert 'value="fr" lang="fr"' in english  # the switch now offers French

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_an_unknown_url_gets_the_404_page_in_the_shell(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert '<main id="contenu"' in response.content.decode()
    assert "<h1>Page introuvable</h1>" in response.content.decode()


def test_a_post_without_csrf_token_is_refused_with_an_explanation_and_writes_nothing(db):
    client = Client(enforce_csrf_checks=True)
    before = db_snapshot()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "awa@example.org",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 403
    assert '<main id="contenu"' in response.content.decode()
    assert "<h1>Formulaire expiré</h1>" in response.content.decode()
    assert db_snapshot() == before


def test_the_home_page_names_the_network_region(client, reference_data, django_assert_num_queries):
    with django_assert_num_queries(2):  # the région and its départements
        page = client.get(reverse("core:home")).content.decode()
    assert "Occitanie compte 13 départements, qui accueillent tous des acteurs" in page
