"""The public governance pages in a real browser: the compositions of the bodies and the list of
approved minutes, axe-clean; following the minutes' link asks a visitor to log in."""

# ruff: noqa: F811 (the membership fixtures, imported, are parameters of the test)

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from maillage.governance.models import Assembly, Body, Office
from maillage.governance.services.bodies import bodies_ensure, mandate_add
from maillage.membership.selectors import representatives
from tests.membership.conftest import documents, make_member, staff, year  # noqa: F401 (fixtures)


def test_the_compositions_and_the_minutes_are_axe_clean(page, visit, make_member, year, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bodies_ensure()
    grand_conseil, bureau = Body.objects.get(slug="grand-conseil"), Body.objects.get(slug="bureau")
    start = timezone.localdate() - datetime.timedelta(days=200)
    members = [
        make_member("Association Alpha"),
        make_member("Association Bêta"),
        make_member("Commune de Delta", category="collectivite-territoriale", size=Decimal("3000")),
    ]
    people = []
    for membership in members:
        person = representatives(membership.organisation).first().person
        people.append(person)
        mandate_add(body=grand_conseil, person=person, organisation=membership.organisation, start=start)
    mandate_add(
        body=bureau,
        person=people[0],
        organisation=members[0].organisation,
        office=Office.objects.get(body=bureau, slug="president"),
        start=start,
    )
    assembly = Assembly.objects.create(
        title="Assemblée générale ordinaire",
        starts_at=timezone.now() - datetime.timedelta(days=60),
        agenda="1. Rapport moral",
        state=Assembly.State.CLOSED,
        minutes_approved_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    assembly.minutes_pdf.save("proces-verbal.pdf", ContentFile(b"%PDF-1.7 demo"))

    visit(page, reverse("governance:index"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    for person in people:
        expect(page.locator("main")).to_contain_text(f"{person.first_name} {person.last_name}")
    expect(page.locator("main")).not_to_contain_text(people[0].email)
    current = page.locator("nav.main-nav a[aria-current=page]")
    expect(current).to_have_attribute("href", reverse("governance:index"))
    expect(page.locator(f"a[href='{reverse('governance:minutes_pdf', args=[assembly.pk])}']")).to_have_count(
        1
    )

    visit(page, reverse("governance:body", args=["grand-conseil"]))
    expect(page.locator("main table")).to_have_count(2)  # associations, public bodies (economic: none)
    expect(page.locator("main")).to_contain_text(people[2].last_name)
