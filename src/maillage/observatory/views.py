"""Public pages of the observatory: its home, the searchable list of published projects, its
exports, and a project's page.

As in the directory, the list shows what the public sees (published projects) to everyone: a
shared link gives the same results to all, and an export never contains a draft. A project not
published is reached through its page, by the back office and its organisation's editors."""

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from maillage.core.exports import export_response
from maillage.core.models import DacCategory, DacSector, Theme
from maillage.directory.models import Organisation
from maillage.observatory.facets import facets
from maillage.observatory.filters import ProjectFilter
from maillage.observatory.models import (
    OrganisationRole,
    Participation,
    Project,
    ProjectSector,
    RecipientCountry,
    Transaction,
)

PAGE_SIZE = 20
PUBLISHED = Project.Status.PUBLISHED


def public_projects() -> QuerySet[Project]:
    """The projects of the public list (see the module's docstring)."""
    return Project.objects.filter(status=PUBLISHED)


def _is_partial(request: HttpRequest) -> bool:
    """An htmx request for the results only (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """What the observatory is, its numbers, and the ways to its data."""
    projects = public_projects()
    actors = Organisation.objects.filter(
        Q(pk__in=Participation.objects.filter(project__in=projects).values("organisation_id"))
        | Q(pk__in=projects.values("reporting_organisation_id"))
    )
    context = {
        "projects": projects.count(),
        "actors": actors.count(),
        "countries": RecipientCountry.objects.filter(project__in=projects)
        .values("country")
        .distinct()
        .count(),
    }
    return render(request, "observatory/index.html", context)


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    filterset = ProjectFilter(request.GET, queryset=public_projects())
    projects = (
        filterset.results().select_related("reporting_organisation").prefetch_related("recipient_countries")
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = _is_partial(request)
    found = facets(filterset)
    context: dict[str, Any] = {
        "page": page,
        "facets": found,
        "facets_html": mark_safe(  # noqa: S308 — rendered by the template, its values escaped there
            render_to_string("directory/_facets.html", {"facets": found, "partial": partial})
        ),
        "invalid": filterset.invalid(),
        "query": filterset.selected.get("q", ""),
        "sort": filterset.selected.get("sort", "recent"),
        "sorts": filterset.filters["sort"].extra["choices"],
        "partial": partial,
    }
    template = "observatory/_project_results.html" if partial else "observatory/project_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # never serve the partial for the whole page
    return response


def _export_headers() -> list[str]:
    return [
        _("Title"),
        _("IATI identifier"),
        _("Reporting organisation"),
        _("Activity status"),
        _("Start date"),
        _("End date"),
        _("Recipient countries"),
        _("Sectors"),
        _("Funders"),
        _("Sustainable Development Goals"),
        _("Themes"),
        _("Address"),
    ]


def _export_rows(projects: QuerySet[Project], base_url: str) -> Any:
    for project in projects.iterator(chunk_size=500):
        participations = project.participations.all()
        yield (
            project.title,
            project.iati_identifier,
            project.reporting_organisation.name,
            project.get_activity_status_display(),
            project.start,
            project.end,
            [country.country.name for country in project.recipient_countries.all()],
            [sector.code for sector in project.sectors.all()],
            [p.organisation.name for p in participations if p.role == OrganisationRole.FUNDING],
            [sdg.number for sdg in project.sdgs.all()],
            [str(theme) for theme in project.themes.all()],
            f"{base_url}{project.pk}/",
        )


@require_safe
def project_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The current filtered list, public fields only, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset = ProjectFilter(request.GET, queryset=public_projects())
    projects = (
        filterset.results()
        .select_related("reporting_organisation")
        .prefetch_related(
            "recipient_countries",
            "sectors",
            Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
            "sdgs",
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name_fr")),
        )
    )
    return export_response(
        fmt,
        rows=_export_rows(projects, request.build_absolute_uri(reverse("observatory:projects"))),
        headers=_export_headers(),
        filename=f"projets-{timezone.localdate():%Y-%m-%d}",
        title=_("Projects"),
    )


def _sector_names(sectors: list[ProjectSector]) -> dict[tuple[str, str], str]:
    """The names of the DAC sectors (vocabulary 1) and categories (vocabulary 2) of a project."""
    names: dict[tuple[str, str], str] = {}
    for vocabulary, model in (("1", DacSector), ("2", DacCategory)):
        codes = [sector.code for sector in sectors if sector.vocabulary == vocabulary]
        if codes:
            names |= {(vocabulary, item.code): item.name for item in model.objects.filter(code__in=codes)}
    return names


@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's page; a project not published only for those who may see it."""
    project = get_object_or_404(
        Project.objects.select_related("reporting_organisation", "campaign").prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
            "recipient_countries",
            "recipient_regions",
            "locations",
            "sectors",
            "budgets",
            Prefetch("transactions", queryset=Transaction.objects.select_related("provider", "receiver")),
            "documents",
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name_fr")),
            "sdgs",
            "sdg_targets",
        ),
        pk=pk,
    )
    if not request.user.has_perm("observatory.view_project", project):
        raise Http404
    sectors = list(project.sectors.all())
    names = _sector_names(sectors)
    locations = [
        {"name": place.name, "lat": place.latitude, "lng": place.longitude}
        for place in project.locations.all()
        if place.latitude is not None and place.longitude is not None
    ]
    context = {
        "project": project,
        "sectors": [(sector, names.get((sector.vocabulary, sector.code), "")) for sector in sectors],
        "map_data": {"points": locations, "tiles": settings.MAILLAGE_MAP_TILES_URL},
        "can_change": request.user.has_perm("observatory.change_project", project),
        "back_office": request.user.has_perm("core.view_backoffice"),
    }
    return render(request, "observatory/project_detail.html", context)
