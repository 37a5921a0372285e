"""Import of projects from a spreadsheet in the Atlas layout (``atlas``), with the directory
import's steps and guarantees (``maillage.directory.imports``): the file read by
``read_upload``, the columns guessed from the headers, a preview that writes nothing, an
all-or-nothing commit (or the valid rows only, on request), and re-importing the same file
giving only "unchanged" rows.

- A row matches a recorded project by its IATI identifier, else by its holder, its title
  (compared without accents, case or punctuation) and its start year (when the cell is filled).
- Every project is written by ``project_save`` (provenance "spreadsheet import", the IATI rules
  without ``strict``); a new project is submitted to the staff's validation, a recorded one keeps
  its validation status.
- The preview runs exactly what the commit runs, inside a transaction rolled back at its end.
- A run never committed is deleted after ``MAILLAGE_IMPORT_RETENTION_DAYS`` days
  (``imports_purge``, run by the observatory's Celery task and by each new upload)."""

from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.models.reference import search_key
from maillage.directory.import_files import guess_mapping, read_upload
from maillage.directory.imports import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ImportRejected,
    RowResult,
    commit_record,
    counts,
)
from maillage.directory.models import Organisation
from maillage.observatory import atlas
from maillage.observatory.atlas_rows import Lookups, RowValues, project_data, row_values
from maillage.observatory.models import OrganisationRole, Project, ProjectImportRun
from maillage.observatory.services import ProjectData, project_errors, project_save

__all__ = ["ImportRejected", "atlas_commit", "atlas_preview", "atlas_start", "counts", "imports_purge"]

# Where the rules name a part of the project, the preview names the column.
FIELD_COLUMNS = {
    "activity_status": "status",
    "planned_start": "start_year",
    "actual_start": "start_year",
    "planned_end": "end_year",
    "actual_end": "end_year",
    "reporting_organisation": "reporting",
    "participations": "partners",
    "regions": "countries",
    "budgets": "total_cost",
    "default_currency": "total_cost",
    "transactions": "cofunding",
}
PARTS = ("countries", "regions", "sectors", "budgets", "transactions", "themes", "sdgs")
ROLE_COLUMNS: dict[int, str] = {
    OrganisationRole.ACCOUNTABLE: "reporting",
    OrganisationRole.IMPLEMENTING: "partners",
    OrganisationRole.FUNDING: "cofunding",
}


def _label(key: str) -> str:
    column = next((column for column in atlas.COLUMNS if column.key == key), None)
    if column is not None:
        return capfirst(str(column.label))
    model_field = next((f for f in Project._meta.concrete_fields if f.name == key), None)
    return str(capfirst(model_field.verbose_name)) if model_field else key


def _reasons(errors: dict[str, list[str]]) -> list[str]:
    return [
        str(message)
        if key == "__all__"
        else _("%(field)s: %(message)s") % {"field": _label(key), "message": message}
        for key, messages in errors.items()
        for message in messages
    ]


def _changes(before: ProjectData, after: ProjectData) -> list[str]:
    """The columns whose values changed, in the order of the layout."""
    keys = set()
    for name in (*ProjectData.SCALARS, *PARTS):
        if getattr(before, name) != getattr(after, name):
            keys.add(FIELD_COLUMNS.get(name, name))
    old, new = set(before.participations), set(after.participations)
    keys |= {ROLE_COLUMNS.get(role, "partners") for _organisation, role in old ^ new}
    return [_label(column.key) for column in atlas.COLUMNS if column.key in keys]


def _match(values: dict[str, Any]) -> Project | None:
    projects = Project.objects.select_for_update()
    identifier = values.get("iati_identifier", "")
    if identifier:
        found = projects.filter(iati_identifier=identifier).first()
        if found:
            return found
    if "title" not in values or "reporting" not in values:
        return None
    title, year = search_key(values["title"]), values.get("start_year")
    candidates = projects.filter(reporting_organisation=values["reporting"])
    candidates = candidates.filter(Q(iati_identifier="") | Q(iati_identifier=identifier)).order_by("pk")
    for project in candidates.only("pk", "title", "planned_start", "actual_start"):
        start = project.actual_start or project.planned_start
        if search_key(project.title) == title and (year is None or (start and start.year) == year):
            return Project.objects.get(pk=project.pk)
    return None


class _Discard(Exception):
    """Roll a row back: it has errors of its own beside what the rules accepted."""


def _write(row: RowValues, lookups: Lookups, user: User | None, created: list[Organisation]) -> RowResult:
    result = RowResult(line=0, name=row.values.get("title", ""), outcome=UNCHANGED)
    project = _match(row.values)
    before = ProjectData.of(project) if project else None
    data = project_data(row, before, lookups, created)
    if row.errors or data is None:
        rules = project_errors(data, strict=False) if data else {}
        for key, messages in rules.items():
            column = FIELD_COLUMNS.get(key, key)
            if column not in row.errors:
                row.errors.setdefault(column, []).extend(messages)
        raise _Discard
    if before is not None and data == before:
        return result
    project_save(
        data,
        project=project,
        user=user,
        provenance=Project.Provenance.IMPORT,
        status=Project.Status.SUBMITTED if project is None else None,
        strict=False,
    )
    result.outcome = CREATED if before is None else UPDATED
    result.changes = _changes(before, data) if before else []
    return result


def _apply_row(
    line: int, cells: list[str], mapping: dict[str, int], lookups: Lookups, user: User | None
) -> RowResult:
    row = row_values(cells, mapping, lookups)
    created: list[Organisation] = []
    try:
        with transaction.atomic():
            result = _write(row, lookups, user, created)
    except ValidationError as exc:
        errors = dict(row.errors)
        for key, messages in exc.message_dict.items():
            errors.setdefault(FIELD_COLUMNS.get(key, key), []).extend(messages)
        result = RowResult(line=0, name="", outcome=REJECTED, reasons=_reasons(errors))
    except _Discard:
        result = RowResult(line=0, name="", outcome=REJECTED, reasons=_reasons(row.errors))
    except IntegrityError:
        reasons = [_("This row conflicts with another project of the observatory.")]
        result = RowResult(line=0, name="", outcome=REJECTED, reasons=reasons)
    else:
        for organisation in created:
            lookups.add(organisation)
    result.line, result.name = line, row.values.get("title", "")
    return result


def _run(run: ProjectImportRun, *, write: bool, valid_only: bool) -> list[RowResult]:
    lookups = Lookups()
    with transaction.atomic():
        results = [_apply_row(line, cells, run.mapping, lookups, run.user) for line, cells in run.rows]
        rejected = any(result.outcome == REJECTED for result in results)
        if not write or (rejected and not valid_only):
            transaction.set_rollback(True)
    return results


# --- The services of the import -------------------------------------------------------------------


@transaction.atomic
def imports_purge(*, days: int | None = None) -> int:
    """Delete the runs never committed and untouched for ``days`` (by default
    ``MAILLAGE_IMPORT_RETENTION_DAYS``); returns how many. Their rows are in the database:
    no file is left behind."""
    days = settings.MAILLAGE_IMPORT_RETENTION_DAYS if days is None else days
    if days < 0:
        raise ValueError("The retention of imports is a number of days (0 or more).")
    limit = timezone.now() - timedelta(days=days)
    runs = ProjectImportRun.objects.filter(status=ProjectImportRun.Status.PENDING, updated_at__lt=limit)
    deleted, _by_model = runs.delete()
    return deleted


@transaction.atomic
def atlas_start(*, user: User, upload: UploadedFile) -> ProjectImportRun:
    """Read ``upload`` and keep its rows in a new run; raises ``ImportFileError``."""
    parsed = read_upload(upload)
    imports_purge()
    return ProjectImportRun.objects.create(
        user=user,
        file_name=PurePath(upload.name or "").name[:255],
        encoding=parsed.encoding,
        headers=parsed.headers,
        rows=parsed.rows,
        mapping=guess_mapping(parsed.headers, atlas.COLUMNS),
    )


@transaction.atomic
def atlas_set_mapping(*, run: ProjectImportRun, mapping: dict[str, int]) -> ProjectImportRun:
    errors = atlas.mapping_errors(mapping)
    if errors:
        raise ValidationError(errors)
    run.mapping = mapping
    run.save(update_fields=["mapping", "updated_at"])
    return run


def atlas_preview(run: ProjectImportRun) -> list[RowResult]:
    """What the commit would do, row by row; nothing is written."""
    return _run(run, write=False, valid_only=False)


@transaction.atomic
def atlas_commit(run: ProjectImportRun, user: User, valid_only: bool = False) -> ProjectImportRun:
    """Write every row in one transaction; raise ``ImportRejected`` (and write nothing) when a
    row is rejected unless ``valid_only``. A run is committed once."""
    run = ProjectImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ProjectImportRun.Status.PENDING:
        raise ValidationError(_("This file has already been imported."))
    if atlas.mapping_errors(run.mapping):
        raise ValidationError(atlas.mapping_errors(run.mapping))
    return commit_record(run, _run(run, write=True, valid_only=valid_only), user=user, valid_only=valid_only)
