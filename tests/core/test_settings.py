"""Production refuses to start without its secrets; `maillage check --deploy` is clean there."""

import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION = {
    "MAILLAGE_MODE": "production",
    "MAILLAGE_ENV_FILE": "/nonexistent/.env",  # ignore the checkout's embedded .env
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "reseau.example.org",
    "DATABASE_URL": "postgres://maillage@127.0.0.1:5432/maillage",
}


def _maillage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION and key != "DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "maillage", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _maillage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "override", "message"),
    [
        ("SECRET_KEY", {}, "SECRET_KEY must be set in production"),
        ("ALLOWED_HOSTS", {}, "ALLOWED_HOSTS must be set in production"),
        ("DATABASE_URL", {}, "DATABASE_URL must be set in production"),
        (
            None,
            {"DATABASE_URL": "sqlite:////tmp/maillage.sqlite3"},
            "Production needs a PostgreSQL DATABASE_URL",
        ),
        (None, {"MAILLAGE_STAFF_MFA": "relaxed"}, "only allowed in embedded mode"),
        (None, {"MAILLAGE_MODE": "demo"}, "MAILLAGE_MODE must be 'production' or 'embedded'"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(missing, override, message):
    env = {key: value for key, value in PRODUCTION.items() if key != missing} | override
    result = _maillage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_embedded_mode_starts_with_nothing_set(tmp_path):
    result = _maillage(
        "check",
        MAILLAGE_MODE="embedded",
        MAILLAGE_ENV_FILE="/nonexistent/.env",
        MAILLAGE_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
