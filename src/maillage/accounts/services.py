"""Writes on accounts: roles and profiles."""

from django.contrib.auth.models import Group
from django.db import transaction

from maillage.accounts.models import User
from maillage.core.roles import Role

# Roles that reach the Django administration site (where the rules still decide, per model,
# what each may see and change): the team's tool for bulk work on records.
ADMIN_SITE_ROLES = frozenset({Role.STAFF, Role.ADMINISTRATOR})


def roles_ensure() -> None:
    """Create the role groups that do not exist yet (idempotent)."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> None:
    """Give ``role`` to ``user``. Staff and administrators also reach the administration site."""
    roles_ensure()
    user.groups.add(Group.objects.get(name=role.value))
    user_roles_changed(user=user)


@transaction.atomic
def user_revoke_role(*, user: User, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role.value))
    user_roles_changed(user=user)


def user_roles_changed(*, user: User) -> None:
    """Open or close the administration site after the roles changed (here or in the admin)."""
    admin_site = (
        user.is_superuser or user.groups.filter(name__in=[r.value for r in ADMIN_SITE_ROLES]).exists()
    )
    if user.is_staff != admin_site:
        user.is_staff = admin_site
        user.save(update_fields=["is_staff", "updated_at"])


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "language", "updated_at"])
    return user
