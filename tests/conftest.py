"""Fixtures shared by the whole suite. Tests run in embedded mode against a real database:
SQLite by default, PostgreSQL when DATABASE_URL is set."""

import pytest
from django.conf import settings
from django.core.cache import cache

from maillage.core.models import Region
from maillage.core.reference import reference_load
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


@pytest.fixture(autouse=True)
def _file_storage(settings, tmp_path):
    """Uploads and private files of each test go to its own temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAILLAGE_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def users(db):
    """One user per role (None for the visitor)."""
    return {role: make_user(role) for role in ROLES}


@pytest.fixture(scope="session")
def _reference_data_session(django_db_setup, django_db_blocker) -> dict[str, int]:
    """The reference data, loaded (and committed) once per test session: 35,000 communes cost
    seconds, so tests share them instead of loading them each."""
    with django_db_blocker.unblock():
        return reference_load()


@pytest.fixture
def reference_data(_reference_data_session, db) -> dict[str, int]:
    """The reference data in the test database, and the counts of the session's load.

    A test that flushed the database (browser tests) loses it: it is then loaded again."""
    if not Region.objects.exists():
        return reference_load()
    return _reference_data_session
