"""Permissions of the accounts app."""

import rules

from maillage.core.rules import is_administrator, is_back_office

rules.add_perm("accounts.view_user", is_back_office)
rules.add_perm("accounts.change_user", is_administrator)
rules.add_perm("accounts.add_user", is_administrator)
rules.add_perm("accounts.delete_user", is_administrator)
