"""The personal data of governance: the ballots a user cast for members (that a voting right was
used, never how: the ballots hold no voter) and their candidacies. People's mandates and
representations are public records of the network's bodies, kept with the directory's person
(anonymised by the directory's erasure)."""

from typing import Any

from maillage.accounts.models import User
from maillage.core.privacy import history_scrub
from maillage.governance.models import Candidacy, VoterRoll


def export(user: User) -> dict[str, Any]:
    return {
        "ballots_cast_for": [
            {
                "vote": entry.vote.title,
                "member": str(entry.participation.organisation) if entry.participation else None,
            }
            for entry in VoterRoll.objects.filter(cast_by=user).select_related(
                "vote", "participation__organisation"
            )
        ],
        "candidacies": [
            {"election": candidacy.vote.title, "state": candidacy.state, "statement": candidacy.statement}
            for candidacy in Candidacy.objects.filter(person__user=user).select_related("vote")
        ],
    }


def erase(user: User) -> None:
    """The roll keeps that each right was used, without the account that used it; candidacies
    lose their statement (the results of the elections stay)."""
    VoterRoll.objects.filter(cast_by=user).update(cast_by=None)
    for candidacy in Candidacy.objects.filter(person__user=user):
        candidacy.statement = ""
        candidacy._change_reason = "erasure"  # type: ignore[attr-defined]
        candidacy.save(update_fields=["statement", "updated_at"])
        history_scrub(Candidacy, candidacy.pk, {"statement": ""})
