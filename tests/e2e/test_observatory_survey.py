"""The yearly survey in a real browser: an organisation follows its personal link, confirms its
profile, gives its figures and declares a project with the project form; axe-core on each page."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from maillage.observatory.models import Invitation, Project
from maillage.observatory.surveys import campaign_create, campaign_open
from tests.e2e.test_accounts import _submit
from tests.observatory.conftest import actors  # noqa: F401  (the fixture)


def test_an_organisation_answers_the_survey_by_its_personal_link(
    page,
    visit,
    axe_check,
    actors,  # noqa: F811
):
    campaign = campaign_create(
        year=2025,
        title="Enquête de l’observatoire 2025",
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        selection={"scope": "all"},
        introduction="Merci de répondre avant la fin du mois.",
        user=None,
    )
    campaign_open(campaign, None)  # the e-mail leaves when the transaction commits
    link = re.search(r"https?://\S+/observatoire/enquete/\S+/", mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    # The page of the link: the introduction, the profile, the figures, the projects.
    visit(page, path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Solidarité Eau Occitanie")
    expect(page.get_by_role("main")).to_contain_text("Merci de répondre avant la fin du mois.")

    # A negative figure: the message at the top, tied to its field.
    page.locator("input[name=website]").fill("https://seo.example.org")
    page.locator("input[name=international_budget]").fill("-5")
    _submit(page, axe_check)
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("input[name=international_budget]")).to_have_attribute("aria-invalid", "true")

    page.locator("input[name=international_budget]").fill("12 500,50")
    page.locator("input[name=staff_count]").fill("3")
    page.locator("input[name=volunteer_count]").fill("25")
    page.locator("input[name=awareness_actions]").fill("6")
    _submit(page, axe_check)
    expect(page.get_by_role("status")).to_be_visible()
    invitation = Invitation.objects.get(organisation=actors["regional"])
    assert invitation.state == Invitation.State.ANSWERED
    assert (invitation.staff, invitation.volunteers, str(invitation.international_budget)) == (
        3,
        25,
        "12500.50",
    )
    actors["regional"].refresh_from_db()
    assert actors["regional"].website == "https://seo.example.org"

    # Declare a project with the project form.
    with page.expect_navigation():
        page.get_by_role("main").locator("a[href$='/projets/nouveau/']").click()
    axe_check(page)
    page.locator("input[name=title]").fill("Jardins scolaires à Podor")
    page.locator("input[name=planned_start]").fill("2025-01-01")
    page.locator("select[name=participations-0-role]").select_option("2")
    with page.expect_navigation():
        page.get_by_role("main").locator("form > button[type=submit]").last.click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Solidarité Eau Occitanie")
    expect(page.get_by_role("main")).to_contain_text("Jardins scolaires à Podor")
    project = Project.objects.get(title="Jardins scolaires à Podor")
    assert project.reporting_organisation == actors["regional"]
    assert (project.provenance, project.status, project.campaign) == ("survey", "submitted", campaign)

    # An unknown link: a clear page, a 404.
    visit(page, "/observatoire/enquete/inconnu/", status=404)
    expect(page.get_by_role("alert")).to_be_visible()
