"""Staff pages of the IATI import (under /gestion/observatoire/iati/): the list of imports with
the upload form, then each import's report and its commit.

The back office reads (``observatory.view_iatiimport``); the team uploads and imports
(``observatory.add_iatiimport``)."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from maillage.accounts.models import User
from maillage.core.permissions import permission_required
from maillage.observatory.iati.runs import iati_commit, iati_upload
from maillage.observatory.models import IatiImport

READ_PERM = "observatory.view_iatiimport"
IMPORT_PERM = "observatory.add_iatiimport"
MAX_FILE_SIZE = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("IATI activity file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An XML file of activities (iati-activities), IATI version 2.01 to 2.03; at most %(size)s."
        ) % {"size": filesizeformat(MAX_FILE_SIZE)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("This file weighs %(size)s, more than %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_FILE_SIZE)}
            )
        return upload


class CommitForm(forms.Form):
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import only the valid activities"),
        required=False,
        help_text=gettext_lazy(
            "The rejected activities are left out; they stay listed in the report of the import."
        ),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the projects directly"),
        required=False,
        help_text=gettext_lazy("Otherwise they wait for the staff's validation."),
    )


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(READ_PERM)
def imports(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST":
        _require(request, IMPORT_PERM)
        if form.is_valid():
            run = iati_upload(user=cast(User, request.user), upload=form.cleaned_data["file"])
            return redirect("observatory_staff:iati_import", pk=run.pk)
    runs = IatiImport.objects.select_related("user").defer("report", "warnings")
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "observatory/staff/iati_imports.html", {"page": page, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(READ_PERM)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(IatiImport.objects.select_related("user"), pk=pk)
    form = CommitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _require(request, IMPORT_PERM)
        if run.status != IatiImport.Status.PENDING:
            messages.error(request, _("This file has already been imported or refused."))
            return redirect("observatory_staff:iati_import", pk=run.pk)
        if form.is_valid():
            outcome = iati_commit(
                run=run,
                user=cast(User, request.user),
                valid_only=form.cleaned_data["valid_only"],
                publish=form.cleaned_data["publish"],
            )
            if outcome.committed:
                messages.success(request, _("The file has been imported."))
            elif outcome.error:
                messages.error(request, outcome.error)
            else:
                messages.error(
                    request,
                    _(
                        "Activities are rejected: nothing was imported. Correct the file or import "
                        "the valid activities only."
                    ),
                )
            return redirect("observatory_staff:iati_import", pk=run.pk)
    context = {"run": run, "form": form, "can_import": request.user.has_perm(IMPORT_PERM)}
    return render(request, "observatory/staff/iati_import.html", context)
