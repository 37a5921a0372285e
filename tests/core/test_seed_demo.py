"""`maillage seed_demo`: the demo network, idempotent, with logins that work."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from maillage.accounts.models import User
from tests.access import db_snapshot


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_prints_logins_that_work_for_each_role(client, reference_data):
    output = _seed()
    logins = [line.split()[-2:] for line in output.splitlines() if "@demo.maillage.test" in line]
    assert len(logins) == 6
    for email, password in logins:
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 302, email
        assert client.get(reverse("accounts:profile")).status_code == 200
        client.post(reverse("account_logout"))
    admin = User.objects.get(email="admin@demo.maillage.test")
    assert admin.is_staff and admin.groups.filter(name="administrator").exists()


def test_seed_demo_twice_changes_nothing(reference_data):
    _seed()
    before = db_snapshot()
    _seed()
    assert db_snapshot() == before


def test_seed_demo_refuses_production(db, settings):
    settings.EMBEDDED = False
    with pytest.raises(CommandError, match="embedded"):
        _seed()
    assert not User.objects.exists()
