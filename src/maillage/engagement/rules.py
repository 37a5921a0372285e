"""Who may see and do what in the agenda."""

import rules

from maillage.core.rules import is_administrator, is_back_office, is_organisation_editor, is_team


@rules.predicate
def is_published(user, event) -> bool:  # type: ignore[no-untyped-def]
    return event is not None and event.status in ("published", "cancelled")


@rules.predicate
def is_proposer(user, event) -> bool:  # type: ignore[no-untyped-def]
    return event is not None and user.is_authenticated and event.proposed_by_id == user.pk


@rules.predicate
def is_registrant(user, registration) -> bool:  # type: ignore[no-untyped-def]
    return registration is not None and user.is_authenticated and registration.user_id == user.pk


rules.add_perm("engagement.view_event", is_published | is_back_office | is_proposer)
rules.add_perm("engagement.propose_event", is_organisation_editor | is_team)  # members propose
rules.add_perm("engagement.add_event", is_team)
rules.add_perm("engagement.change_event", is_team)
rules.add_perm("engagement.delete_event", is_administrator)
rules.add_perm("engagement.register", rules.always_allow)  # visitors register with their e-mail
rules.add_perm("engagement.view_registration", is_back_office | is_registrant)
rules.add_perm("engagement.manage_registrations", is_team)  # check-in, exports, attendance
rules.add_perm("engagement.view_report", is_back_office)
rules.add_perm("engagement.book_slot", rules.is_authenticated)
rules.add_perm("engagement.manage_slots", is_team)
