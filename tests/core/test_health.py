"""GET /healthz: the state of the database, the cache and (when configured) the broker."""

from django.urls import reverse

from tests.access import assert_access

REDIS = "redis://127.0.0.1:6379/15"
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def test_healthy_without_a_broker(client, db):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "not configured"},
    }


def test_everyone_may_ask(client, users):
    assert_access(client, users, reverse("core:healthz"), expected=dict.fromkeys(users, 200))


def test_a_real_redis_broker_and_cache_are_checked(client, db, settings):
    settings.CELERY_BROKER_URL = REDIS
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_a_broker_down_gives_503(client, db, settings):
    settings.CELERY_BROKER_URL = NOBODY_LISTENS
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error: ")


def test_a_cache_down_gives_503(client, db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOBODY_LISTENS}
    }
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"
