"""The demo observatory: about 600 projects of the demo's regional actors with their partners
abroad, their funders (the Région, the AFD, the MEAE, the water agencies, the départements,
foundations and communes), budgets by year and transactions in euros; then the yearly survey:
the campaigns of the two past years, closed with their snapshots, and this year's, open.

Deterministic (each actor and each project draws from a ``random.Random`` seeded with the
actor's slug; the dates follow today's date) and idempotent: funders and partners are keyed on
their name, projects on their reporting organisation and title, campaigns on their year.

Projects are checked with the rules of ``project_save`` and written in bulk (``writer``: the
service would take two minutes). The survey sends no e-mail (a seed must not fill the outbox,
as in the other apps' demos): see ``campaigns``."""

import datetime

from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.models import Commune, Departement, Sdg, SdgTarget, Theme
from maillage.core.seeding import DemoReport
from maillage.directory.demo import EDITOR_EMAIL, REGION, theme_sectors
from maillage.directory.demo.names import of_departement
from maillage.directory.models import Category, College, Organisation
from maillage.directory.services import organisation_create, organisation_update
from maillage.observatory.demo.campaigns import seed_campaigns
from maillage.observatory.demo.plan import Actor, Funders, Partner, Planner, ProjectSpec
from maillage.observatory.demo.words import DEPARTEMENT_SEATS, EXTRA_PARTNERS, EXTRA_TOWNS, FUNDERS
from maillage.observatory.demo.writer import NewProject, write_projects
from maillage.observatory.models import Project
from maillage.observatory.services import ProjectData

SEED = 2026
STAFF_EMAIL = "equipe@demo.maillage.test"
PUBLISHERS = 8  # actors that publish their projects in IATI files
PUBLISHING = ("universite", "collectivite-territoriale", "federation", "etablissement-sante", "recherche")


def _organisation(report: DemoReport, name: str, **fields: object) -> Organisation:
    organisation = Organisation.objects.filter(name=name, kind=fields["kind"]).first()
    report.count("organisations", organisation is None)
    if organisation is None:
        organisation = organisation_create(name=name, status=Organisation.Status.PUBLISHED, **fields)
    return organisation


def _funders(report: DemoReport) -> Funders:
    """The public funders (created in the directory when missing), the foundations and the
    local authorities of the demo directory."""
    communes = Commune.objects.in_bulk([*DEPARTEMENT_SEATS.values(), *(f[3] for f in FUNDERS.values())])
    categories = {category.slug: category for category in Category.objects.all()}
    named = {}
    for key, (name, acronym, category, commune, iati) in FUNDERS.items():
        named[key] = _organisation(
            report,
            name,
            kind=Organisation.Kind.REGIONAL,
            college=College.PUBLIC,
            acronym=acronym,
            category=categories.get(category),
            commune=communes.get(commune),
            iati_identifier=iati,
            source=Organisation.Source.MANUAL,
        ).pk
    departements = {}
    for code, departement in (
        Departement.objects.filter(region_id=REGION).order_by("code").values_list("code", "name")
    ):
        departements[code] = _organisation(
            report,
            f"Département {of_departement(departement)}",
            kind=Organisation.Kind.REGIONAL,
            college=College.PUBLIC,
            category=categories.get("collectivite-territoriale"),
            commune=communes.get(DEPARTEMENT_SEATS.get(code, "")),
            source=Organisation.Source.MANUAL,
        ).pk
    published = Organisation.objects.filter(status=Organisation.Status.PUBLISHED).order_by("slug")
    return Funders(
        named=named,
        departements=departements,
        foundations=list(published.filter(category__slug="fondation").values_list("pk", flat=True)),
        communes=list(published.filter(name__startswith="Commune de ").values_list("pk", flat=True)),
    )


def _partners(report: DemoReport) -> list[Partner]:
    """The partners abroad of the directory, and a few more where it has none."""
    for name, country, town in EXTRA_PARTNERS:
        _town, latitude, longitude = next(t for t in EXTRA_TOWNS[country] if t[0] == town)
        _organisation(
            report,
            name,
            kind=Organisation.Kind.PARTNER,
            college="",
            country=country,
            countries=[country],
            address=town,
            latitude=latitude,
            longitude=longitude,
            languages=["fr"],
            description=f"{name} travaille avec des associations et des collectivités d’Occitanie.",
        )
    partners = Organisation.objects.filter(
        kind=Organisation.Kind.PARTNER, status=Organisation.Status.PUBLISHED
    ).order_by("slug")
    return [Partner(o.pk, str(o.country), o.address) for o in partners.only("pk", "country", "address")]


def _actors(report: DemoReport, excluded: set[int]) -> list[Actor]:
    """The published regional actors that may report projects; a few of the public ones publish
    IATI files under an organisation identifier (``FR-INSEE-<SIREN>``)."""
    organisations = (
        Organisation.objects.filter(kind=Organisation.Kind.REGIONAL, status=Organisation.Status.PUBLISHED)
        .exclude(pk__in=excluded)
        .select_related("category", "commune")
        .prefetch_related("themes")
        .order_by("slug")
    )
    actors, publishers = [], 0
    for organisation in organisations:
        category = organisation.category.slug if organisation.category else ""
        prefix = organisation.iati_identifier
        if not prefix and publishers < PUBLISHERS and category in PUBLISHING and organisation.siren:
            prefix = f"FR-INSEE-{organisation.siren}"
            organisation_update(organisation=organisation, iati_identifier=prefix)
            report.count("IATI publishers", True)
        publishers += bool(prefix)
        actors.append(
            Actor(
                pk=organisation.pk,
                slug=organisation.slug,
                name=organisation.name,
                category=category,
                departement=organisation.commune.departement_id if organisation.commune else "",
                countries=tuple(country.code for country in organisation.countries),
                themes=tuple(theme.slug for theme in organisation.themes.all()),
                website=organisation.website,
                iati_prefix=prefix,
            )
        )
    return actors


def _write(report: DemoReport, specs: list[ProjectSpec], today: datetime.date) -> None:
    existing = set(Project.objects.values_list("reporting_organisation_id", "title"))
    wanted = [spec for spec in specs if (spec.reporter, spec.title) not in existing]
    for _spec in range(len(specs) - len(wanted)):
        report.count("projects", False)
    if not wanted:
        return
    pks = {pk for spec in wanted for pk, _role in spec.participations}
    organisations = Organisation.objects.in_bulk(pks)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    sdgs = Sdg.objects.in_bulk()
    targets = SdgTarget.objects.in_bulk()
    published_on = timezone.make_aware(datetime.datetime.combine(today, datetime.time(3)))
    items = []
    for spec in wanted:
        data = ProjectData(
            title=spec.title,
            reporting_organisation=organisations[spec.reporter],
            description=spec.description,
            iati_identifier=spec.iati_identifier,
            activity_status=spec.activity_status,
            planned_start=spec.planned_start,
            actual_start=spec.actual_start,
            planned_end=spec.planned_end,
            actual_end=spec.actual_end,
            beneficiaries=spec.beneficiaries,
            volunteers=spec.volunteers,
            participations=[(organisations[pk], role) for pk, role in spec.participations],
            countries=spec.countries,
            sectors=[("1", code, share) for code, share in spec.sectors],
            locations=[spec.location],
            budgets=spec.budgets,
            transactions=[
                row
                | {
                    "provider": organisations.get(row["provider"]),
                    "receiver": organisations.get(row["receiver"]) if row["receiver"] else None,
                }
                for row in spec.transactions
            ],
            documents=spec.documents,
            themes=[themes[slug] for slug in spec.themes if slug in themes],
            sdgs=[sdgs[number] for number in spec.sdgs if number in sdgs],
            sdg_targets=[targets[code] for code in spec.sdg_targets if code in targets],
            iati_last_updated=published_on if spec.iati_identifier else None,
        )
        items.append(NewProject(data, spec.provenance, spec.status))
    for _index in range(write_projects(items)):
        report.count("projects", True)


def seed(report: DemoReport) -> None:
    if not Organisation.objects.filter(kind=Organisation.Kind.REGIONAL).exists():
        return  # no demo directory: no projects
    today = timezone.localdate()
    funders = _funders(report)
    partners = _partners(report)
    excluded = {*funders.named.values(), *funders.departements.values()}
    actors = _actors(report, excluded)
    editor = Organisation.objects.filter(editors__email=EDITOR_EMAIL, kind=Organisation.Kind.REGIONAL).first()
    planner = Planner(
        SEED,
        today=today,
        actors=actors,
        partners=partners,
        funders=funders,
        theme_sectors=theme_sectors(),
        sdg_targets=set(SdgTarget.objects.values_list("code", flat=True)),
        favoured=editor.pk if editor is not None and any(a.pk == editor.pk for a in actors) else None,
    )
    _write(report, planner.plan(), today)
    seed_campaigns(report, today=today, staff=User.objects.filter(email=STAFF_EMAIL).first(), seed=SEED)
