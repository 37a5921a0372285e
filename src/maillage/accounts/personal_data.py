"""The personal data of the accounts app: the account itself, its addresses, roles and factors."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.privacy import history_scrub


def export(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }


def erase(user: User) -> None:
    """The account stays (history and records point to it) but says nothing about the person."""
    anonymous = {"email": f"supprime-{user.pk}@anonyme.invalid", "first_name": "", "last_name": ""}
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    for field, value in anonymous.items():
        setattr(user, field, value)
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.erased_at = timezone.now()
    user._change_reason = "erasure"  # type: ignore[attr-defined]
    user.save()
    history_scrub(User, user.pk, anonymous)
