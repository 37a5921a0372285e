"""The observatory's public pages in a real browser: the home, the list of projects filtered
by htmx without reloading the page, and a project's page with its map; axe on every page.
(Without JavaScript the list is a plain GET form: ``tests/observatory/test_public_pages.py``.)"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from maillage.observatory.models import Project
from maillage.observatory.services import project_save
from tests.observatory.conftest import actors, project, project_data  # noqa: F401 — fixtures


@pytest.fixture
def published(project_data, project):  # noqa: F811 — the fixtures imported above
    other = project_save(
        project_data(
            title="Centre de santé d’Antsirabe",
            countries=[("MG", None)],
            sectors=[("1", "12220", None)],
            planned_start=datetime.date(2024, 1, 1),
            actual_start=None,
            locations=[{"name": "Antsirabe", "latitude": -19.87, "longitude": 47.03}],
        ),
        status=Project.Status.PUBLISHED,
    )
    project_save(project_data(title="Brouillon secret"), status=Project.Status.DRAFT)
    return {"podor": project, "antsirabe": other}


def test_the_home_the_list_a_filter_and_a_project_page(page, visit, axe_check, published):
    visit(page, "/observatoire/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    with page.expect_navigation():
        page.locator('main a[href="/observatoire/projets/"]').first.click()
    axe_check(page)
    results = page.locator("#results ol.results h2")
    expect(results).to_have_count(2)
    expect(page.locator("#results")).not_to_contain_text("Brouillon secret")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("checkbox", name=re.compile("^Madagascar")).check()
    expect(page).to_have_url(re.compile(r"/observatoire/projets/\?.*country=MG"))
    expect(results).to_have_text(["Centre de santé d’Antsirabe"])
    expect(page.get_by_role("checkbox", name=re.compile("^Madagascar"))).to_be_checked()
    assert page.evaluate("window.stillTheSamePage === true")  # htmx swapped the results
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Centre de santé d’Antsirabe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre de santé d’Antsirabe")
    expect(page.locator("#project-map")).to_be_visible()  # drawn by Leaflet, no tile server
    expect(page.locator("#project-map path.leaflet-interactive, #project-map path")).not_to_have_count(0)
    axe_check(page)
