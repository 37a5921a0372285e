"""The commissions in a real browser, axe-clean: the list, a commission's page (public part and
members' part), a meeting, the minutes' page; a logged-in user asks to join and the convener
accepts."""

# ruff: noqa: F811 (the commissions' fixture, imported, is a parameter of the tests)

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from maillage.commissions import services
from maillage.commissions.models import Member
from tests.access import PASSWORD
from tests.commissions.conftest import commission  # noqa: F401 (fixture)
from tests.e2e.test_accounts import _log_in


def _verified(user):
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def _meeting(body, *, days, title):
    starts = timezone.now() + datetime.timedelta(days=days)
    return services.meeting_create(
        commission=body,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Maison des associations, Toulouse",
        video_url="https://visio.example.org/formation",
        agenda="1. Tour de table\n2. Programme de l’année",
    )


def test_commission_and_meeting_pages_are_axe_clean(page, visit, axe_check, commission):
    body = commission["commission"]
    past = _meeting(body, days=-20, title="Réunion de printemps")
    coming = _meeting(body, days=12, title="Réunion d’automne")
    owner = body.members.get(user=commission["member"])
    services.minutes_save(
        meeting=past, minutes="<h2>Échanges</h2><p>Bilan <strong>positif</strong>.</p>", public=True
    )
    services.outcome_add(meeting=past, kind="decision", text="Adopter le programme.")
    services.outcome_add(meeting=past, kind="action", text="Recenser les formations.", owner=owner)

    visit(page, reverse("commissions:index"))
    expect(page.locator("main")).to_contain_text(body.name)
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_attribute(
        "href", reverse("commissions:index")
    )
    with page.expect_navigation():
        page.get_by_role("link", name=body.name).click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Bilan positif")
    expect(page.locator("main")).not_to_contain_text(coming.title)  # members only

    _log_in(page, visit, axe_check, _verified(commission["member"]).email, PASSWORD)
    visit(page, reverse("commissions:commission", args=[body.slug]))
    expect(page.locator("main")).to_contain_text(coming.title)
    expect(page.locator("main")).to_contain_text("Recenser les formations.")
    with page.expect_navigation():
        page.get_by_role("link", name=coming.title).click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Recenser les formations.")  # carried over
    page.locator("input[name=answer][value=attending]").check()
    with page.expect_navigation():
        page.locator("form:has(input[value=register]) button[type=submit]").click()
    axe_check(page)
    assert body.meetings.get(pk=coming.pk).registrations.get().answer == "attending"

    page.context.clear_cookies()
    _log_in(page, visit, axe_check, _verified(commission["convener"]).email, PASSWORD)
    visit(page, reverse("commissions:meeting", args=[body.slug, past.pk]))
    visit(page, reverse("commissions:meeting_minutes", args=[body.slug, past.pk]))
    visit(page, reverse("commissions:members", args=[body.slug]))
    visit(page, reverse("commissions:meeting_create", args=[body.slug]))
    visit(page, reverse("commissions:activity", args=[body.slug]))


def test_a_logged_in_user_joins(page, new_page, visit, axe_check, commission):
    body = commission["commission"]
    outsider = _verified(commission["outsider"])
    _log_in(page, visit, axe_check, outsider.email, PASSWORD)
    visit(page, reverse("commissions:commission", args=[body.slug]))
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('commissions:join', args=[body.slug])}'] button").click()
    axe_check(page)
    request = body.members.get(user=outsider)
    assert request.state == Member.State.REQUESTED

    convener_page = new_page()
    _log_in(convener_page, visit, axe_check, _verified(commission["convener"]).email, PASSWORD)
    visit(convener_page, reverse("commissions:members", args=[body.slug]))
    expect(convener_page.locator("main")).to_contain_text(outsider.email)
    decide = reverse("commissions:member_decide", args=[body.slug, request.pk])
    with convener_page.expect_navigation():
        convener_page.locator(f"form[action='{decide}'] button[value=accept]").click()
    axe_check(convener_page)
    request.refresh_from_db()
    assert request.state == Member.State.ACTIVE

    visit(page, reverse("commissions:commission", args=[body.slug]))
    expect(page.locator("main")).to_contain_text(outsider.first_name)  # in the members' list
