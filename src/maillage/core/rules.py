"""The predicates of the roles, shared by every app's ``rules.py``, and the core's permissions."""

import rules

from maillage.core.roles import Role

is_registered = rules.is_authenticated
is_organisation_editor = rules.is_group_member(Role.ORGANISATION_EDITOR)
is_staff_member = rules.is_group_member(Role.STAFF)
is_administrator = rules.is_superuser | rules.is_group_member(Role.ADMINISTRATOR)
is_elected = rules.is_group_member(Role.ELECTED)
is_auditor = rules.is_group_member(Role.AUDITOR)

is_team = is_staff_member | is_administrator  # may change what staff manage
is_back_office = is_team | is_auditor  # may read staff pages

rules.add_perm("core.view_backoffice", is_back_office)
rules.add_perm("core.view_history", is_back_office)

# Reference data: read by the back office, loaded by ``load_reference`` (never edited by hand),
# except the themes' thesaurus, which administrators edit.
rules.add_perm("core.view_region", is_back_office)
rules.add_perm("core.view_departement", is_back_office)
rules.add_perm("core.view_commune", is_back_office)
rules.add_perm("core.view_sdg", is_back_office)
rules.add_perm("core.view_sdgtarget", is_back_office)
rules.add_perm("core.view_daccategory", is_back_office)
rules.add_perm("core.view_dacsector", is_back_office)
rules.add_perm("core.view_theme", is_back_office)
rules.add_perm("core.add_theme", is_administrator)
rules.add_perm("core.change_theme", is_administrator)
rules.add_perm("core.delete_theme", is_administrator)
