"""Who may see and do what in the commissions. The public sees a commission's purpose, its
conveners and its public minutes; its members see the rest; conveners run it."""

import rules

from maillage.core.rules import is_administrator, is_back_office, is_team


def _commission(obj):  # type: ignore[no-untyped-def]
    """The commission of a commission, meeting, document, thread or post."""
    for path in ("commission", "meeting.commission", "document.commission", "thread.commission"):
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
        if target is not None:
            return target
    return obj


def _active(user, obj, role: str | None = None) -> bool:  # type: ignore[no-untyped-def]
    if obj is None or not user.is_authenticated:
        return False
    members = _commission(obj).members.filter(user=user, state="active")
    if role is not None:
        members = members.filter(role=role)
    return bool(members.exists())


@rules.predicate
def is_commission_member(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return _active(user, obj)


@rules.predicate
def is_convener(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return _active(user, obj, "convener")


@rules.predicate
def is_author(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return obj is not None and user.is_authenticated and getattr(obj, "author_id", None) == user.pk


rules.add_perm("commissions.view_commission", rules.always_allow)  # the public part
rules.add_perm("commissions.view_members_part", is_commission_member | is_back_office)
rules.add_perm("commissions.join_commission", rules.is_authenticated)
rules.add_perm("commissions.manage_commission", is_convener | is_team)  # members, meetings, minutes
rules.add_perm("commissions.add_commission", is_team)
rules.add_perm("commissions.change_commission", is_team)
rules.add_perm("commissions.delete_commission", is_administrator)
rules.add_perm("commissions.add_document", is_commission_member | is_team)
rules.add_perm("commissions.view_document", is_commission_member | is_back_office)
rules.add_perm("commissions.add_post", is_commission_member)
rules.add_perm("commissions.change_post", is_author)  # within the edit window (services)
rules.add_perm("commissions.moderate_post", is_convener | is_team)
rules.add_perm("commissions.view_report", is_back_office | is_convener)
