"""Applying for membership in a real browser, axe-clean: a logged-in user applies for a new
organisation, after a first try the form refuses."""

import datetime

from playwright.sync_api import expect

from maillage.directory.models import Category, Organisation
from maillage.membership.models import Application, GoverningDocument
from tests.access import PASSWORD, make_user
from tests.e2e.test_accounts import _log_in, _submit


def test_a_user_applies_for_a_new_organisation(page, visit, axe_check, reference_data):
    for kind, title in (("statutes", "Statuts"), ("charter", "Charte")):
        GoverningDocument.objects.create(
            kind=kind,
            version="2020",
            title=title,
            body="Article 1 — …",
            in_force_from=datetime.date(2020, 1, 1),
        )
    user = make_user("registered", email="awa.diop@example.org", verified=True)
    _log_in(page, visit, axe_check, user.email, PASSWORD)
    visit(page, "/adhesion/")
    page.locator("summary", has_text="Statuts").click()
    expect(page.get_by_text("Article 1 — …").first).to_be_visible()

    page.locator("input[name='new-name']").fill("Jumelages Rodez-Sahel")
    page.locator("select[name='new-category']").select_option(
        str(Category.objects.get(slug="association").pk)
    )
    page.locator("input[name='new-commune_query']").fill("Rodez (12000)")
    page.locator("input[name=size]").fill("-5")
    page.locator("input[name='titulaire-first_name']").fill("Awa")
    page.locator("input[name='titulaire-last_name']").fill("Diop")
    page.locator("input[name='titulaire-email']").fill("awa.diop@example.org")
    page.locator("input[name=accept_statutes]").check()
    page.locator("input[name=accept_charter]").check()
    _submit(page, axe_check)
    expect(page.get_by_role("alert")).to_contain_text("supérieure ou égale à 0")
    assert not Organisation.objects.filter(name="Jumelages Rodez-Sahel").exists()

    page.locator("input[name=size]").fill("12000")
    page.locator("input[name=accept_statutes]").check()
    page.locator("input[name=accept_charter]").check()
    _submit(page, axe_check)
    expect(page.get_by_role("status")).to_contain_text("Jumelages Rodez-Sahel")
    application = Application.objects.get()
    assert (application.organisation.name, application.size) == ("Jumelages Rodez-Sahel", 12000)
    assert application.status == Application.Status.SUBMITTED
