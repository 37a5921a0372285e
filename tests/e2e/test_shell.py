"""The page shell in a real browser: landmarks, skip link, language switch, legal pages, error page,
small screens. Every page visited is checked with axe-core (see conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

SHELL_PAGES = ["/", "/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"]


def test_home_page(page, visit):
    visit(page, "/")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main")).to_have_attribute("id", "contenu")

    # The skip link is the first thing the keyboard reaches, and moves the focus to the content.
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#contenu")
    expect(skip_link).to_be_in_viewport()  # visible once focused
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()

    navigation = page.get_by_role("banner").get_by_role("navigation")
    expect(navigation).to_have_count(1)
    expect(navigation).to_have_accessible_name(re.compile(r"\S"))

    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name="Mentions légales")).to_have_attribute(
        "href", "/mentions-legales/"
    )
    expect(footer.get_by_role("link", name="Données personnelles")).to_have_attribute(
        "href", "/donnees-personnelles/"
    )
    expect(footer.get_by_role("link", name=re.compile("^Accessibilité"))).to_have_attribute(
        "href", "/accessibilite/"
    )


def test_language_switch(page, visit, axe_check):
    visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="English").click()
    axe_check(page)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to content")).to_have_attribute("href", "#contenu")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Legal notice")).to_be_visible()

    # The choice sticks for the next pages.
    visit(page, "/mentions-legales/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="Français").click()
    axe_check(page)
    expect(page).to_have_url(re.compile(r"/mentions-legales/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Mentions légales")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("button", name="English")).to_be_visible()


@pytest.mark.parametrize("path", SHELL_PAGES[1:])
def test_legal_pages(page, visit, path):
    visit(page, path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_page_not_found(page, visit):
    visit(page, "/cette-page-n-existe-pas/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main").get_by_role("link", name=re.compile(r"\S"))).to_have_attribute(
        "href", "/"
    )


@pytest.mark.parametrize("path", SHELL_PAGES)
def test_no_horizontal_scroll_at_320_px(page, visit, path):
    page.set_viewport_size({"width": 320, "height": 640})
    visit(page, path)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"{path} is {scroll_width} px wide at a 320 px viewport (WCAG 1.4.10)"


def test_demo_banner(page, visit, settings):
    # `make run` relaxes staff MFA and says so on every page: the warning must be accessible too.
    settings.MAILLAGE_STAFF_MFA = "relaxed"
    visit(page, "/")
    expect(page.locator(".demo-banner")).to_be_visible()
