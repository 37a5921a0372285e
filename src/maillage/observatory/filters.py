"""The filters of the public list of projects, all in the URL.

As in the directory (``maillage.directory.filters``): within a facet the values add up, facets
narrow each other (their counts: ``maillage.observatory.facets``). Filters on the parts of a
project (its countries, sectors, SDGs, themes, participants) are subqueries rather than joins:
no duplicate rows, hence no DISTINCT."""

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from maillage.core.models import Departement, Sdg, Theme
from maillage.directory.filters import _given
from maillage.directory.models import Organisation
from maillage.directory.search import text_search
from maillage.observatory.models import (
    ActivityStatus,
    OrganisationRole,
    Participation,
    Project,
    ProjectSector,
    RecipientCountry,
)

SORTS: dict[str, tuple[Any, ...]] = {
    "recent": (F("planned_start").desc(nulls_last=True), "title", "pk"),
    "title": ("title", "pk"),
}
SECTOR_CODE = re.compile(r"^\d{3}(\d{2})?$")


class SectorCodeField(forms.MultipleChoiceField):
    """DAC codes: a 3-digit category or a 5-digit purpose code (checked by their shape only, so
    that a code withdrawn from the codelist still finds the projects that kept it)."""

    def valid_value(self, value: Any) -> bool:
        return bool(SECTOR_CODE.match(str(value)))


class SectorFilter(django_filters.MultipleChoiceFilter):
    field_class = SectorCodeField


def _in(queryset: QuerySet[Project], links: QuerySet[Any]) -> QuerySet[Project]:
    return queryset.filter(pk__in=links.values("project_id"))


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    activity_status = django_filters.MultipleChoiceFilter(
        label=_("Activity status"), choices=ActivityStatus.choices, method="filter_activity_status"
    )
    country = django_filters.MultipleChoiceFilter(
        label=_("Recipient country"), choices=countries, method="filter_country"
    )
    sector = SectorFilter(label=_("Sector"), method="filter_sector")
    sdg = django_filters.ModelMultipleChoiceFilter(
        label=_("Sustainable Development Goal"), queryset=Sdg.objects.all(), method="filter_sdg"
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", method="filter_theme"
    )
    departement = django_filters.ModelMultipleChoiceFilter(
        label=_("Département of a regional actor"),
        queryset=Departement.objects.all(),
        method="filter_departement",
    )
    funder = django_filters.ModelMultipleChoiceFilter(
        label=_("Funder"), queryset=Organisation.objects.all(), to_field_name="slug", method="filter_funder"
    )
    organisation = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method="filter_organisation",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=(("recent", _("Most recent start")), ("title", _("Title"))),
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Project
        fields: list[str] = []

    # --- Each filter ------------------------------------------------------------------------------

    def filter_search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return text_search(queryset, value)

    def filter_activity_status(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet:
        return queryset.filter(activity_status__in=[int(code) for code in value])

    def filter_country(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet:
        return _in(queryset, RecipientCountry.objects.filter(country__in=value))

    def filter_sector(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet:
        # A category matches its purpose codes (vocabulary 1) and itself (vocabulary 2, DAC 3-digit).
        matches = Q()
        for code in value:
            if len(code) == 3:
                matches |= Q(vocabulary="1", code__startswith=code) | Q(vocabulary="2", code=code)
            else:
                matches |= Q(vocabulary="1", code=code)
        return _in(queryset, ProjectSector.objects.filter(matches))

    def filter_sdg(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet:
        links = Project.sdgs.through.objects.filter(sdg__in=value)
        return queryset.filter(pk__in=links.values("project_id"))

    def filter_theme(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet:
        links = Project.themes.through.objects.filter(theme__in=value)
        return queryset.filter(pk__in=links.values("project_id"))

    def filter_departement(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet:
        return _in(
            queryset,
            Participation.objects.filter(
                organisation__kind=Organisation.Kind.REGIONAL, organisation__commune__departement__in=value
            ),
        )

    def filter_funder(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet:
        return _in(
            queryset, Participation.objects.filter(role=OrganisationRole.FUNDING, organisation__in=value)
        )

    def filter_organisation(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet:
        """The projects an organisation reports or takes part in (the link of its profile)."""
        taking_part = Participation.objects.filter(organisation__in=value).values("project_id")
        return queryset.filter(Q(reporting_organisation__in=value) | Q(pk__in=taking_part))

    def filter_sort(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS.get(value, SORTS["recent"]))

    # --- The whole set ----------------------------------------------------------------------------

    @property
    def selected(self) -> dict[str, Any]:
        """The valid values of the filters (the invalid ones are ignored, and told in ``invalid``)."""
        self.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if _given(value)}

    def filtered(self, *, without: str | None = None) -> QuerySet[Project]:
        """The projects matching every valid filter but ``without``, unsorted."""
        queryset = self.queryset.all()
        for name, value in self.selected.items():
            if name not in (without, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def results(self) -> QuerySet[Project]:
        return self.filter_sort(self.filtered(), "sort", self.selected.get("sort", "recent"))

    def invalid(self) -> list[tuple[str, list[str]]]:
        self.is_valid()
        return [
            (str(self.filters[name].label), list(messages)) for name, messages in self.form.errors.items()
        ]
