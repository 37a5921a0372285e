"""The shared documents of a commission, for its members: list (filtered by tag), upload, versions,
and downloads served from the private storage after a permission check."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.commissions import services_documents
from maillage.commissions.forms_documents import DocumentEditForm, DocumentForm, VersionForm
from maillage.commissions.models import Commission, Document, DocumentVersion


def guard(request: HttpRequest, perm: str, obj: Model) -> HttpResponse | None:
    """A visitor is sent to log in (the response returned); a user without ``perm`` on ``obj``
    gets a 403 (raised); None when allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


def _versions() -> Prefetch:
    return Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by"))


@require_http_methods(["GET", "POST"])
def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    commission = get_object_or_404(Commission, slug=slug)
    if (refused := guard(request, "commissions.view_document", commission)) is not None:
        return refused
    can_add = request.user.has_perm("commissions.add_document", commission)
    form = DocumentForm(commission=commission)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        form = DocumentForm(request.POST, request.FILES, commission=commission)
        if form.is_valid():
            try:
                document = services_documents.document_create(
                    commission=commission,
                    user=request.user,  # type: ignore[arg-type]
                    title=form.cleaned_data["title"],
                    tags=form.cleaned_data["tags"],
                    meetings=form.cleaned_data.get("meetings") or (),
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                messages.success(request, _("The document has been added."))
                return redirect("commissions:document", slug=commission.slug, pk=document.pk)
    documents = commission.documents.prefetch_related(_versions())
    tag = request.GET.get("tag", "").strip()
    all_tags = sorted(
        {t for tags in commission.documents.values_list("tags", flat=True) for t in _split(tags)},
        key=str.casefold,
    )
    rows: list[dict[str, Any]] = []
    for document in documents.filter(tags__icontains=tag) if tag else documents:
        if tag and tag.casefold() not in {t.casefold() for t in document.tag_list}:
            continue
        versions = list(document.versions.all())
        rows.append({"document": document, "current": versions[0] if versions else None})
    context = {
        "commission": commission,
        "rows": rows,
        "tags": all_tags,
        "tag": tag,
        "form": form,
        "can_add": can_add,
    }
    return render(request, "commissions/document_list.html", context)


def _split(tags: str) -> list[str]:
    return [t.strip() for t in tags.split(",") if t.strip()]


@require_http_methods(["GET", "POST"])
def document(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("commission").prefetch_related(_versions(), "meetings"),
        commission__slug=slug,
        pk=pk,
    )
    commission = document.commission
    if (refused := guard(request, "commissions.view_document", document)) is not None:
        return refused
    can_change = request.user.has_perm("commissions.add_document", commission)
    initial = {"title": document.title, "tags": document.tags, "meetings": list(document.meetings.all())}
    version_form = VersionForm()
    edit_form = DocumentEditForm(initial=initial, commission=commission)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if request.POST.get("action") == "version":
            version_form = VersionForm(request.POST, request.FILES)
            if version_form.is_valid():
                try:
                    version = services_documents.version_add(
                        document=document,
                        user=request.user,  # type: ignore[arg-type]
                        upload=version_form.cleaned_data["file"],
                    )
                except ValidationError as error:
                    version_form.add_error("file", error.messages)
                else:
                    messages.success(
                        request, _("Version %(number)s has been added.") % {"number": version.number}
                    )
                    return redirect("commissions:document", slug=slug, pk=document.pk)
        else:
            edit_form = DocumentEditForm(request.POST, commission=commission)
            if edit_form.is_valid():
                services_documents.document_update(
                    document=document,
                    title=edit_form.cleaned_data["title"],
                    tags=edit_form.cleaned_data["tags"],
                    meetings=edit_form.cleaned_data.get("meetings") or (),
                )
                messages.success(request, _("The document has been updated."))
                return redirect("commissions:document", slug=slug, pk=document.pk)
    context = {
        "commission": commission,
        "document": document,
        "versions": list(document.versions.all()),
        "meetings": list(document.meetings.all()),
        "version_form": version_form,
        "edit_form": edit_form,
        "can_change": can_change,
    }
    return render(request, "commissions/document.html", context)


@require_safe
def version_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse | FileResponse:
    """The file, as an attachment under its original name (RFC 5987 for accents), with the type
    recorded when it was checked at upload and ``nosniff``: a browser never runs it in our pages."""
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document__commission"), document__commission__slug=slug, pk=pk
    )
    if (refused := guard(request, "commissions.view_document", version.document)) is not None:
        return refused
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=version.filename, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
