"""Registering in a real browser: a visitor registers, sees the confirmation with the QR code,
then the staff checks the attendee in at the door by searching the name — axe-clean."""

# ruff: noqa: F811 (the engagement fixtures, imported, are parameters of the test)

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from maillage.engagement.models import Attendee, Registration
from tests.e2e.test_governance_door import _staff_log_in
from tests.engagement.conftest import event_factory  # noqa: F401 (fixture)


def test_register_then_check_in_by_search(page, visit, axe_check, event_factory):
    event = event_factory(title="Rencontre régionale de la solidarité internationale", capacity=10)
    visit(page, reverse("engagement:register", args=[event.slug]))
    page.locator("input[name='attendees-0-first_name']").fill("Awa")
    page.locator("input[name='attendees-0-last_name']").fill("Diallo")
    page.locator("input[name='attendees-0-email']").fill("awa@example.org")
    page.locator("input[name=email]").fill("awa@example.org")
    with page.expect_navigation():
        page.locator("button[name=action][value=register]").click()
    axe_check(page)
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    with translation.override("fr"):
        confirmed = str(registration.get_status_display())
        checked_in = _("Checked in at %(time)s") % {"time": ""}
    expect(page.locator("dd strong")).to_have_text(confirmed)
    qr = page.locator(".registration-qr svg[role=img]")
    expect(qr).to_be_visible()
    assert qr.get_attribute("aria-label")
    expect(page.locator("code")).to_have_text(str(registration.token))

    page.context.clear_cookies()
    _staff_log_in(page, visit, axe_check)
    visit(page, reverse("engagement_staff:check_in", args=[event.pk]))
    page.locator("input[name=q]").fill("diallo")
    with page.expect_navigation():
        page.get_by_role("search").locator("button[type=submit]").click()
    axe_check(page)
    with page.expect_navigation():
        page.locator(".check-in-results button[type=submit]").click()
    axe_check(page)
    expect(page.locator(".check-in-results")).to_contain_text(checked_in.strip())
    assert Attendee.objects.get().checked_in_at is not None
    visit(page, reverse("engagement_staff:participants", args=[event.pk]))
    expect(page.locator("table").last).to_contain_text("awa@example.org")
