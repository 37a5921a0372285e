"""Voting online (/gouvernance/votes/<id>/): the ballot of a logged-in representative, one per
voting right (their member's, and each proxy held); the same ballot through a single-use link;
and, once the vote is closed, the public ballot box where each voter finds their tracker.

The tracker is shown once, on the page answering the POST: it is neither stored with the voter
nor put in the session (see docs/decisions/0006-governance-votes.md)."""

import json
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from maillage.directory.models import Organisation
from maillage.governance.forms_votes import BallotForm, CandidacyForm
from maillage.governance.models import Mandate, Participation, Vote, VoterRoll
from maillage.governance.services import links
from maillage.governance.services import votes as services


def _messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def result_summary(vote: Vote, result: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The result of a closed vote, with what the template needs to explain it in words."""
    result = result if result is not None else vote.result
    if not result:
        return None
    if vote.kind == Vote.Kind.ELECTION:
        labels = {str(c.pk): c.label for c in vote.choices.all()}
        elected = set(result["elected"])
        rows = sorted(
            (
                {"label": labels.get(key, key), "votes": n, "elected": key in elected}
                for key, n in result["votes"].items()
            ),
            key=lambda row: (-row["votes"], row["label"]),
        )
        return {
            "election": True,
            "rows": rows,
            "elected": [labels.get(key, key) for key in result["elected"]],
            "tie": [labels.get(key, key) for key in result["tie"]],
            "draw": [labels.get(key, key) for key in result["draw"]],
            "blank": result["blank"],
        }
    return {"election": False, **result, "for_": result["for"]}


def _rights_context(
    vote: Vote, rights: list[Participation | Mandate], data: Any = None, posted: str = ""
) -> list[dict[str, Any]]:
    """One entry per voting right: whom it is for, whether it has voted, and its ballot form."""
    voted_members = set(
        VoterRoll.objects.filter(
            vote=vote, participation__in=[r for r in rights if isinstance(r, Participation)]
        ).values_list("participation_id", flat=True)
    )
    voted_mandates = set(
        VoterRoll.objects.filter(
            vote=vote, mandate__in=[r for r in rights if isinstance(r, Mandate)]
        ).values_list("mandate_id", flat=True)
    )
    choices = list(vote.choices.all())
    entries = []
    for right in rights:
        key = _right_key(right)
        if isinstance(right, Participation):
            voted, label = right.pk in voted_members, str(right.organisation)
        else:
            voted, label = (
                right.pk in voted_mandates,
                _("your mandate in the %(body)s") % {"body": right.body},
            )
        form = BallotForm(
            data if key == posted else None, vote=vote, choices=choices, prefix=key, auto_id=f"id_{key}_%s"
        )
        entries.append({"key": key, "label": label, "voted": voted, "form": form, "right": right})
    return entries


def _right_key(right: Participation | Mandate) -> str:
    return f"p{right.pk}" if isinstance(right, Participation) else f"m{right.pk}"


def _represented(user: Any) -> Any:
    """The organisations whose titulaire or suppléant the user is today."""
    today = timezone.localdate()
    return (
        Organisation.objects.filter(
            affiliations__person__user=user, affiliations__role__in=("titulaire", "suppleant")
        )
        .filter(Q(affiliations__end__isnull=True) | Q(affiliations__end__gte=today))
        .distinct()
        .order_by("name")
    )


def _candidacy(request: HttpRequest, vote: Vote) -> tuple[CandidacyForm | None, HttpResponse | None]:
    """While an election is in preparation, a representative may stand for a member they represent."""
    if vote.kind != Vote.Kind.ELECTION or vote.state != Vote.State.DRAFT:
        return None, None
    person = getattr(request.user, "person", None)
    organisations = list(_represented(request.user))
    if person is None or not organisations:
        return None, None
    form = CandidacyForm(
        request.POST if "candidacy" in request.POST else None,
        organisations=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
    )
    if request.method == "POST" and "candidacy" in request.POST and form.is_valid():
        try:
            services.candidacy_submit(
                vote=vote,
                person=person,
                organisation=form.cleaned_data["organisation"],
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            for message in _messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your candidacy is recorded: the staff will validate it."))
            return form, redirect("governance:ballot", pk=vote.pk)
    return form, None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    vote = get_object_or_404(Vote.objects.select_related("assembly", "electorate_body", "body"), pk=pk)
    candidacy_form, done = _candidacy(request, vote)
    if done is not None:
        return done
    rights = services.rights_of(vote, request.user)
    if vote.assembly_id is not None:
        rights = list(
            Participation.objects.filter(pk__in=[r.pk for r in rights])
            .select_related("organisation")
            .order_by("organisation__name")
        )
    else:
        rights = list(Mandate.objects.filter(pk__in=[r.pk for r in rights]).select_related("body"))
    errors: list[str] = []
    posted = (
        request.POST.get("right", "") if request.method == "POST" and "candidacy" not in request.POST else ""
    )
    two_factor = voter_has_two_factors(request.user)
    if posted and not two_factor:
        errors.append(
            _(
                "Voting with your account needs two-factor authentication: use the single-use link "
                "sent to you by e-mail, or set up an authenticator app in your account."
            )
        )
    elif posted:
        right = next((r for r in rights if _right_key(r) == posted), None)
        if right is None:
            errors.append(_("You hold no voting right for this member in this vote."))
        else:
            form = BallotForm(request.POST, vote=vote, choices=list(vote.choices.all()), prefix=posted)
            if form.is_valid():
                try:
                    tracker = services.ballot_cast(
                        vote=vote,
                        right=right,
                        choice_ids=form.choice_ids(),
                        user=request.user,
                    )
                except ValidationError as error:
                    errors.extend(_messages(error))
                else:
                    return _confirmation(request, vote, tracker, _right_label(right))
    context = {
        "vote": vote,
        "entries": _rights_context(vote, rights, request.POST if posted else None, posted),
        "errors": errors,
        "candidacy_form": candidacy_form,
        "two_factor": two_factor,
        "candidacies": vote.candidacies.filter(person__user=request.user).select_related("organisation")
        if vote.kind == Vote.Kind.ELECTION
        else [],
    }
    return render(request, "governance/ballot.html", context, status=400 if errors else 200)


def voter_has_two_factors(user: Any) -> bool:
    """Online votes are authenticated by two factors: an account logs in with its TOTP code
    (allauth asks for it whenever the account has an authenticator), or the voter follows the
    single-use link sent by e-mail (``ballot_link``). The embedded demo may relax it, as for staff."""
    if settings.MAILLAGE_STAFF_MFA == "relaxed":
        return True
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _right_label(right: Participation | Mandate) -> str:
    return str(right.organisation) if isinstance(right, Participation) else str(right.body)


def _confirmation(
    request: HttpRequest, vote: Vote, tracker: str, label: str, *, by_link: bool = False, again_url: str = ""
) -> HttpResponse:
    """The tracker, shown this once: it is in this response only (neither stored nor in the session)."""
    context = {"vote": vote, "tracker": tracker, "label": label, "again_url": again_url, "by_link": by_link}
    return render(request, "governance/ballot_done.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ballot_link(request: HttpRequest, pk: int, secret: str) -> HttpResponse:
    """The ballot through a single-use link (the representative's second factor)."""
    vote = get_object_or_404(Vote.objects.select_related("assembly"), pk=pk)
    try:
        participation = links.link_resolve(vote, secret)
    except ValidationError as error:
        return _private_link(
            render(
                request,
                "governance/ballot_link_refused.html",
                {"vote": vote, "errors": _messages(error)},
                status=403,
            )
        )
    rights, _voted = links.link_pending(vote, participation)
    errors: list[str] = []
    posted = request.POST.get("right", "") if request.method == "POST" else ""
    if posted:
        right = next((r for r in rights if _right_key(r) == posted), None)
        form = BallotForm(request.POST, vote=vote, choices=list(vote.choices.all()), prefix=posted)
        if right is None:
            errors.append(_("This link gives no voting right for this member."))
        elif form.is_valid():
            try:
                tracker = links.link_ballot_cast(
                    vote=vote, secret=secret, right_id=right.pk, choice_ids=form.choice_ids()
                )
            except ValidationError as error:
                errors.extend(_messages(error))
            else:
                again = "" if len(rights) == 1 else request.path
                return _private_link(
                    _confirmation(request, vote, tracker, _right_label(right), by_link=True, again_url=again)
                )
    context = {
        "vote": vote,
        "entries": _rights_context(vote, rights, request.POST if posted else None, posted),  # type: ignore[arg-type]
        "errors": errors,
        "by_link": True,
    }
    return _private_link(render(request, "governance/ballot.html", context, status=400 if errors else 200))


def _private_link(response: HttpResponse) -> HttpResponse:
    """The link's secret is in the URL: never send it on to another site. (Not ``no-referrer``:
    browsers would then post the ballot with ``Origin: null``, which the CSRF check refuses.)"""
    response["Referrer-Policy"] = "same-origin"
    return response


def _closed_vote(pk: int) -> Vote:
    vote = get_object_or_404(Vote.objects.select_related("assembly", "quorum"), pk=pk)
    if vote.state != Vote.State.CLOSED:
        raise Http404(_("The ballot box is published when the vote closes."))
    return vote


@require_safe
def ballot_box(request: HttpRequest, pk: int) -> HttpResponse:
    """The published ballot box: settings, result, hand counts, anonymous ballots, a search for
    one's tracker, and how to recount it."""
    vote = get_object_or_404(Vote.objects.select_related("assembly", "quorum", "body"), pk=pk)
    if vote.state != Vote.State.CLOSED:
        return render(request, "governance/ballot_box.html", {"vote": vote, "published": False})
    box = services.ballot_box(vote)
    labels = {c["id"]: c["label"] for c in box["choices"]}
    ballots = [
        {"tracker": b["tracker"], "choices": [labels.get(c, c) for c in b["choices"]]} for b in box["ballots"]
    ]
    wanted = request.GET.get("tracker", "").strip().lower()
    found = [b for b in ballots if b["tracker"] == wanted] if wanted else []
    context = {
        "vote": vote,
        "published": True,
        "summary": result_summary(vote),
        "hand_counts": [(labels.get(int(key), key), n) for key, n in box["hand_counts"].items()],
        "ballots": ballots,
        "tracker": wanted,
        "found": found,
        "box": box,
    }
    return render(request, "governance/ballot_box.html", context)


@require_safe
def ballot_box_json(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _closed_vote(pk)
    response = HttpResponse(
        json.dumps(services.ballot_box(vote), ensure_ascii=False, indent=2, sort_keys=True),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="urne-{vote.pk}.json"'
    return response
