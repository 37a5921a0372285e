"""Accounts in a real browser: sign-up, confirmation, login, profile; staff with TOTP."""

import re

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from playwright.sync_api import expect

from tests.access import PASSWORD, make_user


def _submit(page, axe_check):
    """Send the page's main form and check the page reached."""
    with page.expect_navigation():
        page.get_by_role("main").locator("form:has(button[type=submit])").first.locator(
            "button[type=submit]"
        ).first.click()
    axe_check(page)


def _log_in(page, visit, axe_check, email, password=PASSWORD):
    visit(page, "/compte/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    _submit(page, axe_check)


def test_sign_up_confirm_then_log_in(page, visit, axe_check):
    visit(page, "/compte/signup/")
    page.locator("input[name=email]").fill("awa.diop@example.org")
    page.locator("input[name=password1]").fill("azerty")
    page.locator("input[name=password2]").fill("azerty")
    _submit(page, axe_check)

    # A weak password: the errors are listed at the top and tied to the field.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Mot de passe")
    expect(page.locator("input[name=password1]")).to_have_attribute("aria-invalid", "true")
    assert mail.outbox == []

    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    _submit(page, axe_check)
    expect(page.get_by_role("heading", level=1)).to_contain_text("adresse")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    visit(page, link)
    _submit(page, axe_check)
    expect(page).to_have_url(re.compile(r"/compte/profil/$"))

    page.get_by_label("Prénom").fill("Awa")
    page.get_by_label(re.compile("^Nom")).fill("Diop")
    _submit(page, axe_check)
    expect(page.get_by_role("status")).to_contain_text("enregistré")
    expect(page.get_by_label("Prénom")).to_have_value("Awa")

    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    axe_check(page)
    _log_in(page, visit, axe_check, "awa.diop@example.org")
    expect(page).to_have_url(re.compile(r"/compte/profil/$"))


def test_staff_log_in_with_a_totp_code(page, visit, axe_check):
    staff = make_user("staff", totp=False, verified=True)
    secret = pyotp.random_base32()
    TOTP.activate(staff, secret)

    _log_in(page, visit, axe_check, staff.email)
    expect(page).to_have_url(re.compile(r"/compte/2fa/authenticate/$"))
    page.locator("input[name=code]").fill("000000")
    _submit(page, axe_check)
    expect(page.get_by_role("main")).to_contain_text("Code incorrect")

    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, axe_check)
    visit(page, "/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace de gestion")


def test_staff_enrol_totp_at_their_first_staff_page(page, visit, axe_check):
    staff = make_user("administrator", totp=False, verified=True)
    _log_in(page, visit, axe_check, staff.email)

    visit(page, "/gestion/")  # sent to the enrolment page, which asks for the password again
    expect(page).to_have_url(re.compile(r"/compte/reauthenticate/"))
    page.locator("input[name=password]").fill(PASSWORD)
    _submit(page, axe_check)
    expect(page).to_have_url(re.compile(r"/compte/2fa/totp/activate/$"))
    key = page.locator("#authenticator_secret").input_value()  # shown beside the QR code
    page.locator("input[name=code]").fill(pyotp.TOTP(key).now())
    _submit(page, axe_check)
    expect(page.get_by_role("main")).to_contain_text("codes")
    visit(page, "/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace de gestion")
