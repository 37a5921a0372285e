"""The directory's map in a real browser: accessible, markers drawn, the table of counts, and
the filters kept between the list and the map."""

import re

import pytest
from playwright.sync_api import expect

from tests.directory.test_pages import _organisation


@pytest.fixture
def directory(reference_data):
    _organisation("Eau Vive Occitanie", themes=["eau-assainissement"])
    _organisation("Solidarité Biterroise", commune="34032", themes=["sante"])
    _organisation("Université de Montpellier", commune="34172", category="universite")


def test_the_map_draws_the_markers_and_the_table_gives_the_counts(page, visit, axe_check, directory):
    visit(page, "/annuaire/carte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte de l’annuaire")
    expect(page.get_by_role("status")).to_have_text("3 organisations, 3 sur la carte")
    expect(page.locator("#directory-map path.leaflet-interactive")).to_have_count(3)
    expect(page.get_by_role("row", name="Hérault (34) 2")).to_be_visible()
    expect(page.get_by_role("row", name="Haute-Garonne (31) 1")).to_be_visible()
    axe_check(page)  # with the markers drawn

    # A marker is reached with the keyboard and opens a popup linking to the profile.
    page.get_by_role("button", name="Solidarité Biterroise").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup").get_by_role("link", name="Solidarité Biterroise")).to_be_visible()
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("checkbox", name=re.compile("^Santé")).check()
        page.get_by_role("button", name="Filtrer").click()
    axe_check(page)
    expect(page).to_have_url(re.compile(r"/annuaire/carte/\?.*theme=sante"))
    expect(page.locator("#directory-map path.leaflet-interactive")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("link", name="Voir la liste").click()
    axe_check(page)
    expect(page).to_have_url(re.compile(r"/annuaire/\?.*theme=sante"))
    expect(page.locator("#results ol.results h2")).to_have_text(["Solidarité Biterroise"])
