"""The agenda in a real browser: the list filtered by a form whose choices land in the URL,
an event's page, the month grid and the map — axe-clean."""

# ruff: noqa: F811 (the engagement fixtures, imported, are parameters of the test)

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from maillage.directory.models import Organisation
from maillage.engagement.models import Event
from tests.engagement.conftest import event_factory  # noqa: F401 (fixture)


def test_filter_the_agenda_then_open_an_event(page, visit, axe_check, event_factory):
    organisation = Organisation.objects.create(
        slug="amis-du-sahel", name="Amis du Sahel", kind=Organisation.Kind.PARTNER, country="SN"
    )
    training = event_factory(
        title="Formation au cadre logique",
        kind=Event.Kind.TRAINING,
        organisers=[organisation],
        programme="Matin : diagnostic.\nAprès-midi : cadre logique.",
        accessibility="Salle accessible en fauteuil.",
        categories=[{"name": "Non-membres", "price": Decimal("25"), "capacity": 10}],
    )
    event_factory(title="Conférence sur l’eau", kind=Event.Kind.CONFERENCE)

    visit(page, reverse("engagement:agenda"))
    expect(page.get_by_role("link", name="Conférence sur l’eau")).to_be_visible()
    page.get_by_label("Type").select_option("training")
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button").click()
    axe_check(page)
    assert "kind=training" in page.url
    expect(page.get_by_role("link", name="Conférence sur l’eau")).to_have_count(0)

    with page.expect_navigation():
        page.get_by_role("link", name=training.title).click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(training.title)
    expect(page.get_by_role("link", name="Amis du Sahel")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("25,00")
    expect(page.get_by_role("link", name="Ajouter à mon agenda (.ics)")).to_be_visible()

    visit(page, reverse("engagement:month") + f"?month={training.starts_at:%Y-%m}")
    expect(page.get_by_role("table")).to_contain_text(training.title)
    visit(page, reverse("engagement:map"))
    expect(page.get_by_role("table")).to_contain_text(training.title)
