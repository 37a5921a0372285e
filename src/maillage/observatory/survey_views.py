"""Staff pages of the yearly survey (under /gestion/observatoire/enquetes/): the campaigns, a new
campaign, a campaign's dashboard (counts by département and collège, its invitations, its
snapshot once closed), its actions (open, remind, close), its export, and one answer.

The back office reads (``observatory.view_campaign``, ``view_invitation``: auditors included);
staff and administrators create, open, remind, close (``add_campaign``, ``change_campaign``)
and validate answers (``change_invitation``). Every write goes through ``surveys``."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.accounts.models import User
from maillage.core.exports import FORMATS, export_response
from maillage.core.models import Departement
from maillage.core.permissions import permission_required
from maillage.directory.models import College
from maillage.observatory import surveys
from maillage.observatory.models import Campaign, Invitation
from maillage.observatory.survey_export import export_rows
from maillage.observatory.survey_forms import CampaignForm
from maillage.observatory.surveys import (
    ANSWERED,
    campaign_open,
    campaign_remind,
    invitation_validate,
    profile_changes,
    selected_organisations,
    selection_errors,
    survey_projects,
)
from maillage.observatory.surveys_snapshot import campaign_close

PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _counts(invitations: QuerySet[Invitation], *group: str) -> Any:
    """The funnel of the invitations (grouped by ``group`` when given), in one query."""
    counts = {
        "invited": Count("pk"),
        "sent": Count("pk", filter=Q(sent_at__isnull=False)),
        "opened": Count("pk", filter=Q(opened_at__isnull=False)),
        "answered": Count("pk", filter=Q(state__in=ANSWERED)),
        "validated": Count("pk", filter=Q(state=Invitation.State.VALIDATED)),
        "without_address": Count("pk", filter=Q(state=Invitation.State.PENDING)),
    }
    if not group:
        return invitations.aggregate(**counts)
    return list(invitations.order_by().values(*group).annotate(**counts).order_by(*group))


# --- The campaigns -----------------------------------------------------------------------------------


@require_safe
@permission_required("observatory.view_campaign")
def campaigns(request: HttpRequest) -> HttpResponse:
    queryset = Campaign.objects.annotate(
        invited=Count("invitations"),
        answered=Count("invitations", filter=Q(invitations__state__in=ANSWERED)),
    ).order_by("-year", "-created_at")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "observatory/survey/staff_campaigns.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("observatory.add_campaign")
def campaign_create(request: HttpRequest) -> HttpResponse:
    """The form; "Count the actors" shows how many the selection chooses, "Create" creates."""
    form = CampaignForm(request.POST if request.method == "POST" else None)
    selected: int | None = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            errors = selection_errors(form.selection())
            for name, messages_ in errors.items():
                form.add_error(name if name in form.fields else None, messages_)
        if form.is_valid():
            selected = selected_organisations(form.selection()).count()
            if "create" in request.POST:
                try:
                    campaign = surveys.campaign_create(
                        year=form.cleaned_data["year"],
                        title=form.cleaned_data["title"],
                        closes_on=form.cleaned_data["closes_on"],
                        introduction=form.cleaned_data["introduction"],
                        selection=form.selection(),
                        user=_user(request),
                    )
                except ValidationError as error:
                    for name, messages_ in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, messages_)
                else:
                    messages.success(
                        request, _("The campaign has been created: open it to send the invitations.")
                    )
                    return redirect("observatory_staff:campaign", pk=campaign.pk)
        if form.errors:
            status = 400
    context = {"form": form, "selected": selected}
    return render(request, "observatory/survey/staff_campaign_create.html", context, status=status)


def _rows_by(counts: list[dict[str, Any]], key: str, labels: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**row, "label": labels.get(row[key] or "", row[key] or _("Unknown"))} for row in counts]


@require_safe
@permission_required("observatory.view_campaign")
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("created_by"), pk=pk)
    invitations = campaign.invitations.all()
    state = request.GET.get("state", "")
    listed = invitations.select_related("organisation__commune").order_by("organisation__name", "pk")
    if state in Invitation.State.values:
        listed = listed.filter(state=state)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    by_departement = _counts(invitations, "organisation__commune__departement")
    names = dict(
        Departement.objects.filter(
            code__in=[row["organisation__commune__departement"] for row in by_departement]
        ).values_list("code", "name")
    )
    snapshot = getattr(campaign, "snapshot", None) if campaign.status == Campaign.Status.CLOSED else None
    context = {
        "campaign": campaign,
        "overall": _counts(invitations),
        "by_college": _rows_by(
            _counts(invitations, "organisation__college"), "organisation__college", dict(College.choices)
        ),
        "by_departement": _rows_by(
            by_departement,
            "organisation__commune__departement",
            {code: f"{name} ({code})" for code, name in names.items()},
        ),
        "states": Invitation.State.choices,
        "state": state,
        "page": page,
        "snapshot": snapshot,
        "snapshot_colleges": _snapshot_rows(snapshot, "by_college", dict(College.choices))
        if snapshot
        else [],
        "snapshot_departements": _snapshot_rows(snapshot, "by_departement", {}) if snapshot else [],
        "selected": selected_organisations(campaign.selection).count()
        if campaign.status == Campaign.Status.DRAFT
        else None,
    }
    return render(request, "observatory/survey/staff_campaign.html", context)


def _snapshot_rows(snapshot: Any, key: str, labels: dict[str, Any]) -> list[dict[str, Any]]:
    names = {row["departement"]: row["departement_name"] for row in snapshot.organisations}
    rows = []
    for code, total in snapshot.totals.get(key, {}).items():
        label = labels.get(code) or (f"{names[code]} ({code})" if names.get(code) else code)
        answered = total["invitations"].get("answered", 0) + total["invitations"].get("validated", 0)
        rows.append({"label": label, "answered": answered, **total})
    return rows


@require_POST
@permission_required("observatory.change_campaign")
def campaign_action(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            result = campaign_open(campaign, _user(request))
            messages.success(
                request,
                ngettext(
                    "%(count)s invitation is being sent.",
                    "%(count)s invitations are being sent.",
                    result.sent,
                )
                % {"count": result.sent},
            )
            if result.without_address:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s organisation has no e-mail address: it is listed under “Not sent”.",
                        "%(count)s organisations have no e-mail address: they are listed under “Not sent”.",
                        len(result.without_address),
                    )
                    % {"count": len(result.without_address)},
                )
        elif action == "remind":
            sent = campaign_remind(campaign, _user(request))
            messages.success(
                request,
                ngettext("%(count)s reminder is being sent.", "%(count)s reminders are being sent.", sent)
                % {"count": sent},
            )
        elif action == "close":
            campaign_close(campaign, _user(request))
            messages.success(request, _("The campaign is closed; its figures are frozen."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("observatory_staff:campaign", pk=campaign.pk)


# --- Export -------------------------------------------------------------------------------------------


@require_safe
@permission_required("observatory.view_campaign")
def campaign_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The invitations and their figures; once closed, the rows of the snapshot (its
    organisations, or its projects with ``?part=projects``)."""
    if fmt not in FORMATS:
        raise Http404
    campaign = get_object_or_404(Campaign, pk=pk)
    snapshot = getattr(campaign, "snapshot", None) if campaign.status == Campaign.Status.CLOSED else None
    headers, rows, filename = export_rows(campaign, snapshot, part=request.GET.get("part", ""))
    return cast(HttpResponse, export_response(fmt, rows=rows, headers=headers, filename=filename))


# --- One answer ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("observatory.view_invitation")
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation's answer; POST validates it (``observatory.change_invitation``)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("campaign", "organisation__commune", "validated_by"), pk=pk
    )
    if request.method == "POST":
        if not request.user.has_perm("observatory.change_invitation"):
            raise PermissionDenied
        try:
            invitation_validate(invitation, _user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The answer has been validated."))
        return redirect("observatory_staff:invitation", pk=invitation.pk)
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "organisation": invitation.organisation,
        "changes": profile_changes(invitation),
        "projects": survey_projects(invitation),
    }
    return render(request, "observatory/survey/staff_invitation.html", context)
