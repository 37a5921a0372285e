"""Who may see and do what in the observatory.

The public sees published projects; the editors of a project's reporting organisation see and
edit its records (a published project they edit goes back to validation); the team validates,
imports and runs the surveys; the back office (auditors included) reads staff pages."""

import rules

from maillage.core.rules import is_administrator, is_back_office, is_organisation_editor, is_team


@rules.predicate
def is_published(user, project) -> bool:  # type: ignore[no-untyped-def]
    return project is not None and project.status == "published"


@rules.predicate
def is_project_editor(user, project) -> bool:  # type: ignore[no-untyped-def]
    """An editor of the project's reporting organisation (or, for ``add``, of the organisation)."""
    if project is None or not user.is_authenticated:
        return False
    organisation = getattr(project, "reporting_organisation", project)
    return bool(organisation.editors.filter(pk=user.pk).exists())


rules.add_perm("observatory.view_project", is_published | is_back_office | is_project_editor)
# ``add`` is checked on the organisation for which the project is declared.
rules.add_perm("observatory.add_project", is_team | (is_organisation_editor & is_project_editor))
rules.add_perm("observatory.change_project", is_team | is_project_editor)
rules.add_perm("observatory.delete_project", is_administrator)
rules.add_perm("observatory.validate_project", is_team)
rules.add_perm("observatory.export_project", is_back_office)
rules.add_perm("observatory.view_iatiimport", is_back_office)
rules.add_perm("observatory.add_iatiimport", is_team)
rules.add_perm("observatory.view_projectimportrun", is_back_office)
rules.add_perm("observatory.add_projectimportrun", is_team)
rules.add_perm("observatory.view_campaign", is_back_office)
rules.add_perm("observatory.add_campaign", is_team)
rules.add_perm("observatory.change_campaign", is_team)
rules.add_perm("observatory.view_invitation", is_back_office)
rules.add_perm("observatory.change_invitation", is_team)
rules.add_perm("observatory.view_snapshot", is_back_office)
