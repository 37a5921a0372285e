"""The projects of the organisations a user edits: the list, a new project, editing one,
submitting it to the staff; and the suggestions of organisations of the project form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.directory.models import Organisation
from maillage.observatory import workflow
from maillage.observatory.forms import ProjectForms
from maillage.observatory.forms_fields import organisation_label, organisations_suggested
from maillage.observatory.models import Project


@require_safe
@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.order_by("-updated_at", "title")
    organisations = request.user.edited_organisations.order_by("name").prefetch_related(  # type: ignore[union-attr]
        Prefetch("reported_projects", queryset=projects)
    )
    return render(request, "observatory/member/projects.html", {"organisations": organisations})


def _page(request: HttpRequest, forms: ProjectForms, project: Project | None) -> HttpResponse:
    context = {"forms": forms, "organisation": forms.organisation, "project": project}
    return render(request, "observatory/member/project_form.html", context)


def _saved(request: HttpRequest, project: Project) -> HttpResponse:
    if request.POST.get("then") == "submit" and project.status == Project.Status.DRAFT:
        return _submit(request, project)
    if request.user.has_perm("observatory.validate_project"):  # the staff, editing from the review
        messages.success(request, _("The project has been saved."))
        return redirect("observatory_staff:project_review", project.pk)
    if project.status == Project.Status.SUBMITTED:
        messages.success(
            request, _("The project has been saved; the staff will check it before publishing it.")
        )
    else:
        messages.success(request, _("The project has been saved."))
    return redirect("observatory_member:projects")


def _submit(request: HttpRequest, project: Project) -> HttpResponse:
    try:
        workflow.project_submit(project, request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The project has been sent to the staff, who will publish it."))
    return redirect("observatory_member:projects")


@require_http_methods(["GET", "POST"])
@login_required
def project_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("observatory.add_project", organisation):
        raise PermissionDenied
    forms = ProjectForms(request.POST if request.method == "POST" else None, organisation=organisation)
    if request.method == "POST" and forms.is_valid():
        project = forms.save(request.user, provenance=Project.Provenance.MANUAL)  # type: ignore[arg-type]
        if project is not None:
            return _saved(request, project)
    return _page(request, forms, None)


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("reporting_organisation"), pk=pk)
    if not request.user.has_perm("observatory.change_project", project):
        raise PermissionDenied
    if project.status == Project.Status.ARCHIVED:
        messages.error(request, _("An archived project can no longer be changed."))
        return redirect("observatory_member:projects")
    data = request.POST if request.method == "POST" else None
    forms = ProjectForms(data, organisation=project.reporting_organisation, project=project)
    if request.method == "POST" and forms.is_valid():
        saved = forms.save(request.user)  # type: ignore[arg-type]
        if saved is not None:
            return _saved(request, saved)
    return _page(request, forms, project)


@require_POST
@login_required
def project_submit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    if not request.user.has_perm("observatory.change_project", project):
        raise PermissionDenied
    return _submit(request, project)


@require_safe
def organisation_suggestions(request: HttpRequest) -> JsonResponse:
    """Published organisations whose name holds the words typed (public data: the survey's
    visitors, who have no account, fill the same form)."""
    query = request.GET.get("q", "")[:100]
    found = organisations_suggested(query, limit=10) if len(query.strip()) >= 2 else []
    return JsonResponse({"results": [organisation_label(organisation) for organisation in found]})
