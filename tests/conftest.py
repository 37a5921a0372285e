"""Fixtures shared by the whole suite. Tests run in embedded mode against a real database:
SQLite by default, PostgreSQL when DATABASE_URL is set."""

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.access import ROLES, make_user


def pytest_configure(config: pytest.Config) -> None:
    # Fast password hashing and propagated task errors: the only differences from a real run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and used TOTP codes live in the cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users(db):
    """One user per role (None for the visitor)."""
    return {role: make_user(role) for role in ROLES}
