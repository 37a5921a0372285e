"""Public pages of the directory: the searchable list, its exports and the profiles.

The list shows what the public sees (``organisations_visible_to`` an anonymous visitor: the
published organisations) to everyone, staff and editors included: a shared link gives the same
results to all, and an export never contains a draft. Drafts and archived organisations are
reached through their profile, by the back office and their editors only."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from maillage.core.exports import export_response
from maillage.core.models import Departement, Theme
from maillage.core.models.reference import search_key
from maillage.directory.filters import FACETS_TIMEOUT, OrganisationFilter, country_counts, facets, facets_key
from maillage.directory.models import Organisation
from maillage.directory.selectors import organisations_visible_to, public_contacts

PAGE_SIZE = 20


def directory_organisations() -> QuerySet[Organisation]:
    """The organisations of the public directory (see the module's docstring)."""
    return organisations_visible_to(AnonymousUser())


def _facets_html(filterset: OrganisationFilter, *, partial: bool) -> str:
    """The facets' checkboxes, rendered: a few hundred of them are most of a page's rendering
    time, so the HTML is cached beside the counts, under the same key (and version)."""
    key = facets_key(filterset)
    html = cache.get(f"{key}:html:{int(partial)}") if key else None
    if html is None:
        html = render_to_string("directory/_facets.html", {"facets": facets(filterset), "partial": partial})
        if key:
            cache.set(f"{key}:html:{int(partial)}", html, timeout=FACETS_TIMEOUT)
    return mark_safe(html)  # noqa: S308 — rendered by our template, its values escaped there


def _is_partial(request: HttpRequest) -> bool:
    """An htmx request for the results only (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilter(request.GET, queryset=directory_organisations())
    organisations = (
        filterset.results()
        .select_related("category", "commune")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name_fr")))
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "facets": facets(filterset),
        "facets_html": _facets_html(filterset, partial=_is_partial(request)),
        "invalid": filterset.invalid(),
        "query": filterset.selected.get("q", ""),
        "sort": filterset.selected.get("sort", "name"),
        "sorts": filterset.filters["sort"].extra["choices"],
    }
    template = "directory/_results.html" if _is_partial(request) else "directory/index.html"
    response = render(request, template, context | {"partial": _is_partial(request)})
    patch_vary_headers(response, ("HX-Request",))  # never serve the partial for the whole page
    return response


def _map_data(filterset: OrganisationFilter) -> dict[str, Any]:
    """The filtered organisations that have a point, their number per département (those of the
    network's région always, with 0 when none matches) and per country of intervention. Four
    queries, whatever the number of organisations."""
    filtered = filterset.filtered().order_by()
    points = [
        {
            "name": row["name"],
            "url": reverse("directory:organisation", args=[row["slug"]]),
            "lat": row["latitude"],
            "lng": row["longitude"],
        }
        for row in filtered.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("name", "pk")
        .values("name", "slug", "latitude", "longitude")
    ]
    counts = {
        row["commune__departement"]: row["n"]
        for row in filtered.filter(commune__isnull=False)
        .values("commune__departement")
        .annotate(n=Count("pk"))
    }
    departements = [
        {"code": code, "name": name, "count": counts.get(code, 0)}
        for code, name in Departement.objects.filter(
            Q(region_id=settings.MAILLAGE_REGION) | Q(code__in=list(counts))
        )
        .order_by("code")
        .values_list("code", "name")
    ]
    return {"points": points, "departements": departements, "countries": _country_rows(filtered)}


def _country_rows(filtered: QuerySet[Organisation]) -> list[dict[str, Any]]:
    """The countries of intervention of the filtered organisations, the most frequent first, with
    their ISO 3166-1 numeric code: the world outlines (world-atlas) are keyed by it."""
    named = [
        (str(countries.name(code) or code), code, number) for code, number in country_counts(filtered).items()
    ]
    named.sort(key=lambda row: (-row[2], search_key(row[0])))
    return [
        {"code": code, "numeric": countries.numeric(code, padded=True), "name": name, "count": number}
        for name, code, number in named
    ]


@require_safe
def organisations_map(request: HttpRequest) -> HttpResponse:
    """The filtered directory on a map: a choropleth of the départements with the organisations as
    clustered markers, a world choropleth of their countries of intervention, and the same numbers
    in two tables (the page works without JavaScript)."""
    filterset = OrganisationFilter(request.GET, queryset=directory_organisations())
    data = _map_data(filterset)
    context: dict[str, Any] = {
        "count": filterset.filtered().count(),
        "map_data": data | {"tiles": settings.MAILLAGE_MAP_TILES_URL},
        "departements": data["departements"],
        "countries": data["countries"],
        "located": len(data["points"]),
        "facets": facets(filterset),
        "facets_html": _facets_html(filterset, partial=False),
        "invalid": filterset.invalid(),
        "query": filterset.selected.get("q", ""),
        "sort": filterset.selected.get("sort", "name"),
        "sorts": filterset.filters["sort"].extra["choices"],
    }
    return render(request, "directory/map.html", context)


EXPORT_FIELDS = (
    "name",
    "acronym",
    "college",
    "category",
    "commune",
    "departement",
    "website",
    "countries",
    "themes",
    "is_member",
)


def _export_headers() -> list[str]:
    return [
        _("Name"),
        _("Acronym"),
        _("Collège"),
        _("Category"),
        _("Commune"),
        _("Département"),
        _("Website"),
        _("Countries of intervention"),
        _("Themes"),
        _("Member of the network"),
    ]


def _export_rows(organisations: QuerySet[Organisation]) -> Any:
    for organisation in organisations.iterator(chunk_size=500):
        commune = organisation.commune
        yield (
            organisation.name,
            organisation.acronym,
            organisation.get_college_display(),
            str(organisation.category or ""),
            commune.name if commune else "",
            str(commune.departement) if commune else "",
            organisation.website,
            [country.name for country in organisation.countries],
            [str(theme) for theme in organisation.themes.all()],
            _("Yes") if organisation.is_member else _("No"),
        )


@require_safe
def export(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """The current filtered list, public fields only, as CSV or XLSX."""
    filterset = OrganisationFilter(request.GET, queryset=directory_organisations())
    organisations = (
        filterset.results()
        .select_related("category", "commune__departement")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name_fr")))
    )
    filename = f"annuaire-{timezone.localdate():%Y-%m-%d}"
    return export_response(
        file_format,
        rows=_export_rows(organisations),
        headers=_export_headers(),
        filename=filename,
        title=_("Directory"),
    )


@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's public profile; a draft or archived one only for those who may see it."""
    found = get_object_or_404(
        Organisation.objects.select_related("category", "commune__departement__region").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name_fr")), "sdgs"
        ),
        slug=slug,
    )
    if not request.user.has_perm("directory.view_organisation", found):
        raise Http404
    context = {"organisation": found, "contacts": public_contacts(found)}
    return render(request, "directory/organisation.html", context)
