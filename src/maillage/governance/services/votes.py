"""Votes: opening and closing, hand counts, secret ballots cast once per voting right, the
result, and the published ballot box anyone can recount (``maillage tally``)."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.governance.counting import ResolutionCounts, election_result, resolution_result
from maillage.governance.models import (
    Ballot,
    Candidacy,
    Choice,
    HandCount,
    Mandate,
    Participation,
    Vote,
    VoterRoll,
)
from maillage.governance.services.assemblies import quorum, quorum_record
from maillage.governance.services.bodies import mandates_active
from maillage.governance.services.log import log

RESOLUTION_CHOICES = (Choice.Kind.FOR, Choice.Kind.AGAINST, Choice.Kind.ABSTAIN)


@transaction.atomic
def vote_create(**fields: Any) -> Vote:
    """A vote with its choices: for / against / abstention for a resolution; for an election,
    a seed for ties is drawn now if none is given, and candidates are added when validated."""
    vote = Vote(**fields)
    if vote.kind == Vote.Kind.ELECTION and not vote.tie_seed:
        vote.tie_seed = secrets.token_hex(16)
    vote.full_clean()
    vote.save()
    if vote.kind == Vote.Kind.RESOLUTION:
        for position, kind in enumerate(RESOLUTION_CHOICES):
            Choice.objects.create(vote=vote, kind=kind, label=str(Choice.Kind(kind).label), position=position)
    return vote


@transaction.atomic
def candidacy_decide(*, candidacy: Candidacy, by: User, accept: bool, reason: str = "") -> Candidacy:
    """Staff validate a candidacy (a representative of a member of the election's collège)."""
    vote = candidacy.vote
    if vote.state != Vote.State.DRAFT:
        raise ValidationError(_("The election has opened: candidacies can no longer change."))
    if accept and vote.college and candidacy.organisation.college != vote.college:
        raise ValidationError(_("This candidate's organisation is not of the collège of this election."))
    candidacy.state = Candidacy.State.VALIDATED if accept else Candidacy.State.REJECTED
    candidacy.decided_by, candidacy.reason = by, reason.strip()
    candidacy.save()
    if accept:
        Choice.objects.get_or_create(
            vote=vote,
            candidacy=candidacy,
            defaults={
                "kind": Choice.Kind.CANDIDATE,
                "label": f"{candidacy.person} ({candidacy.organisation})",
            },
        )
    else:
        Choice.objects.filter(candidacy=candidacy).delete()
    log("candidacy", by=by, vote=vote, candidacy=candidacy.pk, accepted=accept)
    return candidacy


@transaction.atomic
def candidacy_submit(*, vote: Vote, person: Any, organisation: Any, statement: str = "") -> Candidacy:
    if vote.kind != Vote.Kind.ELECTION or vote.state != Vote.State.DRAFT:
        raise ValidationError(_("Candidacies are closed."))
    if vote.candidacy_deadline and timezone.now() > vote.candidacy_deadline:
        raise ValidationError(_("The deadline for candidacies has passed."))
    if vote.college and organisation.college != vote.college:
        raise ValidationError(
            _("Candidates of this election represent members of the collège « %(college)s ».")
            % {"college": vote.get_college_display()}
        )
    candidacy = Candidacy(vote=vote, person=person, organisation=organisation, statement=statement.strip())
    candidacy.full_clean()
    candidacy.save()
    return candidacy


@transaction.atomic
def vote_open(*, vote: Vote, by: User) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != Vote.State.DRAFT:
        raise ValidationError(_("This vote has already been opened."))
    if vote.assembly is not None and vote.assembly.state != vote.assembly.State.OPEN:
        raise ValidationError(_("The assembly is not in session."))
    if vote.kind == Vote.Kind.ELECTION and not vote.choices.exists():
        raise ValidationError(_("No validated candidacy: the election cannot open."))
    vote.state, vote.opened_at = Vote.State.OPEN, timezone.now()
    vote.save()
    if vote.assembly is not None:
        quorum_record(assembly=vote.assembly, vote=vote)
    log("vote_open", by=by, vote=vote)
    return vote


def rights_of(vote: Vote, user: User) -> list[Participation | Mandate]:
    """The voting rights a user may use in a vote: for an assembly, the members they represent
    (titulaire or suppléant, signed in or voting online) and the members whose proxy these hold;
    for a body's vote, their own active mandates in it."""
    if vote.electorate_body is not None:
        return list(mandates_active(vote.electorate_body).filter(person__user=user))
    # One filter() call: the three conditions hold for the same affiliation (a current one).
    current = Q(organisation__affiliations__end__isnull=True) | Q(
        organisation__affiliations__end__gt=timezone.localdate()
    )
    own = Participation.objects.filter(
        current,
        assembly=vote.assembly_id,
        may_vote=True,
        organisation__affiliations__person__user=user,
        organisation__affiliations__role__in=("titulaire", "suppleant"),
    )
    own = own.exclude(answer=Participation.Answer.PROXY).distinct()
    held = Participation.objects.filter(proxy_holder__in=own, may_vote=True, arrived_at__isnull=True)
    return [*own, *held]


def _right_kwargs(right: Participation | Mandate) -> dict[str, Any]:
    return {"participation": right} if isinstance(right, Participation) else {"mandate": right}


def ballot_cast(
    *, vote: Vote, right: Participation | Mandate, choice_ids: list[int], user: User | None
) -> str:
    """Cast one secret ballot for one voting right; returns its tracker. The roll entry and the
    ballot are written in one transaction; the roll's unique constraint refuses a second ballot
    for the same right, even when two arrive at the same moment."""
    with transaction.atomic():
        vote = Vote.objects.select_related("assembly").get(pk=vote.pk)
        if vote.state != Vote.State.OPEN:
            raise ValidationError(_("This vote is not open."))
        if vote.mode == Vote.Mode.HANDS:
            raise ValidationError(_("This vote is by show of hands."))
        if user is not None and right not in rights_of(vote, user):
            raise ValidationError(_("You hold no voting right for this member in this vote."))
        valid = set(vote.choices.values_list("pk", flat=True))
        chosen = list(dict.fromkeys(choice_ids))
        if not set(chosen) <= valid:
            raise ValidationError(_("This ballot names a choice that is not on the list."))
        limit = vote.seats if vote.kind == Vote.Kind.ELECTION else 1
        if len(chosen) > (limit or 1):
            raise ValidationError(_("Choose at most %(count)s.") % {"count": limit})
        try:
            with transaction.atomic():
                VoterRoll.objects.create(vote=vote, cast_by=user, **_right_kwargs(right))
        except IntegrityError:
            raise ValidationError(_("A ballot has already been cast for this voting right.")) from None
        tracker = secrets.token_hex(8)
        Ballot.objects.create(vote=vote, choices=sorted(chosen), tracker=tracker)
    return tracker


def _rights_in_the_room(vote: Vote) -> int:
    """Voting rights present or represented by a present holder that have not voted online."""
    state = quorum(vote.assembly)  # type: ignore[arg-type]
    here = Q(participation__arrived_at__isnull=False, participation__left_at__isnull=True)
    by_holder = Q(
        participation__answer=Participation.Answer.PROXY,
        participation__proxy_holder__arrived_at__isnull=False,
        participation__proxy_holder__left_at__isnull=True,
    )
    voted_here = vote.roll.filter(participation__may_vote=True).filter(here | by_holder).count()
    return state.present + state.represented - voted_here


@transaction.atomic
def hand_counts_enter(*, vote: Vote, counts: dict[int, int], by: User) -> None:
    """The secretary enters the show of hands (replacing earlier counts while the vote is open)."""
    if vote.state != Vote.State.OPEN:
        raise ValidationError(_("This vote is not open."))
    if vote.mode == Vote.Mode.SECRET:
        raise ValidationError(_("This vote is by secret ballot only."))
    if any(count < 0 for count in counts.values()):
        raise ValidationError(_("A count cannot be negative."))
    choices = {choice.pk: choice for choice in vote.choices.all()}
    if not set(counts) <= set(choices):
        raise ValidationError(_("Unknown choice."))
    if vote.assembly is not None:
        rights = _rights_in_the_room(vote)
        if sum(counts.values()) > rights:
            raise ValidationError(
                _("%(total)s votes counted, but only %(rights)s voting rights are in the room.")
                % {"total": sum(counts.values()), "rights": rights}
            )
    for choice_id, count in counts.items():
        HandCount.objects.update_or_create(vote=vote, choice=choices[choice_id], defaults={"count": count})
    log("hand_counts", by=by, vote=vote, counts={str(k): v for k, v in counts.items()})


def ballot_box(vote: Vote) -> dict[str, Any]:
    """What is published once the vote is closed: the settings, the choices, the hand counts
    and the anonymous ballots (tracker and choices). ``maillage tally`` recounts it."""
    return {
        "vote": vote.pk,
        "title": vote.title,
        "kind": vote.kind,
        "majority": vote.majority,
        "base": vote.base,
        "blank_counts": vote.blank_counts,
        "abstention_counts": vote.abstention_counts,
        "seats": vote.seats,
        "tie_seed": vote.tie_seed,
        "present_represented": _present_represented(vote),
        "voting_members": _voting_members(vote),
        "choices": [{"id": c.pk, "kind": c.kind, "label": c.label} for c in vote.choices.all()],
        "hand_counts": {str(h.choice_id): h.count for h in vote.hand_counts.all()},
        "ballots": [{"tracker": b.tracker, "choices": b.choices} for b in vote.ballots.order_by("tracker")],
    }


def _present_represented(vote: Vote) -> int:
    if vote.assembly is None:
        return mandates_active(vote.electorate_body).count()  # type: ignore[arg-type]
    record = getattr(vote, "quorum", None)
    return record.present + record.represented if record else 0


def _voting_members(vote: Vote) -> int:
    if vote.assembly is None:
        return mandates_active(vote.electorate_body).count()  # type: ignore[arg-type]
    return vote.assembly.participations.filter(may_vote=True).count()


def tally(box: dict[str, Any]) -> dict[str, Any]:
    """The result from a ballot box (the same code for the published result and a recount)."""
    kinds = {str(c["id"]): c["kind"] for c in box["choices"]}
    totals = {key: int(box["hand_counts"].get(key, 0)) for key in kinds}
    blank_ballots = 0
    for ballot in box["ballots"]:
        if not ballot["choices"]:
            blank_ballots += 1
        for choice in ballot["choices"]:
            totals[str(choice)] += 1
    if box["kind"] == Vote.Kind.ELECTION:
        hands = [[key] * count for key, count in box["hand_counts"].items()]
        ballots = [[str(c) for c in b["choices"]] for b in box["ballots"]]
        result = election_result(
            [*ballots, *(vote for group in hands for vote in group)],
            candidates=[key for key, kind in kinds.items() if kind == Choice.Kind.CANDIDATE],
            seats=box["seats"],
            seed=box["tie_seed"],
        )
        return {
            "votes": result.votes,
            "elected": result.elected,
            "tie": result.tie,
            "draw": result.draw,
            "blank": blank_ballots,
        }
    by_kind = {
        kind: sum(totals[key] for key, k in kinds.items() if k == kind) for kind in set(kinds.values())
    }
    counts = ResolutionCounts(
        for_=by_kind.get("for", 0),
        against=by_kind.get("against", 0),
        abstain=by_kind.get("abstain", 0),
        blank=by_kind.get("blank", 0) + blank_ballots,
    )
    outcome = resolution_result(
        counts,
        majority=box["majority"],
        base=box["base"],
        present_represented=box["present_represented"],
        voting_members=box["voting_members"],
        blank_counts=box["blank_counts"],
        abstention_counts=box["abstention_counts"],
    )
    return {
        "for": counts.for_,
        "against": counts.against,
        "abstain": counts.abstain,
        "blank": counts.blank,
        "cast": outcome.cast,
        "base": outcome.base,
        "needed": outcome.needed,
        "adopted": outcome.adopted,
    }


@transaction.atomic
def vote_close(*, vote: Vote, by: User) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != Vote.State.OPEN:
        raise ValidationError(_("This vote is not open."))
    vote.state, vote.closed_at = Vote.State.CLOSED, timezone.now()
    vote.save()
    vote.result = tally(ballot_box(vote))
    vote.save(update_fields=["result", "updated_at"])
    log("vote_close", by=by, vote=vote, result=vote.result)
    return vote
