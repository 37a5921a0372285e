"""The directory's map in a real browser: accessible, markers clustered and reachable with the
keyboard, the « Région / Monde » views with their legend, the tables of counts, and the filters
kept between the list and the map."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.directory.test_pages import _organisation
from tests.e2e.conftest import CHECKOUT

EMPTY = "#f5f5f5"  # the fill of an outline where no organisation matches (map.js)
WORLD = json.loads((CHECKOUT / "src/maillage/core/static/vendor/world-atlas/countries-110m.json").read_text())


@pytest.fixture
def directory(reference_data):
    _organisation("Eau Vive Occitanie", countries=["SN", "BF"], themes=["eau-assainissement"])
    _organisation("Solidarité Biterroise", commune="34032", countries=["MG"], themes=["sante"])
    _organisation("Université de Montpellier", commune="34172", category="universite", countries=["SN", "MA"])
    _organisation("Montpellier Solidarité", commune="34172")  # the same point as the university
    _organisation("Lattes Coopération", commune="34129")  # five kilometres south of Montpellier


def test_the_markers_are_clustered_and_reached_with_the_keyboard(page, visit, axe_check, directory):
    visit(page, "/annuaire/carte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte de l’annuaire")
    expect(page.get_by_role("status")).to_have_text("5 organisations, 5 sur la carte")
    # Montpellier and Lattes are one cluster at the scale of the région; Toulouse, Béziers alone.
    cluster = page.get_by_role("button", name="3 organisations — zoomer")
    expect(cluster).to_be_visible()
    expect(page.get_by_role("button", name="Eau Vive Occitanie")).to_be_visible()
    marker = page.get_by_role("button", name="Solidarité Biterroise")
    expect(marker).to_be_visible()
    expect(page.locator(".map-legend")).to_contain_text("Organisations par département")
    expect(page.get_by_role("button", name="Zoomer", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name="Hérault (34) 4")).to_be_visible()
    expect(page.get_by_role("row", name="Haute-Garonne (31) 1")).to_be_visible()
    axe_check(page)  # with the markers drawn

    # Enter on a cluster zooms in and gives the focus to the map.
    cluster.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#directory-map")).to_be_focused()
    expect(page.get_by_role("button", name="Lattes Coopération")).to_be_visible()
    same_place = page.get_by_role("button", name="2 organisations au même endroit — les afficher")
    expect(same_place).to_be_visible()
    axe_check(page)

    # A marker opens a popup whose link gets the focus; Escape gives it back to the marker.
    marker = page.get_by_role("button", name="Lattes Coopération")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup").get_by_role("link", name="Lattes Coopération")
    expect(link).to_be_focused()
    axe_check(page)
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()

    # Space on organisations at the same place spreads them out.
    # (once the map has ended its zoom: a cluster ignores a click while the map animates)
    page.wait_for_function("() => !document.querySelector('#directory-map.leaflet-zoom-anim')")
    same_place.focus()
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="Université de Montpellier")).to_be_visible()
    expect(page.get_by_role("button", name="Montpellier Solidarité")).to_be_visible()
    axe_check(page)


def test_the_world_view_colours_the_countries_of_intervention(page, visit, axe_check, directory):
    visit(page, "/annuaire/carte/")
    views = page.get_by_role("group", name="Vue de la carte")
    region, world = views.get_by_role("button", name="Région"), views.get_by_role("button", name="Monde")
    expect(region).to_have_attribute("aria-pressed", "true")
    expect(world).to_have_attribute("aria-pressed", "false")
    countries = page.get_by_role("table", name="Pays d’intervention")
    expect(countries.get_by_role("row")).to_have_count(5)  # the header and four countries
    expect(countries.get_by_role("row", name="Sénégal 2")).to_be_visible()
    expect(countries.get_by_role("row", name="Madagascar 1")).to_be_visible()

    world.focus()
    page.keyboard.press("Enter")
    expect(world).to_have_attribute("aria-pressed", "true")
    expect(region).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".map-legend")).to_contain_text("Organisations par pays d’intervention")
    # Every country has its outline (Antarctica aside); those of the table are coloured.
    outlines = [
        country for country in WORLD["objects"]["countries"]["geometries"] if country.get("id") != "010"
    ]
    expect(page.locator("#directory-map .leaflet-overlay-pane path")).to_have_count(len(outlines))
    expect(page.locator(f'#directory-map .leaflet-overlay-pane path:not([fill="{EMPTY}"])')).to_have_count(4)
    expect(page.locator("#directory-map .leaflet-marker-icon")).to_have_count(0)
    axe_check(page)

    region.click()
    expect(region).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Eau Vive Occitanie")).to_be_visible()
    expect(page.locator(".map-legend")).to_contain_text("Organisations par département")


def test_the_filters_are_kept_between_the_map_and_the_list(page, visit, axe_check, directory):
    visit(page, "/annuaire/carte/")
    with page.expect_navigation():
        page.get_by_role("checkbox", name=re.compile("^Santé")).check()
        page.get_by_role("button", name="Filtrer").click()
    axe_check(page)
    expect(page).to_have_url(re.compile(r"/annuaire/carte/\?.*theme=sante"))
    expect(page.locator("#directory-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.get_by_role("button", name="Solidarité Biterroise")).to_be_visible()
    countries = page.get_by_role("table", name="Pays d’intervention")
    expect(countries.get_by_role("row")).to_have_count(2)
    expect(countries.get_by_role("row", name="Madagascar 1")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Voir la liste").click()
    axe_check(page)
    expect(page).to_have_url(re.compile(r"/annuaire/\?.*theme=sante"))
    expect(page.locator("#results ol.results h2")).to_have_text(["Solidarité Biterroise"])
