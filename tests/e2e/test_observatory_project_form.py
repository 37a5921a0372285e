"""A project in a real browser: an editor declares it with a percentage error, reads the
message, corrects it, saves and submits it; a staff member publishes it from the queue. Every
page axe-clean, the form with its errors too."""

# ruff: noqa: F811 (the observatory's fixtures, imported, are parameters of the test)

from django.urls import reverse
from playwright.sync_api import expect

from maillage.observatory.models import Project
from tests.e2e.test_accounts import _log_in
from tests.e2e.test_governance_door import _staff_log_in
from tests.observatory.conftest import actors  # noqa: F401 (fixture)


def _save(page, axe_check, value="save"):
    with page.expect_navigation():
        page.locator(f"button[name=then][value={value}]").click()
    axe_check(page)


def test_an_editor_declares_a_project_and_the_staff_publish_it(page, new_page, visit, axe_check, actors):
    _log_in(page, visit, axe_check, actors["editor"].email)
    visit(page, reverse("observatory_member:projects"))
    with page.expect_navigation():
        page.locator(
            f"a[href='{reverse('observatory_member:project_create', args=[actors['regional'].slug])}']"
        ).click()
    axe_check(page)

    # The reporting organisation is proposed as the first participant.
    expect(page.locator("#id_participations-0-organisation")).to_have_value(
        "Solidarité Eau Occitanie (Toulouse)"
    )
    page.locator("#id_title").fill("Jardins maraîchers à Podor")
    page.locator("#id_planned_start").fill("2026-01-01")
    page.locator("#id_planned_end").fill("2027-12-31")
    page.locator("#id_participations-0-role").select_option("2")
    page.locator("#id_participations-1-organisation").fill("Association des femmes de Podor")
    page.locator("#id_participations-1-role").select_option("4")
    page.locator("#id_countries-0-country").fill("Sénégal")
    page.locator("#id_countries-0-percentage").fill("60")
    page.locator("#id_countries-1-country").fill("Mali")
    page.locator("#id_countries-1-percentage").fill("30")
    # A third row, added in place by the script: no page load.
    page.locator("#countries-part button.project-add-row").click()
    expect(page.locator("#id_countries-2-country")).to_be_focused()
    page.locator("#id_sectors-0-sector").fill("31161")
    page.locator("#id_budgets-0-period_start").fill("2026-01-01")
    page.locator("#id_budgets-0-period_end").fill("2026-12-31")
    page.locator("#id_budgets-0-value").fill("18000")
    _save(page, axe_check)

    # 60 + 30: the summary says so and links to the countries.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("90")
    expect(summary.locator("a[href='#countries-part']")).to_be_visible()
    expect(page.locator("#countries-part .errorlist")).to_contain_text("90")
    assert not Project.objects.exists()
    expect(page.locator("#id_countries-1-percentage")).to_have_value("30")

    page.locator("#id_countries-1-percentage").fill("40")
    _save(page, axe_check)
    project = Project.objects.get()
    assert (project.title, project.status) == ("Jardins maraîchers à Podor", Project.Status.DRAFT)
    assert sorted(c.country.code for c in project.recipient_countries.all()) == ["ML", "SN"]

    # Back on "my projects": submit it.
    assert page.url.endswith(reverse("observatory_member:projects"))
    with page.expect_navigation():
        page.locator(
            f"form[action='{reverse('observatory_member:project_submit', args=[project.pk])}'] button"
        ).click()
    axe_check(page)
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED

    # A staff member publishes it from the queue.
    staff_page = new_page()
    _staff_log_in(staff_page, visit, axe_check)
    visit(staff_page, reverse("observatory_staff:projects"))
    with staff_page.expect_navigation():
        staff_page.get_by_role("link", name="Jardins maraîchers à Podor").click()
    axe_check(staff_page)
    with staff_page.expect_navigation():
        staff_page.locator("button[name=action][value=publish]").click()
    axe_check(staff_page)
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLISHED
    assert project.validated_by is not None and project.validated_by.email == "accueil@example.org"
