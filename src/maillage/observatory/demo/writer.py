"""Writing the demo's projects in bulk, with the rules of ``project_save``.

``project_save`` writes one project at a time, in about 0.2 s on SQLite: the history of its
many-to-many fields writes a historical record of the project (and copies of the links) at each
of its three ``set()``, and the constraints are checked with a query each — two minutes for the
demo's 600 projects. Here every project is checked with the same rules (``project_errors``,
strict, and the fields' own validation), then written with a few bulk statements, with the
historical records of the project and of its tracked parts (participations, budgets,
transactions), but not of its many-to-many links (as the directory's demo writer does)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from maillage.directory.filters import data_changed
from maillage.observatory.models import (
    Budget,
    DocumentLink,
    Location,
    Participation,
    Project,
    ProjectSector,
    RecipientCountry,
    RecipientRegion,
    Transaction,
)
from maillage.observatory.services import ProjectData, project_errors, project_search_text

REASON = "demo data"
BATCH = 500
# Checked by ``project_errors`` or by the database, not one query at a time.
UNCHECKED = [
    "reporting_organisation",
    "search_text",
    "narratives",
    "iati_warnings",
    "validated_by",
    "campaign",
]


@dataclass(frozen=True)
class NewProject:
    data: ProjectData
    provenance: str
    status: str


def _checked(item: NewProject) -> Project:
    errors = project_errors(item.data)
    if errors:
        raise ValidationError(f"{item.data.title}: {errors}")
    project = Project(provenance=item.provenance, status=item.status)
    for name in ProjectData.SCALARS:
        setattr(project, name, getattr(item.data, name))
    project.search_text = project_search_text(project, item.data)
    project.clean_fields(exclude=UNCHECKED)
    return project


def _create(objs: list[Any], model: type[Model], history: bool) -> list[Any]:
    if not objs:
        return []
    if history:
        return list(bulk_create_with_history(objs, model, batch_size=BATCH, default_change_reason=REASON))
    return model._default_manager.bulk_create(objs, batch_size=BATCH)


def write_projects(items: Sequence[NewProject]) -> int:
    """Create the projects of ``items`` with all their parts; raise ``ValidationError`` on the
    first project that breaks a rule, before writing anything. Returns the number created."""
    projects = _create([_checked(item) for item in items], Project, history=True)
    if any(project.pk is None for project in projects):  # SQLite ≥ 3.35 and PostgreSQL return them
        raise ValidationError("The database did not return the keys of the new projects.")
    parts: dict[type[Model], list[Model]] = {model: [] for model in PARTS}
    links: dict[str, list[Model]] = {"themes": [], "sdgs": [], "sdg_targets": []}
    for project, item in zip(projects, items, strict=True):
        data = item.data
        parts[Participation] += [
            Participation(project=project, organisation=organisation, role=role)
            for organisation, role in data.participations
        ]
        parts[RecipientCountry] += [
            RecipientCountry(project=project, country=code, percentage=share)  # type: ignore[misc]  # nullable (PERCENTAGE)
            for code, share in data.countries
        ]
        parts[RecipientRegion] += [
            RecipientRegion(project=project, vocabulary=v, code=c, percentage=share)  # type: ignore[misc]  # nullable (PERCENTAGE)
            for v, c, share in data.regions
        ]
        parts[ProjectSector] += [
            ProjectSector(project=project, vocabulary=v, code=c, percentage=share)  # type: ignore[misc]  # nullable (PERCENTAGE)
            for v, c, share in data.sectors
        ]
        parts[Location] += [Location(project=project, **row) for row in data.locations]
        currency = {"currency": data.default_currency}
        parts[Budget] += [Budget(project=project, **(currency | row)) for row in data.budgets]
        parts[Transaction] += [Transaction(project=project, **(currency | row)) for row in data.transactions]
        parts[DocumentLink] += [DocumentLink(project=project, **row) for row in data.documents]
        links["themes"] += [Project.themes.through(project=project, theme=theme) for theme in data.themes]
        links["sdgs"] += [Project.sdgs.through(project=project, sdg=sdg) for sdg in data.sdgs]
        links["sdg_targets"] += [
            Project.sdg_targets.through(project=project, sdgtarget=target) for target in data.sdg_targets
        ]
    for model, objs in parts.items():
        # The foreign keys are ours (no query each); the countries were checked by the rules.
        unchecked = [f.name for f in model._meta.concrete_fields if f.is_relation or f.name == "country"]
        for obj in objs:
            obj.clean_fields(exclude=unchecked)
        _create(objs, model, history=model in HISTORY)
    for name, objs in links.items():
        getattr(Project, name).through.objects.bulk_create(objs, batch_size=BATCH)
    data_changed("observatory")  # bulk writes send no signal: the cached facets are forgotten here
    return len(projects)


PARTS: tuple[type[Model], ...] = (
    Participation,
    RecipientCountry,
    RecipientRegion,
    ProjectSector,
    Location,
    Budget,
    Transaction,
    DocumentLink,
)
HISTORY = (Participation, Budget, Transaction)
