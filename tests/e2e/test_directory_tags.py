"""Tags in a real browser: an administrator selects organisations in the administration, chooses
« Ajouter une étiquette », types a new tag on the intermediate page and confirms."""

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from maillage.core.models import Commune
from maillage.core.reference import reference_load
from maillage.directory.models import Category, Tag
from maillage.directory.services import organisation_create
from tests.access import PASSWORD, make_user


def _submit(page, axe_check, button):
    with page.expect_navigation():
        button.click()
    axe_check(page)


def test_an_administrator_tags_organisations_in_bulk(page, visit, axe_check):
    reference_load()
    category = Category.objects.get(slug="association")
    toulouse = Commune.objects.get(code="31555")
    alpha, beta = (
        organisation_create(name=name, college=category.college, category=category, commune=toulouse)
        for name in ("Alpha", "Bêta")
    )
    admin = make_user("administrator", totp=False, verified=True)
    secret = pyotp.random_base32()
    TOTP.activate(admin, secret)
    visit(page, "/compte/login/")
    page.locator("input[name=login]").fill(admin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    _submit(page, axe_check, page.get_by_role("main").locator("button[type=submit]").first)
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, axe_check, page.get_by_role("main").locator("button[type=submit]").first)

    visit(page, "/admin/directory/organisation/")
    page.locator(f"input[name=_selected_action][value='{alpha.pk}']").check()
    page.locator(f"input[name=_selected_action][value='{beta.pk}']").check()
    page.locator("select[name=action]").select_option("add_tag")
    _submit(page, axe_check, page.locator("button[name=index]"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une étiquette")
    page.get_by_label("Ou une nouvelle étiquette").fill("Festisol 2026")
    _submit(page, axe_check, page.get_by_role("button", name="Ajouter une étiquette"))

    expect(page.locator(".messagelist")).to_contain_text("Festisol 2026")
    tag = Tag.objects.get()
    assert set(tag.organisations.all()) == {alpha, beta}
