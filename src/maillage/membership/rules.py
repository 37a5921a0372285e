"""Who may see and do what in the membership."""

import rules

from maillage.core.rules import is_administrator, is_back_office, is_elected, is_team


@rules.predicate
def is_editor_of_member(user, membership) -> bool:  # type: ignore[no-untyped-def]
    """The account edits the member organisation's profile (its people in the network)."""
    return (
        membership is not None
        and user.is_authenticated
        and membership.organisation.editors.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_applicant(user, application) -> bool:  # type: ignore[no-untyped-def]
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


# Applying needs an account; the staff review; the Bureau (elected people) or an
# administrator ratify when the statutes ask for it.
rules.add_perm("membership.add_application", rules.is_authenticated)
rules.add_perm("membership.view_application", is_back_office | is_applicant)
rules.add_perm("membership.change_application", is_team | is_applicant)
rules.add_perm("membership.decide_application", is_team)
rules.add_perm("membership.ratify_application", is_elected | is_administrator)

rules.add_perm("membership.view_membership", is_back_office | is_editor_of_member)
rules.add_perm("membership.change_membership", is_team)
rules.add_perm("membership.change_representatives", is_team | is_editor_of_member)

# Dues, payments and receipts: the staff manage them, the auditors read them, a member's
# editors read its own (object-level checks in the member space).
rules.add_perm("membership.view_dues", is_back_office | is_editor_of_member)
rules.add_perm("membership.manage_dues", is_team)
rules.add_perm("membership.view_payment", is_back_office)
rules.add_perm("membership.add_payment", is_team)
rules.add_perm("membership.view_receipt", is_back_office | is_editor_of_member)

# Fee scales, years and governing documents: administrators define them.
for model in ("membershipyear", "feebracket", "governingdocument"):
    rules.add_perm(f"membership.view_{model}", is_back_office)
    rules.add_perm(f"membership.add_{model}", is_administrator)
    rules.add_perm(f"membership.change_{model}", is_administrator)
rules.add_perm("membership.delete_feebracket", is_administrator)
rules.add_perm("membership.view_dashboard", is_back_office)
