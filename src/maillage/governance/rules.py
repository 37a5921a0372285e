"""Who may see and do what in governance."""

import rules

from maillage.core.rules import is_administrator, is_back_office, is_elected, is_team


@rules.predicate
def represents(user, participation) -> bool:  # type: ignore[no-untyped-def]
    """The account edits the member organisation or is one of its representatives."""
    if participation is None or not user.is_authenticated:
        return False
    organisation = participation.organisation
    return (
        organisation.editors.filter(pk=user.pk).exists()
        or organisation.affiliations.filter(
            person__user=user, role__in=("titulaire", "suppleant"), end__isnull=True
        ).exists()
    )


# Compositions of the bodies are public; assemblies' pages are for members and the back office.
rules.add_perm("governance.view_body", rules.always_allow)
rules.add_perm("governance.change_body", is_administrator)
rules.add_perm("governance.add_body", is_administrator)
rules.add_perm("governance.view_mandate", is_back_office | is_elected)
rules.add_perm("governance.change_mandate", is_team)
rules.add_perm("governance.add_mandate", is_team)
rules.add_perm("governance.view_office", is_back_office)
rules.add_perm("governance.change_office", is_administrator)
rules.add_perm("governance.add_office", is_administrator)

rules.add_perm("governance.view_assembly", is_back_office | is_elected)
rules.add_perm("governance.manage_assembly", is_team)  # convene, open, close, sign in at the door
rules.add_perm("governance.answer_participation", represents | is_team)
rules.add_perm("governance.manage_vote", is_team)  # create, open, close, enter counts
rules.add_perm("governance.view_log", is_back_office | is_elected)
