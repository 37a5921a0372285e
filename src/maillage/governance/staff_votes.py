"""Staff pages of votes (/gestion/gouvernance/votes/): a new resolution or election of an
assembly, one vote with its settings, candidacies, roll count, show-of-hands counts, opening
and closing, the voting links, and the result explained.

The back office and elected people read; the team (staff, administrators) act. The roll
shows how many rights voted, never who voted how (nothing stored could tell)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.core.permissions import permission_required
from maillage.governance.ballot_views import result_summary
from maillage.governance.forms_votes import CandidacyDecisionForm, HandCountsForm, VoteForm
from maillage.governance.models import Assembly, Body, Candidacy, Vote
from maillage.governance.services import links
from maillage.governance.services import votes as services
from maillage.governance.services.bodies import mandates_active

MANAGE = "governance.manage_vote"


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE)
def vote_create(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = get_object_or_404(Assembly, pk=pk)
    form = VoteForm(request.POST or None, instance=Vote(assembly=assembly))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            vote = services.vote_create(assembly=assembly, position=assembly.votes.count(), **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The vote is created."))
            return redirect("governance_staff:vote", pk=vote.pk)
    return render(request, "governance/staff/vote_form.html", {"assembly": assembly, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE)
def body_vote_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A vote of a body's members (the Grand Conseil electing the Bureau): the same engine, the
    active mandates of the body as voting rights."""
    electorate = get_object_or_404(Body, slug=slug)
    form = VoteForm(request.POST or None, instance=Vote(electorate_body=electorate), electorate=electorate)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            vote = services.vote_create(electorate_body=electorate, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The vote is created."))
            return redirect("governance_staff:vote", pk=vote.pk)
    return render(request, "governance/staff/vote_form.html", {"electorate": electorate, "form": form})


def _vote(pk: int) -> Vote:
    return get_object_or_404(
        Vote.objects.select_related("assembly", "electorate_body", "body", "quorum"), pk=pk
    )


def _rights_total(vote: Vote) -> int:
    """Members with a voting right in the assembly (or active mandates of the electing body)."""
    if vote.assembly is not None:
        return vote.assembly.participations.filter(may_vote=True).count()
    return mandates_active(vote.electorate_body).count()  # type: ignore[arg-type]


@require_safe
@permission_required("governance.view_assembly")
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote(pk)
    return render(request, "governance/staff/vote_detail.html", _detail_context(request, vote))


def _detail_context(
    request: HttpRequest, vote: Vote, hands_form: HandCountsForm | None = None
) -> dict[str, Any]:
    may_manage = request.user.has_perm(MANAGE, vote)
    hands = vote.mode != Vote.Mode.SECRET and vote.state == Vote.State.OPEN
    return {
        "vote": vote,
        "may_manage": may_manage,
        "candidacies": vote.candidacies.select_related("person", "organisation", "decided_by"),
        "choices": vote.choices.all(),
        "roll_count": vote.roll.count(),
        "rights_total": _rights_total(vote),
        "hand_counts": vote.hand_counts.select_related("choice"),
        "hands_form": (hands_form or HandCountsForm(vote=vote)) if hands and may_manage else None,
        "decision_form": CandidacyDecisionForm(),
        "summary": result_summary(vote),
        "links_count": vote.links.count(),
        "links_used": vote.links.filter(used_at__isnull=False).count(),
        "online": vote.mode != Vote.Mode.HANDS,
    }


@require_POST
@permission_required(MANAGE)
def vote_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Open or close the vote, or send the voting links."""
    vote = _vote(pk)
    action = request.POST.get("action")
    try:
        if action == "open":
            services.vote_open(vote=vote, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The vote is open."))
        elif action == "close":
            services.vote_close(vote=vote, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The vote is closed and its result computed."))
        elif action == "links":
            sent = links.links_send(vote=vote, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Voting links sent: %(count)s.") % {"count": sent})
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("governance_staff:vote", pk=vote.pk)


@require_POST
@permission_required(MANAGE)
def hand_counts(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote(pk)
    form = HandCountsForm(request.POST, vote=vote)
    if form.is_valid():
        try:
            services.hand_counts_enter(vote=vote, counts=form.counts(), by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The show-of-hands counts are recorded."))
            return redirect("governance_staff:vote", pk=vote.pk)
    return render(
        request, "governance/staff/vote_detail.html", _detail_context(request, vote, form), status=400
    )


@require_POST
@permission_required(MANAGE)
def candidacy_decide(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy = get_object_or_404(Candidacy.objects.select_related("vote", "organisation"), pk=pk)
    if not request.user.has_perm(MANAGE, candidacy.vote):
        raise PermissionDenied
    form = CandidacyDecisionForm(request.POST)
    accept = request.POST.get("decision") == "validate"
    if request.POST.get("decision") not in ("validate", "reject") or not form.is_valid():
        messages.error(request, _("Validate or reject the candidacy."))
    else:
        try:
            services.candidacy_decide(
                candidacy=candidacy,
                by=request.user,  # type: ignore[arg-type]
                accept=accept,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Candidacy validated.") if accept else _("Candidacy rejected."))
    return redirect("governance_staff:vote", pk=candidacy.vote_id)
