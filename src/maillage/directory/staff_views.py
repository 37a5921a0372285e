"""Staff pages of the directory (under /gestion/annuaire/): imports, duplicates, full export.

Staff and administrators import and merge (``directory.add_organisation``); auditors read the
history of imports and the list of duplicates (``core.view_backoffice``); the back office
downloads the full export (``directory.export_organisation``)."""

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.models import User
from maillage.core.exports import FORMATS
from maillage.core.permissions import permission_required
from maillage.directory import imports
from maillage.directory.duplicates import duplicate_candidates, duplicate_pairs, organisation_merge
from maillage.directory.forms import ImportCommitForm, ImportUploadForm, MergeForm
from maillage.directory.import_files import ColumnMappingForm, ImportFileError
from maillage.directory.import_models import BaseImportRun
from maillage.directory.models import ImportRun, Organisation
from maillage.directory.staff_export import full_export_response

IMPORT_PERM = "directory.add_organisation"
READ_PERM = "core.view_backoffice"
EXPORT_PERM = "directory.export_organisation"
# The filters of the full export, in its query string: ?status=published&tag=festisol-2026
EXPORT_FILTERS = {
    "status": "status",
    "kind": "kind",
    "college": "college",
    "source": "source",
    "tag": "tags__slug",
}


def _data(request: HttpRequest) -> QueryDict | None:
    """The posted data (even empty: an unchecked box posts nothing), or None to show a form."""
    return request.POST if request.method == "POST" else None


def _user(request: HttpRequest) -> User:
    """The logged-in user (the permission guard let no visitor through)."""
    return cast(User, request.user)


@require_safe
@permission_required(READ_PERM)
def import_list(request: HttpRequest) -> HttpResponse:
    runs = ImportRun.objects.select_related("user").defer("rows", "report")
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "directory/staff/import_list.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(IMPORT_PERM)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = imports.import_start(user=_user(request), upload=form.cleaned_data["file"])
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("directory_staff:import_mapping", pk=run.pk)
    return render(request, "directory/staff/import_upload.html", {"form": form})


def _pending_run(pk: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=pk, status=ImportRun.Status.PENDING)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(IMPORT_PERM)
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = _pending_run(pk)
    initial = {key: str(index) for key, index in run.mapping.items()}
    form = ColumnMappingForm(_data(request), headers=run.headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        imports.import_set_mapping(run=run, mapping=form.mapping())
        return redirect("directory_staff:import_preview", pk=run.pk)
    samples = [cells for _line, cells in run.rows[:3]]
    columns = [(header, [row[index] for row in samples]) for index, header in enumerate(run.headers)]
    context = {"run": run, "form": form, "columns": columns}
    return render(request, "directory/staff/import_mapping.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(IMPORT_PERM)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = _pending_run(pk)
    if imports.mapping_errors(run.mapping):
        return redirect("directory_staff:import_mapping", pk=run.pk)
    return import_step(
        request,
        run,
        preview=lambda: imports.import_preview(run=run),
        commit=lambda valid_only: imports.import_commit(run=run, user=_user(request), valid_only=valid_only),
        template="directory/staff/import_preview.html",
        list_url="directory_staff:import_list",
        detail_url="directory_staff:import_detail",
    )


def import_step(
    request: HttpRequest,
    run: BaseImportRun,
    *,
    preview: Callable[[], list[imports.RowResult]],
    commit: Callable[[bool], BaseImportRun],
    template: str,
    list_url: str,
    detail_url: str,
) -> HttpResponse:
    """The last step of a spreadsheet import (organisations here, projects in the observatory):
    the preview of every row, then the commit, all or nothing unless the valid rows only."""
    form = ImportCommitForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            run = commit(form.cleaned_data["valid_only"])
        except imports.ImportRejected as exc:
            results = exc.results
            messages.error(
                request,
                _("Rows are rejected: nothing was imported. Correct the file or import the valid rows only."),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(list_url)
        else:
            messages.success(request, _("The file has been imported."))
            return redirect(detail_url, pk=run.pk)
    else:
        results = preview()
    context = {"run": run, "form": form, "results": results, "counts": imports.counts(results)}
    return render(request, template, context)


@require_safe
@permission_required(READ_PERM)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("user"), pk=pk)
    return render(request, "directory/staff/import_detail.html", {"run": run})


@require_safe
@permission_required(READ_PERM)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/staff/duplicate_list.html", {"candidates": duplicate_candidates()})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(IMPORT_PERM)
def duplicate_merge(request: HttpRequest, first: int, second: int) -> HttpResponse:
    pair = tuple(
        get_object_or_404(Organisation.objects.select_related("commune"), pk=pk) for pk in (first, second)
    )
    if first == second:
        raise Http404
    reasons = duplicate_pairs().get((min(first, second), max(first, second)), [])
    form = MergeForm(_data(request), pair=(pair[0], pair[1]))
    if request.method == "POST" and form.is_valid():
        survivor, duplicate = form.survivor_and_duplicate()
        name = str(duplicate)
        try:
            survivor = organisation_merge(survivor=survivor, duplicate=duplicate, user=_user(request))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("“%(duplicate)s” has been merged into “%(survivor)s”.")
                % {"duplicate": name, "survivor": survivor},
            )
            return redirect(reverse("directory_staff:duplicate_list"))
    context = {"pair": pair, "form": form, "known": bool(reasons)}
    return render(request, "directory/staff/duplicate_merge.html", context)


@require_safe
@permission_required(EXPORT_PERM)
def full_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Every field of the organisations (drafts and archives included), filtered by the query
    string's ``status``, ``kind``, ``college``, ``source`` and ``tag`` (a tag's identifier)."""
    if file_format not in FORMATS:
        raise Http404
    organisations = Organisation.objects.order_by("name", "pk")
    for parameter, lookup in EXPORT_FILTERS.items():
        values = [value for value in request.GET.getlist(parameter) if value]
        if values:
            organisations = organisations.filter(**{f"{lookup}__in": values})
    # The CSV is streamed (a StreamingHttpResponse), which the view guards' type does not name.
    return cast(HttpResponse, full_export_response(organisations.distinct(), file_format))
