"""Writes on accounts: roles and profiles."""

from django.contrib.auth.models import Group
from django.db import transaction

from maillage.accounts.models import User
from maillage.core.roles import Role


def roles_ensure() -> None:
    """Create the role groups that do not exist yet (idempotent)."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> None:
    """Give ``role`` to ``user``. Administrators also reach the Django administration site."""
    roles_ensure()
    user.groups.add(Group.objects.get(name=role.value))
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff", "updated_at"])


@transaction.atomic
def user_revoke_role(*, user: User, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role.value))
    if role == Role.ADMINISTRATOR and user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff", "updated_at"])


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "language", "updated_at"])
    return user
