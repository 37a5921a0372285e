"""Governance: statutory bodies and mandates, general assemblies (convocation, answers and
proxies, attendance, quorum), votes (resolutions and elections, by show of hands or secret
ballot) and the action log."""

from maillage.governance.models.assemblies import Assembly, AssemblyDocument, Participation, QuorumRecord
from maillage.governance.models.bodies import Body, Mandate, Office
from maillage.governance.models.log import ActionLog
from maillage.governance.models.votes import Ballot, Candidacy, Choice, HandCount, Vote, VoterRoll, VotingLink

__all__ = [
    "ActionLog",
    "Assembly",
    "AssemblyDocument",
    "Ballot",
    "Body",
    "Candidacy",
    "Choice",
    "HandCount",
    "Mandate",
    "Office",
    "Participation",
    "QuorumRecord",
    "Vote",
    "VoterRoll",
    "VotingLink",
]
