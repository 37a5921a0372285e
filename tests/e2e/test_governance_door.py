"""The assembly's day in a real browser: at the door a staff member finds a member by name and
signs it in, and the projector's quorum follows (htmx) — the door, the projector and the
member's assembly page axe-clean."""

# ruff: noqa: F811 (the governance fixtures, imported, are parameters of the test)

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from maillage.governance.models import Participation
from maillage.governance.services.assemblies import quorum
from tests.access import PASSWORD, make_user
from tests.e2e.test_accounts import _log_in, _submit
from tests.governance.conftest import assembly, convened, paid_member  # noqa: F401 (fixtures)
from tests.membership.conftest import documents, make_member, staff, year  # noqa: F401 (fixtures)


def _staff_log_in(page, visit, axe_check):
    user = make_user("staff", email="accueil@example.org", totp=False, verified=True)
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    visit(page, "/compte/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    _submit(page, axe_check)
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, axe_check)


def test_the_door_signs_a_member_in_and_the_projector_follows(
    page, visit, axe_check, convened, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    assembly, p = convened
    _staff_log_in(page, visit, axe_check)

    projector = page.context.new_page()
    visit(projector, reverse("governance_staff:projector", args=[assembly.pk]))
    present = projector.locator("[data-quorum=present]")
    expect(present).to_have_text(str(quorum(assembly).present))
    expect(projector.locator("[data-quorum=met]")).to_have_class("quorum-state quorum-not-met")

    visit(page, reverse("governance_staff:door", args=[assembly.pk]))
    page.locator("#door-q").fill("alpha")
    with page.expect_navigation():
        page.locator("form.door-search button[type=submit]").click()
    axe_check(page)
    results = page.locator(".door-member")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Association Alpha")
    with page.expect_navigation():
        results.locator("button[value=sign_in]").click()
    axe_check(page)
    expect(page.get_by_role("status")).to_contain_text("Association Alpha")
    p["A"].refresh_from_db()
    assert p["A"].present

    # The projector refreshes itself (htmx, every 5 s): the new arrival is counted.
    expect(present).to_have_text(str(quorum(assembly).present))
    axe_check(projector)


def test_a_member_answers_on_its_assembly_page(new_page, visit, axe_check, convened):
    assembly, p = convened
    editor = p["C"].organisation.editors.first()
    editor.emailaddress_set.create(email=editor.email, verified=True, primary=True)
    page = new_page()
    _log_in(page, visit, axe_check, editor.email)
    visit(page, reverse("governance:assembly", args=[assembly.pk]))
    page.locator("input[name=answer][value=proxy]").check()
    page.locator("select[name=proxy_holder]").select_option(str(p["D"].pk))
    with page.expect_navigation():
        page.locator(".participation button[type=submit]").click()
    axe_check(page)
    with translation.override("fr"):
        proxy = str(Participation.Answer.PROXY.label)
    expect(page.locator(".participation-answer")).to_have_text(proxy)
    p["C"].refresh_from_db()
    assert p["C"].proxy_holder == p["D"]
