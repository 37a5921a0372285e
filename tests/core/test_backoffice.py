"""The staff area: who reaches it, the history of a record, two-factor enforcement."""

import pytest
from django.urls import reverse

from maillage.accounts.services import user_update_profile
from maillage.core.history import tracked_models
from tests.access import BACK_OFFICE, LOGIN, MFA, assert_access, make_user


def test_dashboard_access_by_role(client, users):
    assert_access(client, users, reverse("backoffice:dashboard"), expected=BACK_OFFICE)


def test_dashboard_refuses_writes(client, users):
    assert_access(
        client,
        users,
        reverse("backoffice:dashboard"),
        method="post",
        expected=dict.fromkeys(BACK_OFFICE, 405),
    )


def test_history_shows_who_changed_what_and_when(client, users):
    person = users["registered"]
    person.history.update(history_user=None)
    user_update_profile(user=person, first_name="Awa", last_name="Diop", language="en")
    url = reverse("backoffice:history", args=["accounts", "user", person.pk])

    assert_access(client, users, url, expected=BACK_OFFICE)
    client.force_login(users["staff"])
    page = client.get(url).content.decode()

    assert "Awa" in page and "Registered" in page  # the new and the old first name
    assert "English" in page or "en" in page
    assert page.count("<li>") >= 2  # creation and change


def test_history_of_unknown_record_or_untracked_model_is_404(client, users):
    client.force_login(users["staff"])
    assert client.get(reverse("backoffice:history", args=["accounts", "user", 999_999])).status_code == 404
    assert client.get(reverse("backoffice:history", args=["sessions", "session", 1])).status_code == 404


def test_dashboard_lists_latest_changes_with_a_constant_number_of_queries(
    client, users, django_assert_max_num_queries
):
    client.force_login(users["staff"])
    for index in range(30):
        make_user("registered", email=f"person{index}@example.org", first_name=f"Person{index}")
    # One query per tracked model (the latest changes of each), four for the session and user.
    with django_assert_max_num_queries(4 + len(tracked_models())):
        page = client.get(reverse("backoffice:dashboard")).content.decode()
    page = page.replace("\u00a0", " ")  # French typography: « Person29 »
    assert "Utilisateur·rice « Person29 »" in page and "« Person10 »" in page
    assert "« Person9 »" not in page  # only the latest 20


@pytest.mark.parametrize("role", ["staff", "administrator", "auditor"])
def test_back_office_users_must_enrol_totp_before_staff_pages(client, db, role):
    user = make_user(role, totp=False)
    client.force_login(user)
    assert_access(
        client,
        {"visitor": None, **{name: user for name in BACK_OFFICE if name != "visitor"}},
        reverse("backoffice:dashboard"),
        expected={"visitor": LOGIN, **{name: MFA for name in BACK_OFFICE if name != "visitor"}},
    )


def test_relaxed_mfa_lets_the_demo_staff_in_and_says_so(client, db, settings):
    settings.MAILLAGE_STAFF_MFA = "relaxed"
    client.force_login(make_user("staff", totp=False))
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 200
    assert "demo-banner" in response.content.decode()


def test_admin_site_also_requires_totp(client, db):
    client.force_login(make_user("administrator", totp=False))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/2fa/totp/activate/" in response.url


def test_history_of_a_theme_shows_its_dac_categories_as_codes(client, users, reference_data):
    from maillage.core.models import Theme

    theme = Theme.objects.get(slug="sante")
    theme.dac_categories.set(["121", "122"])
    client.force_login(users["auditor"])
    page = client.get(reverse("backoffice:history", args=["core", "theme", theme.pk])).content.decode()
    assert "<td>121, 122</td>" in page
