"""Fixtures shared by the whole suite. Tests run in embedded mode against a real database:
SQLite by default, PostgreSQL when DATABASE_URL is set."""

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    # Fast password hashing and propagated task errors: the only differences from a real run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
