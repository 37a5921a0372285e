"""Staff moderation of the directory: claims, proposed changes and new organisations."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.models import User
from maillage.core.permissions import permission_required
from maillage.directory import moderation, services
from maillage.directory.member_forms import DecisionForm
from maillage.directory.models import Claim, Organisation, Revision
from maillage.directory.moderation_models import Decision


@require_safe
@permission_required("core.view_backoffice")
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        "claims": Claim.objects.filter(status=Decision.PENDING).select_related("organisation", "user"),
        "revisions": Revision.objects.filter(status=Decision.PENDING).select_related(
            "organisation", "author"
        ),
        "submitted": Organisation.objects.filter(status=Organisation.Status.SUBMITTED).select_related(
            "commune"
        ),
    }
    return render(request, "directory/moderation/queue.html", context)


def _decide(request: HttpRequest, form: DecisionForm, decide: object) -> HttpResponse | None:
    """Run ``decide(approve, comment)`` for a POSTed form; None when the page must be shown."""
    if request.method != "POST" or not form.is_valid():
        return None
    if not request.user.has_perm("directory.change_organisation"):
        messages.error(request, _("Your role can read the moderation queue, not decide."))
        return redirect("directory_moderation:queue")
    try:
        decide("approve" in request.POST, form.cleaned_data["comment"])  # type: ignore[operator]
    except ValidationError as error:
        form.add_error("comment" if hasattr(error, "error_dict") else None, error.messages)
        return None
    messages.success(request, _("The decision has been recorded and the person told by e-mail."))
    return redirect("directory_moderation:queue")


@require_http_methods(["GET", "POST"])
@permission_required("core.view_backoffice")
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Revision.objects.select_related("organisation", "author"), pk=pk)
    staff = cast(User, request.user)  # logged in: permission_required
    form = DecisionForm(request.POST or None)
    done = _decide(
        request,
        form,
        lambda approve, comment: moderation.revision_decide(
            revision=item, by=staff, approve=approve, comment=comment
        ),
    )
    if done:
        return done
    context = {
        "revision": item,
        "changes": moderation.revision_changes(item),
        "logo": moderation.revision_logo_change(item),
        "form": form,
    }
    return render(request, "directory/moderation/revision.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("core.view_backoffice")
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Claim.objects.select_related("organisation", "user"), pk=pk)
    staff = cast(User, request.user)  # logged in: permission_required
    form = DecisionForm(request.POST or None)
    done = _decide(
        request,
        form,
        lambda approve, comment: moderation.claim_decide(
            claim=item, by=staff, approve=approve, comment=comment
        ),
    )
    return done or render(request, "directory/moderation/claim.html", {"claim": item, "form": form})


@require_http_methods(["POST"])
@permission_required("directory.change_organisation")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, status=Organisation.Status.SUBMITTED)
    services.organisation_set_status(organisation=organisation, status=Organisation.Status.PUBLISHED)
    messages.success(request, _("“%(name)s” is now published.") % {"name": organisation.name})
    return redirect("directory_moderation:queue")
