"""Staff pages of the spreadsheet import and export of projects in the Atlas layout (under
/gestion/observatoire/tableur/).

The team uploads, maps, previews and commits (``observatory.add_projectimportrun``); the back
office reads the imports and downloads the template (``observatory.view_projectimportrun``) and
the export of every project (``observatory.export_project``)."""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.models import User
from maillage.core.exports import FORMATS, export_response
from maillage.core.permissions import permission_required
from maillage.directory.forms import ImportUploadForm
from maillage.directory.import_files import ColumnMappingForm, ImportFileError
from maillage.directory.staff_views import import_step
from maillage.observatory import atlas, atlas_imports
from maillage.observatory.models import Project, ProjectImportRun

IMPORT_PERM = "observatory.add_projectimportrun"
READ_PERM = "observatory.view_projectimportrun"
EXPORT_PERM = "observatory.export_project"


def _data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _may_import(request: HttpRequest) -> None:
    if not request.user.has_perm(IMPORT_PERM):
        raise PermissionDenied


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(READ_PERM)
def imports(request: HttpRequest) -> HttpResponse:
    """The imports of projects, and the upload of a new file (the team)."""
    form = ImportUploadForm(_data(request), request.FILES or None)
    if request.method == "POST":
        _may_import(request)
        if form.is_valid():
            try:
                run = atlas_imports.atlas_start(user=_user(request), upload=form.cleaned_data["file"])
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("observatory_staff:atlas_import", pk=run.pk)
    runs = ProjectImportRun.objects.select_related("user").defer("rows", "report", "headers")
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "observatory/staff/atlas_imports.html", {"page": page, "form": form})


def _pending_run(pk: int) -> ProjectImportRun:
    return get_object_or_404(ProjectImportRun, pk=pk, status=ProjectImportRun.Status.PENDING)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(IMPORT_PERM)
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = _pending_run(pk)
    initial = {key: str(index) for key, index in run.mapping.items()}
    form = ColumnMappingForm(
        _data(request),
        headers=run.headers,
        columns=atlas.COLUMNS,
        check=atlas.mapping_errors,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        atlas_imports.atlas_set_mapping(run=run, mapping=form.mapping())
        return redirect("observatory_staff:atlas_import", pk=run.pk)
    samples = [cells for _line, cells in run.rows[:3]]
    columns = [(header, [row[index] for row in samples]) for index, header in enumerate(run.headers)]
    context = {"run": run, "form": form, "columns": columns}
    return render(request, "observatory/staff/atlas_mapping.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(READ_PERM)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A committed run's report; a pending run's preview and commit (the team)."""
    run = get_object_or_404(ProjectImportRun.objects.select_related("user"), pk=pk)
    if run.status != ProjectImportRun.Status.PENDING or not request.user.has_perm(IMPORT_PERM):
        if request.method == "POST":
            _may_import(request)
            raise Http404
        return render(request, "observatory/staff/atlas_detail.html", {"run": run})
    if atlas.mapping_errors(run.mapping):
        return redirect("observatory_staff:atlas_import_mapping", pk=run.pk)
    return import_step(
        request,
        run,
        preview=lambda: atlas_imports.atlas_preview(run),
        commit=lambda valid_only: atlas_imports.atlas_commit(run, _user(request), valid_only=valid_only),
        template="observatory/staff/atlas_preview.html",
        list_url="observatory_staff:atlas_imports",
        detail_url="observatory_staff:atlas_import",
    )


@require_safe
@permission_required(READ_PERM)
def template(request: HttpRequest) -> HttpResponse:
    """An XLSX workbook with the Atlas headers and one example row."""
    headers = [str(column.label) for column in atlas.COLUMNS]
    response = export_response(
        "xlsx", rows=[atlas.example_row()], headers=headers, filename="modele-projets", title=_("Projects")
    )
    return cast(HttpResponse, response)


def _filtered(request: HttpRequest) -> "list[Q]":
    """The export's filters: ``?status=`` (IATI activity status codes, repeatable) and
    ``?year=`` (the projects running during that year)."""
    filters = []
    statuses = [int(value) for value in request.GET.getlist("status") if value.isdigit()]
    if statuses:
        filters.append(Q(activity_status__in=statuses))
    year = request.GET.get("year", "")
    if year.isdigit() and 1900 <= int(year) <= 2100:
        filters.append(Q(start_date__isnull=True) | Q(start_date__year__lte=int(year)))
        filters.append(Q(end_date__isnull=True) | Q(end_date__year__gte=int(year)))
    return filters


@require_safe
@permission_required(EXPORT_PERM)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every project (drafts and archives included) in the Atlas layout."""
    if fmt not in FORMATS:
        raise Http404
    projects = (
        Project.objects.annotate(
            start_date=Coalesce("actual_start", "planned_start"),
            end_date=Coalesce("actual_end", "planned_end"),
        )
        .filter(*_filtered(request))
        .select_related("reporting_organisation")
        .prefetch_related(
            "participations__organisation",
            "recipient_countries",
            "sectors",
            "budgets",
            "transactions",
            "themes",
            "sdgs",
        )
        .order_by("title", "pk")
    )
    rows = (atlas.project_row(project) for project in projects.iterator(chunk_size=500))
    headers = [str(column.label) for column in atlas.COLUMNS]
    filename = f"projets-{timezone.localdate():%Y-%m-%d}"
    return cast(
        HttpResponse, export_response(fmt, rows=rows, headers=headers, filename=filename, title=_("Projects"))
    )
