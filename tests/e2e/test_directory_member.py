"""The member space and the moderation in a real browser, axe-clean."""

import io
import re

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from PIL import Image
from playwright.sync_api import expect

from maillage.directory.models import Category, Revision
from maillage.directory.services import organisation_create
from tests.access import PASSWORD, make_user
from tests.e2e.test_accounts import _log_in, _submit


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (120, 60), (0, 90, 160)).save(output, format="PNG")
    return output.getvalue()


def test_an_editor_proposes_a_change_and_the_staff_approve_it(
    page, new_page, visit, axe_check, reference_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = organisation_create(
        name="Les Amis de Ziguinchor",
        college="associative",
        category=Category.objects.get(slug="association"),
        commune_id="12202",
        status="published",
    )
    editor = make_user("organisation_editor", verified=True)
    organisation.editors.add(editor)

    _log_in(page, visit, axe_check, editor.email, PASSWORD)
    visit(page, "/annuaire/espace/")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Les Amis de Ziguinchor")).click()
    axe_check(page)
    page.locator("textarea[name=description]").fill("Des jumelages scolaires avec la Casamance.")
    page.locator("input[name=logo]").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _png()}
    )
    _submit(page, axe_check)
    expect(page.get_by_role("status")).to_be_visible()
    assert Revision.objects.filter(status="pending").count() == 1

    staff = make_user("staff", totp=False, verified=True)
    secret = pyotp.random_base32()
    TOTP.activate(staff, secret)
    staff_page = new_page()
    _log_in(staff_page, visit, axe_check, staff.email, PASSWORD)
    staff_page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(staff_page, axe_check)
    visit(staff_page, "/gestion/annuaire/moderation/")
    with staff_page.expect_navigation():
        staff_page.get_by_role("link", name="Les Amis de Ziguinchor").click()
    axe_check(staff_page)
    expect(staff_page.get_by_role("table")).to_contain_text("Des jumelages scolaires avec la Casamance.")
    proposed = staff_page.get_by_role("img", name=re.compile("(Logo proposé pour|Proposed logo of) Les Amis"))
    expect(proposed).to_be_visible()
    assert proposed.evaluate("image => image.complete && image.naturalWidth") == 120  # served
    with staff_page.expect_navigation():
        staff_page.locator("button[name=approve]").click()
    axe_check(staff_page)
    organisation.refresh_from_db()
    assert organisation.description == "Des jumelages scolaires avec la Casamance."
    assert organisation.logo.name.startswith("logos/")
    visit(staff_page, f"/annuaire/{organisation.slug}/")
    logo = staff_page.get_by_role("img", name=re.compile("(Logo de|Logo of) Les Amis de Ziguinchor"))
    assert logo.evaluate("image => image.complete && image.naturalWidth") == 120
    visit(page, f"/annuaire/espace/{organisation.slug}/modifier/")  # the logo and its removal, axe-clean
    expect(page.locator("input[name=remove_logo]")).to_be_visible()
