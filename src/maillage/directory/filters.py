"""The filters of the public directory (all in the URL) and the counts of its facets.

Within a facet the values add up (this collège *or* that one); facets narrow each other
(this collège *and* this theme). The count beside a value is the number of organisations the
list would show with that value ticked in its facet, the other facets as they are: each facet
is counted over the list filtered by every *other* facet. One query per facet, whatever the
number of organisations."""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256
from typing import Any
from uuid import uuid4

import django_filters
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from maillage.core.models import Departement, Sdg, Theme
from maillage.core.models.reference import active_language, search_key
from maillage.directory.models import Category, College, Organisation
from maillage.directory.search import text_search

logger = logging.getLogger(__name__)

SORTS = {"name": ("name", "pk"), "recent": ("-created_at", "-pk")}
MEMBER_CHOICES = (("yes", _("Members")), ("no", _("Not members")))


def _given(value: Any) -> bool:
    """False for an empty value, including the empty queryset of a model filter."""
    if value is None or isinstance(value, str):
        return bool(value)
    return len(value) > 0  # a model filter's queryset was evaluated by its validation


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    college = django_filters.MultipleChoiceFilter(
        label=_("Collège"), choices=College.choices, method="filter_college"
    )
    member = django_filters.MultipleChoiceFilter(
        label=_("Member of the network"), choices=MEMBER_CHOICES, method="filter_member"
    )
    category = django_filters.ModelMultipleChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="slug", method="filter_category"
    )
    departement = django_filters.ModelMultipleChoiceFilter(
        label=_("Département"), queryset=Departement.objects.all(), method="filter_departement"
    )
    country = django_filters.MultipleChoiceFilter(
        label=_("Country of intervention"), choices=countries, method="filter_country"
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", method="filter_theme"
    )
    sdg = django_filters.ModelMultipleChoiceFilter(
        label=_("Sustainable Development Goal"), queryset=Sdg.objects.all(), method="filter_sdg"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=(("name", _("Name")), ("recent", _("Most recent"))),
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    # --- Each filter ------------------------------------------------------------------------------

    def filter_search(
        self, queryset: QuerySet[Organisation], name: str, value: str
    ) -> QuerySet[Organisation]:
        return text_search(queryset, value)

    def filter_college(self, queryset: QuerySet[Organisation], name: str, value: list[str]) -> QuerySet:
        return queryset.filter(college__in=value)

    def filter_member(self, queryset: QuerySet[Organisation], name: str, value: list[str]) -> QuerySet:
        return queryset.filter(is_member__in=[choice == "yes" for choice in value])

    def filter_category(self, queryset: QuerySet[Organisation], name: str, value: Any) -> QuerySet:
        return queryset.filter(category__in=value)

    def filter_departement(self, queryset: QuerySet[Organisation], name: str, value: Any) -> QuerySet:
        return queryset.filter(commune__departement__in=value)

    def filter_country(self, queryset: QuerySet[Organisation], name: str, value: list[str]) -> QuerySet:
        # Stored as "SN,MG": two capital letters between commas, so a code never matches across two.
        matches = Q()
        for code in value:
            matches |= Q(countries__contains=code)
        return queryset.filter(matches)

    def filter_theme(self, queryset: QuerySet[Organisation], name: str, value: Any) -> QuerySet:
        # A subquery rather than a join: no duplicates, hence no DISTINCT to slow the counts.
        links = Organisation.themes.through.objects.filter(theme__in=value)
        return queryset.filter(pk__in=links.values("organisation_id"))

    def filter_sdg(self, queryset: QuerySet[Organisation], name: str, value: Any) -> QuerySet:
        links = Organisation.sdgs.through.objects.filter(sdg__in=value)
        return queryset.filter(pk__in=links.values("organisation_id"))

    def filter_sort(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))

    # --- The whole set ----------------------------------------------------------------------------

    @property
    def selected(self) -> dict[str, Any]:
        """The valid values of the filters (the invalid ones are ignored, and told in ``errors``)."""
        self.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if _given(value)}

    def filtered(self, *, without: str | None = None) -> QuerySet[Organisation]:
        """The organisations matching every valid filter but ``without``, unsorted."""
        queryset = self.queryset.all()
        for name, value in self.selected.items():
            if name not in (without, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def results(self) -> QuerySet[Organisation]:
        """The filtered organisations, sorted."""
        return self.filter_sort(self.filtered(), "sort", self.selected.get("sort", "name"))

    def invalid(self) -> list[tuple[str, list[str]]]:
        """(label of the filter, messages) for every value that was not understood."""
        self.is_valid()
        return [
            (str(self.filters[name].label), list(messages)) for name, messages in self.form.errors.items()
        ]


# --- Facets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    legend: str
    options: list[Option]


def _localized(row: dict[str, Any], prefix: str) -> str:
    return str(row.get(f"{prefix}_{active_language()}") or row[f"{prefix}_fr"])


def _options(rows: list[tuple[str, str, int, Any]], chosen: set[str], labels: dict[str, str]) -> list[Option]:
    """``rows`` as (value, label, count, sort key); values ticked but counted 0 are kept, so that
    they can be unticked."""
    seen = {value for value, _label, _count, _key in rows}
    rows = rows + [
        (value, labels.get(value, value), 0, (1, search_key(labels.get(value, value))))
        for value in chosen - seen
    ]
    rows.sort(key=lambda row: row[3])
    return [Option(value, label, count, value in chosen) for value, label, count, _key in rows]


def country_counts(organisations: QuerySet[Organisation]) -> Counter[str]:
    """The number of ``organisations`` per country of intervention, in one query: a GROUP BY over
    the stored lists ("SN,MG"), each list's count then given to each of its codes. As few rows
    as there are distinct lists, whatever the number of organisations."""
    counter: Counter[str] = Counter()
    for row in organisations.order_by().values("countries").annotate(n=Count("pk", distinct=True)):
        codes = [code for code in str(row["countries"] or "").split(",") if code]
        counter.update(dict.fromkeys(codes, row["n"]))
    return counter


def facets_counted(filterset: OrganisationFilter) -> list[Facet]:
    """The facets of the directory, each counted over the list filtered by the other facets
    (uncached: see ``facets``)."""
    selected = filterset.selected

    def chosen(name: str, key: str = "pk") -> set[str]:
        return {str(getattr(value, key, value)) for value in selected.get(name, [])}

    def labelled(name: str) -> dict[str, str]:
        return {str(getattr(value, "pk", value)): str(value) for value in selected.get(name, [])}

    result = []

    college_labels = dict(College.choices)
    rows: Any = filterset.filtered(without="college").order_by().values("college").annotate(n=Count("pk"))
    order = list(college_labels)
    result.append(
        Facet(
            "college",
            str(_("Collège")),
            _options(
                [
                    (r["college"], str(college_labels[r["college"]]), r["n"], (0, order.index(r["college"])))
                    for r in rows
                    if r["college"]
                ],
                chosen("college"),
                {key: str(label) for key, label in college_labels.items()},
            ),
        )
    )

    rows = (
        filterset.filtered(without="category")
        .filter(category__isnull=False)
        .order_by()
        .values(
            "category__slug",
            "category__name_fr",
            "category__name_en",
            "category__college",
            "category__position",
        )
        .annotate(n=Count("pk"))
    )
    result.append(
        Facet(
            "category",
            str(_("Category")),
            _options(
                [
                    (
                        r["category__slug"],
                        _localized(r, "category__name"),
                        r["n"],
                        (0, order.index(r["category__college"]), r["category__position"]),
                    )
                    for r in rows
                ],
                chosen("category", "slug"),
                {value.slug: str(value) for value in selected.get("category", [])},
            ),
        )
    )

    rows = (
        filterset.filtered(without="departement")
        .filter(commune__isnull=False)
        .order_by()
        .values("commune__departement", "commune__departement__name")
        .annotate(n=Count("pk"))
    )
    result.append(
        Facet(
            "departement",
            str(_("Département")),
            _options(
                [
                    (
                        r["commune__departement"],
                        f"{r['commune__departement__name']} ({r['commune__departement']})",
                        r["n"],
                        (0, r["commune__departement"]),
                    )
                    for r in rows
                ],
                chosen("departement"),
                labelled("departement"),
            ),
        )
    )

    counter = country_counts(filterset.filtered(without="country"))
    names = {code: countries.name(code) or code for code in counter.keys() | chosen("country")}
    result.append(
        Facet(
            "country",
            str(_("Country of intervention")),
            _options(
                [(code, names[code], n, (0, search_key(names[code]))) for code, n in counter.items()],
                chosen("country"),
                names,
            ),
        )
    )

    base = filterset.filtered(without="theme").order_by().values("pk")
    rows = (
        Organisation.themes.through.objects.filter(organisation__in=base)
        .order_by()
        .values("theme__slug", "theme__name_fr", "theme__name_en", "theme__position")
        .annotate(n=Count("organisation_id"))
    )
    result.append(
        Facet(
            "theme",
            str(_("Theme")),
            _options(
                [
                    (
                        r["theme__slug"],
                        _localized(r, "theme__name"),
                        r["n"],
                        (0, r["theme__position"], r["theme__name_fr"]),
                    )
                    for r in rows
                ],
                chosen("theme", "slug"),
                {value.slug: str(value) for value in selected.get("theme", [])},
            ),
        )
    )

    base = filterset.filtered(without="sdg").order_by().values("pk")
    rows = (
        Organisation.sdgs.through.objects.filter(organisation__in=base)
        .order_by()
        .values("sdg__number", "sdg__name_fr", "sdg__name_en")
        .annotate(n=Count("organisation_id"))
    )
    result.append(
        Facet(
            "sdg",
            str(_("Sustainable Development Goal")),
            _options(
                [
                    (
                        str(r["sdg__number"]),
                        f"{r['sdg__number']}. {_localized(r, 'sdg__name')}",
                        r["n"],
                        (0, r["sdg__number"]),
                    )
                    for r in rows
                ],
                chosen("sdg"),
                {str(value.pk): f"{value.pk}. {value}" for value in selected.get("sdg", [])},
            ),
        )
    )
    member_labels = {value: str(label) for value, label in MEMBER_CHOICES}
    rows = filterset.filtered(without="member").order_by().values("is_member").annotate(n=Count("pk"))
    result.append(
        Facet(
            "member",
            str(_("Member of the network")),
            _options(
                [
                    (
                        "yes" if r["is_member"] else "no",
                        member_labels["yes" if r["is_member"] else "no"],
                        r["n"],
                        (0, not r["is_member"]),
                    )
                    for r in rows
                ],
                chosen("member"),
                member_labels,
            ),
        )
    )

    return result


# --- Cache of the facets -----------------------------------------------------------------------------

# The facets of the unfiltered directory count every published organisation (a quarter of a
# second on the national dataset), for each visitor: they are cached per set of filters, under
# the directory's version, which every write of an organisation changes (``directory.signals``).
# The time limit bounds what a write the signals cannot see (a bulk load, a renamed theme or
# département) leaves stale.
FACETS_TIMEOUT = 10 * 60


def data_version(name: str) -> str:
    """The current version of a set of data (``"directory"``, ``"observatory"``): a random token,
    set anew at each change. Random rather than a counter, so that a version evicted from the
    cache never comes back with old facets."""
    key = f"{name}:version"
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid4().hex, timeout=None)  # add: concurrent first visitors agree
        version = cache.get(key)
    return str(version)


def data_changed(name: str) -> None:
    """Forget the cached facets of a set of data: now, for the rest of this transaction, and
    again once it commits, so that counts read by another request before the commit are not kept
    under the new version."""

    def bump() -> None:
        try:
            cache.set(f"{name}:version", uuid4().hex, timeout=None)
        except Exception:  # the cache is down: writes must not fail; counts expire with the TTL
            logger.warning("The facet cache of %s could not be invalidated.", name, exc_info=True)

    bump()
    transaction.on_commit(bump)


def directory_version() -> str:
    return data_version("directory")


def directory_changed() -> None:
    data_changed("directory")


def facets_cache_key(filterset: Any, name: str) -> str | None:
    """The cache key of a list's facets: the version of the data ``name``, the valid filters
    (values sorted, the sort left out: it changes no count), the rows filtered and the language
    of the labels. None for a queryset that cannot match anything (no SQL to tell it by)."""
    try:
        base = str(filterset.queryset.query)
    except EmptyResultSet:
        return None
    selected = sorted(
        (field, value if isinstance(value, str) else sorted(str(getattr(item, "pk", item)) for item in value))
        for field, value in filterset.selected.items()
        if field != "sort"
    )
    digest = sha256(repr((selected, base, get_language())).encode()).hexdigest()
    return f"{name}:facets:{data_version(name)}:{digest}"


def cached_facets(key: str | None, count: Callable[[], list[Facet]]) -> list[Facet]:
    """The facets kept in the cache under ``key``; counted, and kept, when missing."""
    if key is None:
        return count()
    result = cache.get(key)
    if result is None:
        result = count()
        cache.set(key, result, timeout=FACETS_TIMEOUT)
    return result


def facets_key(filterset: OrganisationFilter) -> str | None:
    return facets_cache_key(filterset, "directory")


def facets(filterset: OrganisationFilter) -> list[Facet]:
    """The facets of the directory (``facets_counted``), from the cache when the directory has not
    changed since they were counted for the same filters."""
    return cached_facets(facets_key(filterset), lambda: facets_counted(filterset))
