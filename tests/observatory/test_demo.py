"""The demo observatory (`seed_demo`): about 600 valid projects of the demo's actors with their
partners and funders, two closed survey campaigns with their snapshots and an open one — no
e-mail queued, and a second run adds nothing. Seeded once (about 15 s on SQLite): one test."""

import time
from collections import Counter

from django.utils import timezone

from maillage.accounts import demo as accounts_demo
from maillage.core.models import DacSector, OutgoingEmail
from maillage.core.seeding import DemoReport
from maillage.directory import demo as directory_demo
from maillage.directory.models import Organisation
from maillage.observatory import demo
from maillage.observatory.models import Campaign, Invitation, OrganisationRole, Project, Snapshot
from maillage.observatory.services import ProjectData, project_errors
from tests.access import db_snapshot

PARTS = (
    "participations__organisation",
    "recipient_countries",
    "recipient_regions",
    "sectors",
    "locations",
    "budgets",
    "transactions__provider",
    "transactions__receiver",
    "documents",
    "themes__dac_categories",
    "sdgs",
    "sdg_targets",
)


def _seed() -> DemoReport:
    report = DemoReport()
    accounts_demo.seed(report)
    directory_demo.seed(report)
    demo.seed(report)
    return report


def test_without_the_directory_the_seed_makes_nothing(db):
    demo.seed(DemoReport())
    assert not Project.objects.exists()
    assert not Campaign.objects.exists()


def test_the_demo_observatory(reference_data):
    started = time.perf_counter()
    report = _seed()
    print(f"\ndemo seeded in {time.perf_counter() - started:.1f} s: {report.created}")
    today = timezone.localdate()

    # About 600 projects, mostly published, every one valid by the IATI rules.
    projects = Project.objects.select_related("reporting_organisation").prefetch_related(*PARTS)
    assert report.created["projects"] == projects.count() == 600
    statuses = Counter(projects.values_list("status", flat=True))
    assert statuses["published"] > 0.75 * 600
    assert statuses["submitted"] > 10 and statuses["draft"] > 10
    categories = dict(DacSector.objects.values_list("code", "category_id"))
    for project in projects:
        assert project_errors(ProjectData.of(project)) == {}, project
        assert project.reporting_organisation.kind == "regional"
        assert project.reporting_organisation.status == "published"
        themes = {c.code for theme in project.themes.all() for c in theme.dac_categories.all()}
        assert {categories[s.code] for s in project.sectors.all()} <= themes, project
        assert project.sdgs.all() and project.themes.all()
        for transaction in project.transactions.all():
            assert transaction.currency == "EUR" and transaction.date <= today
    countries = Counter(Project.objects.values_list("recipient_countries__country", flat=True))
    assert countries.most_common(1)[0][0] in ("SN", "MG")
    assert {"SN", "MG", "BF", "MA", "LB", "PS", "VN"} <= set(countries)
    assert set(Project.objects.values_list("activity_status", flat=True)) >= {1, 2, 3, 4}
    # The funders: the Région first, the AFD and the MEAE with their IATI identifiers.
    region = Organisation.objects.get(name="Région Occitanie")
    funded = Project.objects.filter(participations__organisation=region, participations__role=1).count()
    assert funded > 150
    assert Organisation.objects.get(acronym="AFD").iati_identifier == "FR-3"
    assert Organisation.objects.filter(name__startswith="Département ").count() == 13
    assert (
        Project.objects.filter(
            participations__role=OrganisationRole.IMPLEMENTING, participations__organisation__kind="partner"
        ).count()
        > 400
    )
    published_iati = Project.objects.exclude(iati_identifier="")
    assert published_iati.count() > 10
    for project in published_iati.select_related("reporting_organisation"):
        assert project.iati_identifier.startswith(project.reporting_organisation.iati_identifier + "-")
    # The demo editor's organisation shows projects in each validation status.
    editor_projects = Project.objects.filter(
        reporting_organisation__editors__email=directory_demo.EDITOR_EMAIL
    )
    assert set(editor_projects.values_list("status", flat=True)) >= {"published", "submitted", "draft"}

    # Two past campaigns closed with their snapshots, about half of the actors answering.
    past = Campaign.objects.filter(year__in=[today.year - 2, today.year - 1])
    assert set(past.values_list("status", flat=True)) == {Campaign.Status.CLOSED}
    for campaign in past:
        snapshot = Snapshot.objects.get(campaign=campaign)
        states = Counter(campaign.invitations.values_list("state", flat=True))
        answered = states["answered"] + states["validated"]
        assert 0.35 < answered / sum(states.values()) < 0.65, states
        assert snapshot.year == campaign.year and len(snapshot.organisations) == sum(states.values())
        assert snapshot.totals["overall"]["projects"] > 50
        assert snapshot.totals["overall"]["invitations"]["validated"] == states["validated"]
        assert timezone.localdate(campaign.closed_at).year == campaign.year
    # This year's campaign is open: invitations sent, some opened, answered and validated.
    current = Campaign.objects.get(year=today.year)
    assert current.status == Campaign.Status.OPEN and current.closes_on > today
    states = Counter(current.invitations.values_list("state", flat=True))
    assert {"sent", "opened", "answered", "validated"} <= set(states), states
    assert states["sent"] > states["opened"] > states["answered"]
    assert all(
        invitation.recipients for invitation in current.invitations.exclude(state=Invitation.State.PENDING)
    )
    assert not OutgoingEmail.objects.exists()

    # A second run adds nothing.
    before = db_snapshot()
    second = _seed()
    assert db_snapshot() == before
    assert not any(second.created.values())
