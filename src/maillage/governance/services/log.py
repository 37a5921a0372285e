"""Writing the action log."""

from typing import Any

from maillage.accounts.models import User
from maillage.governance.models import ActionLog, Assembly, Vote


def log(
    action: str, *, by: User | None, assembly: Assembly | None = None, vote: Vote | None = None, **detail: Any
) -> None:
    if vote is not None and assembly is None:
        assembly = vote.assembly
    ActionLog.objects.create(action=action, actor=by, assembly=assembly, vote=vote, detail=detail)
