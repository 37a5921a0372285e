"""The import of organisations in a real browser: a staff member logs in with a TOTP code, uploads
a file, checks the columns, reads the preview and imports the valid rows."""

import re
from pathlib import Path

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from maillage.core.reference import reference_load
from maillage.directory.models import ImportRun, Organisation
from tests.access import PASSWORD, make_user

FILE = Path(__file__).parents[1] / "directory" / "files" / "organisations.csv"


def _submit(page, axe_check):
    with page.expect_navigation():
        page.get_by_role("main").locator("form:has(button[type=submit])").first.locator(
            "button[type=submit]"
        ).first.click()
    axe_check(page)


def test_staff_import_a_file_from_upload_to_commit(page, visit, axe_check):
    reference_load()
    staff = make_user("staff", totp=False)
    staff.emailaddress_set.create(email=staff.email, verified=True, primary=True)
    secret = pyotp.random_base32()
    TOTP.activate(staff, secret)
    visit(page, "/compte/login/")
    page.locator("input[name=login]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    _submit(page, axe_check)
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, axe_check)

    # Step 1: the file.
    visit(page, "/gestion/annuaire/imports/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des organisations")
    page.get_by_label("Fichier").set_input_files(FILE)
    _submit(page, axe_check)

    # Step 2: the columns, guessed from the headers.
    expect(page).to_have_url(re.compile(r"/gestion/annuaire/imports/\d+/colonnes/$"))
    expect(page.locator("select[name=college]")).to_have_value("6")
    _submit(page, axe_check)

    # Step 3: the preview; nothing is written yet.
    expect(page).to_have_url(re.compile(r"/apercu/$"))
    expect(page.get_by_role("main")).to_contain_text("Collège inconnu\u00a0: «\u00a0sportif\u00a0»")
    assert Organisation.objects.count() == 0

    # Step 4: without choosing the valid rows only, nothing is imported.
    _submit(page, axe_check)
    expect(page.get_by_role("status")).to_contain_text("rien n’a été importé")
    assert Organisation.objects.count() == 0
    page.get_by_label("Importer seulement les lignes valides").check()
    _submit(page, axe_check)

    expect(page).to_have_url(re.compile(r"/gestion/annuaire/imports/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Le fichier a été importé.")
    assert sorted(Organisation.objects.values_list("name", flat=True)) == [
        "Ancien Réseau",
        "Eau Vive Occitanie",
        "Maison des Solidarités",
        "Université de Rodez",
    ]
    assert ImportRun.objects.get().status == "committed"
