"""``ProjectData``: everything a project holds, as plain values, before it is written (by
``services.project_save``) or after it is read back (``ProjectData.of``)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from maillage.core.models import Sdg, SdgTarget, Theme
from maillage.directory.models import Organisation
from maillage.observatory.models import ActivityStatus, Project


@dataclass
class ProjectData:
    """Everything a project holds, before it is written. Parts are lists of plain values:

    - ``participations``: ``(organisation, role)``;
    - ``countries``: ``(ISO code, percentage or None)``;
    - ``regions`` and ``sectors``: ``(vocabulary, code, percentage or None)``;
    - ``locations``, ``budgets``, ``transactions``, ``documents``: dicts of the fields of
      ``Location``, ``Budget``, ``Transaction`` and ``DocumentLink`` (without ``project``)."""

    title: str
    reporting_organisation: Organisation
    description: str = ""
    iati_identifier: str = ""
    language: str = "fr"
    narratives: dict[str, dict[str, str]] = field(default_factory=dict)
    activity_status: int | None = ActivityStatus.IMPLEMENTATION
    planned_start: date | None = None
    actual_start: date | None = None
    planned_end: date | None = None
    actual_end: date | None = None
    default_currency: str = "EUR"
    beneficiaries: int | None = None
    volunteers: int | None = None
    participations: list[tuple[Organisation, int]] = field(default_factory=list)
    countries: list[tuple[str, Decimal | None]] = field(default_factory=list)
    regions: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    sectors: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    budgets: list[dict[str, Any]] = field(default_factory=list)
    transactions: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    sdg_targets: list[SdgTarget] = field(default_factory=list)
    iati_last_updated: datetime | None = None
    iati_warnings: list[str] = field(default_factory=list)

    SCALARS = (
        "title",
        "reporting_organisation",
        "description",
        "iati_identifier",
        "language",
        "narratives",
        "activity_status",
        "planned_start",
        "actual_start",
        "planned_end",
        "actual_end",
        "default_currency",
        "beneficiaries",
        "volunteers",
        "iati_last_updated",
        "iati_warnings",
    )

    @classmethod
    def of(cls, project: Project) -> "ProjectData":
        """The data of a recorded project (to edit it, export it or compare it)."""
        fields = {"project", "id"}
        return cls(
            **{name: getattr(project, name) for name in cls.SCALARS},
            participations=[(p.organisation, p.role) for p in project.participations.all()],
            countries=[(c.country.code, c.percentage) for c in project.recipient_countries.all()],
            regions=[(r.vocabulary, r.code, r.percentage) for r in project.recipient_regions.all()],
            sectors=[(s.vocabulary, s.code, s.percentage) for s in project.sectors.all()],
            locations=[part_values(item, fields) for item in project.locations.all()],
            budgets=[part_values(item, fields) for item in project.budgets.all()],
            transactions=[part_values(item, fields) for item in project.transactions.all()],
            documents=[part_values(item, fields) for item in project.documents.all()],
            themes=list(project.themes.all()),
            sdgs=list(project.sdgs.all()),
            sdg_targets=list(project.sdg_targets.all()),
        )


def part_values(instance: Any, excluded: set[str]) -> dict[str, Any]:
    return {
        f.attname.removesuffix("_id") if f.is_relation else f.name: getattr(instance, f.name)
        for f in instance._meta.concrete_fields
        if f.name not in excluded
    }
