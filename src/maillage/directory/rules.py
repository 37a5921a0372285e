"""Who may see and change what in the directory."""

import rules

from maillage.core.rules import is_administrator, is_back_office, is_team


@rules.predicate
def is_published(user, organisation) -> bool:  # type: ignore[no-untyped-def]
    return organisation is not None and organisation.status == "published"


@rules.predicate
def is_editor_of(user, organisation) -> bool:  # type: ignore[no-untyped-def]
    return (
        organisation is not None
        and user.is_authenticated
        and organisation.editors.filter(pk=user.pk).exists()
    )


rules.add_perm("directory.view_organisation", is_published | is_back_office | is_editor_of)
rules.add_perm("directory.change_organisation", is_team | is_editor_of)
rules.add_perm("directory.add_organisation", is_team)
rules.add_perm("directory.delete_organisation", is_administrator)
rules.add_perm("directory.view_person", is_back_office)
rules.add_perm("directory.change_person", is_team)
rules.add_perm("directory.add_person", is_team)
rules.add_perm("directory.delete_person", is_administrator)
rules.add_perm("directory.view_affiliation", is_back_office)
rules.add_perm("directory.change_affiliation", is_team)
rules.add_perm("directory.add_affiliation", is_team)
rules.add_perm("directory.delete_affiliation", is_team)
rules.add_perm("directory.view_category", is_back_office)
rules.add_perm("directory.change_category", is_administrator)
rules.add_perm("directory.add_category", is_administrator)
# Tags are the staff's labels: the back office reads them, the team puts them on organisations.
rules.add_perm("directory.view_tag", is_back_office)
rules.add_perm("directory.add_tag", is_team)
rules.add_perm("directory.change_tag", is_team)
rules.add_perm("directory.delete_tag", is_team)
# The full export (every field, people, editors' e-mails, tags) is for the back office only.
rules.add_perm("directory.export_organisation", is_back_office)
