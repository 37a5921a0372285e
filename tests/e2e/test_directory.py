"""The public directory in a real browser: accessible pages, facets applied by htmx without
reloading the page, the URL that follows, and the back button."""

import re

import pytest
from playwright.sync_api import expect

from maillage.directory.services import affiliation_add, person_create, person_give_consent
from tests.directory.test_pages import _organisation


@pytest.fixture
def directory(reference_data):
    eau = _organisation(
        "Eau Vive Occitanie", acronym="EVO", countries=["SN"], themes=["eau-assainissement"], sdgs=[6]
    )
    _organisation("Solidarité Biterroise", commune="34032", themes=["sante"])
    _organisation("Université de Montpellier", commune="34172", category="universite", countries=["MA"])
    awa = person_create(first_name="Awa", last_name="Diallo", email="awa@example.org", job_title="Présidente")
    person_give_consent(person=awa, wording="J’accepte que mes coordonnées figurent dans l’annuaire.")
    affiliation_add(person=awa, organisation=eau, role="legal")
    return {"eau": eau}


def _results(page):
    return page.locator("#results ol.results h2")


def test_the_directory_and_a_profile_are_accessible(page, visit, directory):
    visit(page, "/annuaire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des acteurs")
    expect(page.get_by_role("status")).to_have_text("3 organisations")
    expect(page.get_by_role("group", name="Collège")).to_be_visible()

    visit(page, f"/annuaire/{directory['eau'].slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eau Vive Occitanie (EVO)")
    expect(page.get_by_role("link", name="awa@example.org")).to_be_visible()


def test_a_facet_updates_the_results_and_the_url_and_back_restores_the_list(
    page, visit, axe_check, directory
):
    visit(page, "/annuaire/")
    expect(_results(page)).to_have_count(3)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("checkbox", name=re.compile("^Acteurs publics")).check()
    expect(page).to_have_url(re.compile(r"/annuaire/\?.*college=public"))
    expect(_results(page)).to_have_text(["Université de Montpellier"])
    expect(page.get_by_role("status")).to_have_text("1 organisation")
    # Counts of the other facets follow; the ticked box stays ticked.
    expect(page.get_by_role("checkbox", name=re.compile("^Acteurs publics"))).to_be_checked()
    expect(page.get_by_role("group", name="Département")).to_contain_text("Hérault (34) (1)")
    assert page.evaluate("window.stillTheSamePage === true")  # no reload: htmx swapped the results
    axe_check(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/annuaire/$"))
    expect(_results(page)).to_have_count(3)
    expect(page.get_by_role("checkbox", name=re.compile("^Acteurs publics"))).not_to_be_checked()
    axe_check(page)
