"""The staff's validation of projects, under /gestion/observatoire/projets/: the queue (the
projects submitted, or of another status) and the review of one project (its whole record,
its history, and the decision: publish, send back with a reason, archive)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from maillage.core.permissions import permission_required
from maillage.observatory import workflow
from maillage.observatory.models import Project

PER_PAGE = 50
READ_PERM = "observatory.view_project"  # without a project: the back office
VALIDATE_PERM = "observatory.validate_project"


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Validation"),
        choices=[("", gettext_lazy("All")), *Project.Status.choices],
        required=False,
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What the organisation should change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Sent by e-mail to the organisation's editors, and shown on the project."),
    )


@require_safe
@permission_required(READ_PERM)
def project_queue(request: HttpRequest) -> HttpResponse:
    filter_form = QueueFilter(request.GET or {"status": Project.Status.SUBMITTED})
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else Project.Status.SUBMITTED
    projects = Project.objects.select_related("reporting_organisation").order_by("-updated_at", "-pk")
    if status:
        projects = projects.filter(status=status)
    page = Paginator(projects, PER_PAGE).get_page(request.GET.get("page"))
    context = {"filter_form": filter_form, "page": page, "projects": page.object_list, "status": status}
    return render(request, "observatory/staff/project_queue.html", context)


def _project(pk: int) -> Project:
    related = ("reporting_organisation", "validated_by", "campaign")
    return get_object_or_404(Project.objects.select_related(*related), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(READ_PERM)
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    send_back = SendBackForm(request.POST if request.POST.get("action") == "send_back" else None)
    if request.method == "POST":
        if not request.user.has_perm(VALIDATE_PERM):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "publish":
                workflow.project_publish(project, request.user)  # type: ignore[arg-type]
                messages.success(request, _("The project is published; its organisation is told."))
            elif action == "archive":
                workflow.project_archive(project, request.user)  # type: ignore[arg-type]
                messages.success(request, _("The project is archived."))
            elif action == "send_back" and send_back.is_valid():
                workflow.project_send_back(project, request.user, send_back.cleaned_data["reason"])  # type: ignore[arg-type]
                messages.success(request, _("The project is sent back to its organisation."))
            elif action != "send_back":
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            if action == "send_back" and hasattr(error, "error_dict"):
                send_back.add_error("reason", error.error_dict["reason"])
            else:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("observatory_staff:project_review", project.pk)
        if not send_back.errors:
            return redirect("observatory_staff:project_review", project.pk)
    context = {
        "project": project,
        "send_back": send_back,
        "can_validate": request.user.has_perm(VALIDATE_PERM),
        "participations": project.participations.select_related("organisation"),
        "transactions": project.transactions.select_related("provider", "receiver"),
    }
    return render(request, "observatory/staff/project_review.html", context)
