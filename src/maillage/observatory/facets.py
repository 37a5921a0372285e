"""The counts of the facets of the public list of projects.

The count beside a value is the number of projects the list would show with that value ticked,
the other facets as they are: each facet is counted over the projects filtered by every *other*
facet (as in ``maillage.directory.filters``, whose ``Facet`` and options it shares). One query
per facet, whatever the number of projects. Sectors are counted by DAC category (the first three
digits of a purpose code); the département is that of a regional actor taking part.

The facets are cached per set of filters under the observatory's version, which every write of
a project changes (``observatory.signals``), as the directory's are. The time limit bounds what
that version cannot see (a renamed funder or theme)."""

from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django_countries import countries

from maillage.core.models import DacCategory, DacSector
from maillage.core.models.reference import search_key
from maillage.directory.filters import Facet, _localized, cached_facets, facets_cache_key
from maillage.directory.filters import _options as options
from maillage.directory.models import Organisation
from maillage.observatory.filters import ProjectFilter
from maillage.observatory.models import (
    ActivityStatus,
    OrganisationRole,
    Participation,
    Project,
    ProjectSector,
    RecipientCountry,
)

Row = tuple[str, str, int, Any]  # value, label, count, sort key


def _projects(filterset: ProjectFilter, without: str) -> QuerySet[Any]:
    return filterset.filtered(without=without).order_by().values("pk")


def _chosen(filterset: ProjectFilter, name: str, key: str = "pk") -> dict[str, Any]:
    return {str(getattr(value, key, value)): value for value in filterset.selected.get(name, [])}


def _status(filterset: ProjectFilter) -> Facet:
    labels = {str(value): str(label) for value, label in ActivityStatus.choices}
    rows = (
        filterset.filtered(without="activity_status")
        .order_by()
        .values("activity_status")
        .annotate(n=Count("pk"))
    )
    found: list[Row] = [
        (
            str(r["activity_status"]),
            labels.get(str(r["activity_status"]), ""),
            r["n"],
            (0, r["activity_status"]),
        )
        for r in rows
    ]
    return Facet(
        "activity_status",
        _("Activity status"),
        options(found, set(_chosen(filterset, "activity_status")), labels),
    )


def _countries(filterset: ProjectFilter) -> Facet:
    rows = list(
        RecipientCountry.objects.filter(project__in=_projects(filterset, "country"))
        .values("country")
        .annotate(n=Count("project_id"))
    )
    chosen = set(_chosen(filterset, "country"))
    names = {code: str(countries.name(code) or code) for code in {str(r["country"]) for r in rows} | chosen}
    found: list[Row] = [
        (str(r["country"]), names[str(r["country"])], r["n"], (0, search_key(names[str(r["country"])])))
        for r in rows
    ]
    return Facet("country", _("Recipient country"), options(found, chosen, names))


def _sectors(filterset: ProjectFilter) -> Facet:
    rows = list(
        ProjectSector.objects.filter(project__in=_projects(filterset, "sector"), vocabulary="1")
        .annotate(category=Substr("code", 1, 3))
        .values("category")
        .annotate(n=Count("project_id", distinct=True))
    )
    chosen = set(_chosen(filterset, "sector"))
    wanted = {r["category"] for r in rows} | chosen
    names = {
        r["code"]: f"{r['code']} – {_localized(dict(r), 'name')}"
        for model, length in ((DacCategory, 3), (DacSector, 5))
        if any(len(code) == length for code in wanted)  # no query for purpose codes unless chosen
        for r in model.objects.filter(code__in=wanted).values("code", "name_fr", "name_en")
    }
    found: list[Row] = [
        (r["category"], names.get(r["category"], r["category"]), r["n"], (0, r["category"])) for r in rows
    ]
    return Facet("sector", _("Sector"), options(found, chosen, names))


def _sdgs(filterset: ProjectFilter) -> Facet:
    rows = (
        Project.sdgs.through.objects.filter(project__in=_projects(filterset, "sdg"))
        .values("sdg__number", "sdg__name_fr", "sdg__name_en")
        .annotate(n=Count("project_id"))
    )
    found: list[Row] = [
        (
            str(r["sdg__number"]),
            f"{r['sdg__number']}. {_localized(r, 'sdg__name')}",
            r["n"],
            (0, r["sdg__number"]),
        )
        for r in rows
    ]
    chosen = _chosen(filterset, "sdg")
    labels = {code: f"{code}. {sdg}" for code, sdg in chosen.items()}
    return Facet("sdg", _("Sustainable Development Goal"), options(found, set(chosen), labels))


def _themes(filterset: ProjectFilter) -> Facet:
    rows = (
        Project.themes.through.objects.filter(project__in=_projects(filterset, "theme"))
        .values("theme__slug", "theme__name_fr", "theme__name_en", "theme__position")
        .annotate(n=Count("project_id"))
    )
    found: list[Row] = [
        (
            r["theme__slug"],
            _localized(r, "theme__name"),
            r["n"],
            (0, r["theme__position"], r["theme__name_fr"]),
        )
        for r in rows
    ]
    chosen = _chosen(filterset, "theme", "slug")
    labels = {slug: str(theme) for slug, theme in chosen.items()}
    return Facet("theme", _("Theme"), options(found, set(chosen), labels))


def _departements(filterset: ProjectFilter) -> Facet:
    prefix = "organisation__commune__departement"
    rows = (
        Participation.objects.filter(
            project__in=_projects(filterset, "departement"),
            organisation__kind=Organisation.Kind.REGIONAL,
            organisation__commune__isnull=False,
        )
        .values(prefix, f"{prefix}__name")
        .annotate(n=Count("project_id", distinct=True))
    )
    found: list[Row] = [
        (r[prefix], f"{r[f'{prefix}__name']} ({r[prefix]})", r["n"], (0, r[prefix])) for r in rows
    ]
    chosen = _chosen(filterset, "departement")
    labels = {code: f"{departement.name} ({code})" for code, departement in chosen.items()}
    return Facet("departement", _("Département of a regional actor"), options(found, set(chosen), labels))


def _funders(filterset: ProjectFilter) -> Facet:
    rows = (
        Participation.objects.filter(
            project__in=_projects(filterset, "funder"), role=OrganisationRole.FUNDING
        )
        .values("organisation__slug", "organisation__name")
        .annotate(n=Count("project_id", distinct=True))
    )
    found: list[Row] = [
        (r["organisation__slug"], r["organisation__name"], r["n"], (0, search_key(r["organisation__name"])))
        for r in rows
    ]
    chosen = _chosen(filterset, "funder", "slug")
    labels = {slug: organisation.name for slug, organisation in chosen.items()}
    return Facet("funder", _("Funder"), options(found, set(chosen), labels))


FACETS = (_status, _countries, _sectors, _sdgs, _themes, _departements, _funders)


def facets_counted(filterset: ProjectFilter) -> list[Facet]:
    """The facets of the list, counted (uncached: see ``facets``)."""
    return [facet(filterset) for facet in FACETS]


def facets(filterset: ProjectFilter) -> list[Facet]:
    """The facets (``facets_counted``), from the cache when no project changed since they were
    counted for the same filters (``observatory.signals``)."""
    return cached_facets(facets_cache_key(filterset, "observatory"), lambda: facets_counted(filterset))
