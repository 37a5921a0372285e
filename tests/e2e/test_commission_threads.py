"""A discussion thread in a real browser: a member logs in, reads a thread, posts a reply that
appears in it — every page axe-clean."""

# ruff: noqa: F811 (the commission fixture, imported, is a parameter of the test)

from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import expect

from maillage.commissions import services_threads
from maillage.commissions.models import Post
from tests.commissions.conftest import commission  # noqa: F401 (fixture)
from tests.e2e.test_accounts import _log_in


def test_a_member_replies_in_a_thread(page, visit, axe_check, commission):
    member = commission["member"]
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    thread = services_threads.thread_create(
        commission=commission["commission"],
        author=commission["convener"],
        title="Calendrier des formations 2026",
        body="Quelles dates pour les sessions d’automne ?\n\nMerci @Marc de proposer.",
    )
    hidden = services_threads.post_create(thread=thread, author=commission["other_member"], body="Hors sujet")
    services_threads.post_moderate(post=hidden, moderator=commission["convener"], hide=True)

    _log_in(page, visit, axe_check, member.email)
    visit(page, reverse("commissions:threads", args=["formation"]))
    with page.expect_navigation():
        page.get_by_role("link", name="Calendrier des formations 2026").click()
    axe_check(page)
    expect(page.locator(".thread-post").first).to_contain_text("sessions d’automne")
    expect(page.get_by_text("Hors sujet")).to_have_count(0)

    page.get_by_role("main").locator("textarea[name=body]").fill("Je propose le 12 octobre à Toulouse.")
    with page.expect_navigation():
        page.get_by_role("main").locator("form:has(textarea[name=body]) button[type=submit]").click()
    axe_check(page)
    reply = Post.objects.filter(thread=thread, author=member).get()
    expect(page.locator(f"#message-{reply.pk}")).to_contain_text("Je propose le 12 octobre à Toulouse.")
    expect(page.get_by_role("status")).to_be_visible()
