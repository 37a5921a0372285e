"""The arithmetic of assemblies, pure and separately tested: quorum, majorities, and the
seats of a plurinominal election with its tie rule. No database here: the services feed it
numbers, and the tally command feeds it a published ballot box."""

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


def fraction(setting: str) -> Fraction:
    """A statutes' fraction written "1/4", "0.5" or "0"."""
    return Fraction(setting.strip())


def quorum_required(voting_members: int, rule: Fraction) -> int:
    """How many members present or represented the quorum needs (at least ``rule`` of them)."""
    return math.ceil(voting_members * rule)


@dataclass(frozen=True)
class ResolutionCounts:
    for_: int
    against: int
    abstain: int = 0
    blank: int = 0


@dataclass(frozen=True)
class ResolutionResult:
    adopted: bool
    cast: int
    base: int
    needed: int
    counts: ResolutionCounts


MAJORITY_FRACTION = {
    "absolute": Fraction(1, 2),
    "two_thirds": Fraction(2, 3),
    "three_quarters": Fraction(3, 4),
}


def resolution_result(
    counts: ResolutionCounts,
    *,
    majority: str,
    base: str,
    present_represented: int,
    voting_members: int,
    blank_counts: bool = False,
    abstention_counts: bool = False,
) -> ResolutionResult:
    """Adopted or not, per the vote's settings.

    - ``cast``: for + against, plus blank and abstentions when the vote says they count.
    - ``simple``: more for than against (ties reject), whatever the base.
    - ``absolute``: more than half of the base; ``two_thirds``/``three_quarters``: at least that
      fraction of it. The base is the votes cast, the members present and represented, or all
      the members with a voting right."""
    cast = counts.for_ + counts.against + (counts.blank if blank_counts else 0)
    cast += counts.abstain if abstention_counts else 0
    base_value = {"cast": cast, "present": present_represented, "members": voting_members}[base]
    if majority == "simple":
        return ResolutionResult(counts.for_ > counts.against, cast, base_value, counts.against + 1, counts)
    share = MAJORITY_FRACTION[majority]
    # Absolute: more than half; two thirds, three quarters: at least that share.
    needed = math.floor(base_value * share) + 1 if majority == "absolute" else math.ceil(base_value * share)
    adopted = base_value > 0 and counts.for_ >= needed
    return ResolutionResult(adopted, cast, base_value, needed, counts)


@dataclass
class ElectionResult:
    seats: int
    votes: dict[str, int]
    elected: list[str]
    tie: list[str] = field(default_factory=list)  # the candidates the draw decided between
    draw: list[str] = field(default_factory=list)  # their order after the draw


def draw_order(candidates: Iterable[str], seed: str) -> list[str]:
    """A reproducible draw: candidates ordered by SHA-256 of the seed and their identifier."""
    return sorted(candidates, key=lambda c: hashlib.sha256(f"{seed}:{c}".encode()).hexdigest())


def election_result(
    ballots: Iterable[Sequence[str]], *, candidates: Sequence[str], seats: int, seed: str
) -> ElectionResult:
    """Plurinominal ballot: each ballot names up to ``seats`` candidates; the ``seats``
    candidates with the most votes are elected; a tie for the last seats is broken by the draw
    of ``seed`` (recorded before the vote). A ballot naming more candidates than seats, or an
    unknown candidate, is void (the services refuse it before it is stored)."""
    votes: Counter[str] = Counter(dict.fromkeys(candidates, 0))
    for ballot in ballots:
        if len(ballot) > seats or len(set(ballot)) != len(ballot) or not set(ballot) <= set(candidates):
            continue
        votes.update(ballot)
    ranked = sorted(candidates, key=lambda c: -votes[c])
    if seats <= 0 or not ranked:
        return ElectionResult(seats, dict(votes), [])
    if len(ranked) <= seats:
        return ElectionResult(seats, dict(votes), [c for c in ranked if votes[c] > 0])
    last = votes[ranked[seats - 1]]
    above = [c for c in ranked if votes[c] > last]
    tied = [c for c in ranked if votes[c] == last]
    if last == 0:
        return ElectionResult(seats, dict(votes), above)
    if len(above) + len(tied) <= seats:
        return ElectionResult(seats, dict(votes), above + tied)
    order = draw_order(tied, seed)
    return ElectionResult(
        seats, dict(votes), above + order[: seats - len(above)], tie=sorted(tied), draw=order
    )
