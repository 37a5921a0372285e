"""The yearly survey by personal link (/observatoire/enquete/<token>/): no account, no password.

The token opens one organisation's answer for one open campaign (``surveys.invitation_for_token``):
an unknown link gets a 404 page, a closed or expired one a 410 page, both saying why in words.
The pages are never cached and never send the link on as a referrer (the token is the URL)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.observatory.forms import ProjectForms
from maillage.observatory.models import Invitation, Project
from maillage.observatory.survey_forms import AnswerForm
from maillage.observatory.surveys import (
    LinkRefused,
    invitation_answer,
    invitation_for_token,
    invitation_open,
    link_expires_at,
    survey_project_check,
    survey_projects,
)

View = Callable[..., HttpResponse]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token never leaves for another site
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def by_token(view: View) -> View:
    """Resolve the token into its invitation (or the page saying why not); headers of privacy.

    The referrer policy is ``same-origin``, not ``no-referrer``: the latter makes browsers post
    the page's forms with ``Origin: null``, which Django's CSRF check refuses."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            invitation = invitation_for_token(token)
        except LinkRefused as refusal:
            status = 404 if refusal.code == "unknown" else 410
            context = {"message": refusal.message, "status": status}
            return _private(render(request, "observatory/survey/answer_refused.html", context, status=status))
        return _private(view(request, invitation, *args, **kwargs))

    return wrapper


def _initial(invitation: Invitation) -> dict[str, Any]:
    return {
        "international_budget": invitation.international_budget,
        "staff_count": invitation.staff,
        "volunteer_count": invitation.volunteers,
        "awareness_actions": invitation.awareness_actions,
        "comment": invitation.comment,
    }


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "HEAD", "POST"])
@by_token
def answer(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if request.method != "POST":
        invitation = invitation_open(invitation)
    organisation = invitation.organisation
    locked = invitation.state == Invitation.State.VALIDATED
    form = AnswerForm(
        request.POST if request.method == "POST" and not locked else None,
        instance=organisation,
        initial=_initial(invitation),
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                invitation_answer(invitation=invitation, **form.answer())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Thank you: your answer has been recorded."))
                return redirect("observatory:survey_answer", token=invitation.token)
        status = 400
    organisation.refresh_from_db()
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "organisation": organisation,
        "form": form,
        "locked": locked,
        "projects": survey_projects(invitation),
        "expires_at": link_expires_at(invitation.campaign),
    }
    return render(request, "observatory/survey/answer.html", context, status=status)


def _project_page(request: HttpRequest, invitation: Invitation, project: Project | None) -> HttpResponse:
    try:
        survey_project_check(invitation)
    except ValidationError as error:
        context = {"message": " ".join(error.messages), "status": 409, "invitation": invitation}
        return render(request, "observatory/survey/answer_refused.html", context, status=409)
    data = request.POST if request.method == "POST" else None
    forms = ProjectForms(data, organisation=invitation.organisation, project=project)
    status = 200
    if data is not None and not forms.adding_row:
        if forms.is_valid():
            saved = forms.save(
                None,
                provenance=Project.Provenance.SURVEY if project is None else None,
                status=Project.Status.SUBMITTED,
            )
            if saved is not None:
                if saved.campaign_id != invitation.campaign_id:
                    saved.campaign = invitation.campaign
                    saved.save(update_fields=["campaign", "updated_at"])
                messages.success(
                    request,
                    _("The project “%(title)s” has been recorded with your answer.") % {"title": saved.title},
                )
                return redirect("observatory:survey_answer", token=invitation.token)
        status = 400
    context = {"invitation": invitation, "campaign": invitation.campaign, "forms": forms, "project": project}
    return render(request, "observatory/survey/answer_project.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@by_token
def project_create(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    return _project_page(request, invitation, None)


@require_http_methods(["GET", "HEAD", "POST"])
@by_token
def project_edit(request: HttpRequest, invitation: Invitation, pk: int) -> HttpResponse:
    project = survey_projects(invitation).filter(pk=pk).first()
    if project is None:
        context = {
            "message": _("This project is not one of your organisation’s projects for this survey."),
            "status": 404,
            "invitation": invitation,
        }
        return render(request, "observatory/survey/answer_refused.html", context, status=404)
    return _project_page(request, invitation, project)
