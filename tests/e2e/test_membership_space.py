"""The member space in a real browser: a member logs in, sees its status and the link to its
receipt, and changes its representatives — every page axe-clean."""

# ruff: noqa: F811 (the membership fixtures, imported, are parameters of the test)

import datetime
from decimal import Decimal

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from maillage.directory.models import Affiliation
from maillage.membership.models import Dues, Payment
from maillage.membership.selectors import representatives
from maillage.membership.services.payments import payment_record
from maillage.membership.status import Status
from tests.access import make_user
from tests.e2e.test_accounts import _log_in, _submit
from tests.membership.conftest import documents, make_member, staff, year  # noqa: F401 (fixtures)


def test_a_member_sees_its_status_and_changes_its_representatives(
    page,
    visit,
    axe_check,
    make_member,
    year,
    staff,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_user("registered", email="tresoriere@example.org", verified=True)
    membership = make_member("Solidarité Toulouse", editor=editor, on=datetime.date(year.year, 1, 1))
    dues = Dues.objects.get(membership=membership, year=year)
    payment = payment_record(
        dues=dues,
        amount=dues.amount,
        method=Payment.Method.TRANSFER,
        received_on=timezone.localdate(),
        by=staff,
    )
    titulaire = membership.application.representative

    _log_in(page, visit, axe_check, editor.email)
    visit(page, reverse("membership:space"))
    with translation.override("fr"):
        up_to_date = str(Status.UP_TO_DATE.label)
    expect(page.locator(".member-status")).to_contain_text(up_to_date)
    receipt_url = reverse("membership:receipt_pdf", args=[payment.receipt.pk])
    expect(page.locator(f"a[href='{receipt_url}']")).to_have_count(1)

    with page.expect_navigation():
        page.locator(f"a[href='{reverse('membership:representatives', args=[membership.pk])}']").click()
    axe_check(page)
    page.locator("select[name=representative]").select_option("")
    page.locator("input[name=representative_first_name]").fill("Awa")
    page.locator("input[name=representative_last_name]").fill("Diop")
    page.locator("input[name=representative_email]").fill("awa.diop@example.org")
    page.locator("select[name=deputy]").select_option(str(titulaire.pk))
    _submit(page, axe_check)
    assert page.url.endswith(reverse("membership:space"))
    expect(page.get_by_role("main")).to_contain_text("Awa Diop")
    current = {a.role: a.person for a in representatives(membership.organisation)}
    assert str(current[Affiliation.Role.REPRESENTATIVE]) == "Awa Diop"
    assert current[Affiliation.Role.DEPUTY] == titulaire


def test_the_staff_dashboard_and_member_pages(
    page, visit, axe_check, make_member, year, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    late = make_member("Cités Unies Montpellier", on=datetime.date(year.year, 1, 1))
    dues = Dues.objects.get(membership=late, year=year)
    payment_record(
        dues=dues,
        amount=Decimal("5.00"),
        method=Payment.Method.CASH,
        received_on=timezone.localdate(),
        by=staff,
    )
    officer = make_user("staff", email="chargee.adhesions@example.org", totp=False, verified=True)
    secret = pyotp.random_base32()
    TOTP.activate(officer, secret)
    _log_in(page, visit, axe_check, officer.email)
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, axe_check)
    visit(page, reverse("membership_staff:dashboard"))
    expect(page.locator("#dues-chart svg[aria-hidden=true]")).to_have_count(1)  # the chart, beside its table
    axe_check(page)
    visit(page, reverse("membership_staff:member_list") + "?college=associative")
    with page.expect_navigation():
        page.get_by_role("link", name="Cités Unies Montpellier").click()
    axe_check(page)
    expect(page.get_by_role("main")).to_contain_text(Payment.objects.get().receipt.label)
    visit(page, reverse("membership_staff:member_end", args=[late.pk]))
