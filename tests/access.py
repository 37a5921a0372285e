"""Prove permissions by table: for a URL and a method, what each role gets, and that a refused
write changed nothing in the database.

    assert_access(client, users, "/gestion/", expected={"visitor": LOGIN, "registered": 403, ...})

Every role must be named, so that a new page cannot forget one."""

from collections.abc import Mapping
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Count, Max
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.services import user_grant_role
from maillage.core.roles import BACK_OFFICE_ROLES, Role

VISITOR = "visitor"
REGISTERED = "registered"
ROLES = (VISITOR, REGISTERED, *(role.value for role in Role))

LOGIN = "login"  # redirected to the login page
MFA = "mfa"  # redirected to enrol two-factor authentication

PASSWORD = "Un-mot-de-passe-solide-42"

# What each role gets on a staff page (read by the back office: staff, administrators, auditors).
BACK_OFFICE = {
    VISITOR: LOGIN,
    REGISTERED: 403,
    "organisation_editor": 403,
    "staff": 200,
    "administrator": 200,
    "elected": 403,
    "auditor": 200,
}


def make_user(
    role: str,
    *,
    email: str | None = None,
    first_name: str | None = None,
    totp: bool = True,
    verified: bool = False,
) -> User | None:
    """A user holding ``role`` (None for the visitor). Back-office users get a TOTP
    authenticator unless ``totp=False``, so that tests of permissions are not tests of MFA;
    ``verified=True`` confirms the e-mail address, so that the login form accepts the user."""
    if role == VISITOR:
        return None
    user = User.objects.create_user(
        email or f"{role}@example.org", PASSWORD, first_name=first_name or role.title()
    )
    if role != REGISTERED:
        user_grant_role(user=user, role=Role(role))
        if totp and Role(role) in BACK_OFFICE_ROLES:
            TOTP.activate(user, generate_totp_secret())
    if verified:
        user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def db_snapshot() -> dict[str, tuple[Any, ...]]:
    """Rows and last update of every table (sessions aside, which a login writes)."""
    snapshot = {}
    for model in apps.get_models():
        if model is Session:
            continue
        fields = {field.name for field in model._meta.concrete_fields}
        aggregates: dict[str, Any] = {"rows": Count("pk")}
        if "updated_at" in fields:
            aggregates["last"] = Max("updated_at")
        snapshot[model._meta.label] = tuple(model._default_manager.aggregate(**aggregates).values())
    return snapshot


def _matches(response: Any, expected: int | str) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response.url.startswith(reverse(settings.LOGIN_URL))
    if expected == MFA:
        return response.status_code == 302 and "/2fa/totp/activate/" in response.url
    return bool(response.status_code == expected)


def assert_access(
    client: Client,
    users: Mapping[str, User | None],
    url: str,
    *,
    expected: Mapping[str, int | str],
    method: str = "get",
    data: Mapping[str, Any] | None = None,
) -> None:
    missing = set(ROLES) - set(expected)
    assert not missing, f"assert_access: say what these roles get: {sorted(missing)}"
    failures = []
    for role, want in expected.items():
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        before = db_snapshot()
        response = getattr(client, method)(url, data or {})
        if not _matches(response, want):
            got = response.status_code, response.get("Location", "")
            failures.append(f"{role}: expected {want}, got {got}")
        refused = want in (LOGIN, MFA) or (isinstance(want, int) and want >= 400)
        if method != "get" and refused and db_snapshot() != before:
            failures.append(f"{role}: a refused {method.upper()} changed the database")
    client.logout()
    assert not failures, f"{method.upper()} {url}:\n  " + "\n  ".join(failures)
