"""Health of the services the platform depends on."""

import uuid
from typing import Any

from django.core.cache import cache
from django.db import connection


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value it was given")
    cache.delete(key)


def _check_broker(broker_url: str) -> None:
    from maillage.celery import app

    with app.connection_for_write(broker_url) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def health_report(*, broker_url: str) -> dict[str, Any]:
    """``{"status": "ok"|"error", "checks": {name: "ok"|"error: …"|"not configured"}}``."""
    checks: dict[str, str] = {}
    probes = {"database": _check_database, "cache": _check_cache}
    if broker_url:
        probes["broker"] = lambda: _check_broker(broker_url)
    else:
        checks["broker"] = "not configured"
    for name, probe in probes.items():
        try:
            probe()
        except Exception as exc:  # noqa: BLE001 — any failure is a failed check
            checks[name] = f"error: {type(exc).__name__}"
        else:
            checks[name] = "ok"
    failed = any(value.startswith("error") for value in checks.values())
    return {"status": "error" if failed else "ok", "checks": checks}
