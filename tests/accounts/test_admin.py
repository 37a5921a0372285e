"""Administrators manage users and their roles in the administration site; others may not."""

from django.urls import reverse

from maillage.accounts.models import User
from tests.access import assert_access, make_user


def test_user_administration_by_role(client, users):
    person = users["registered"]
    url = reverse("admin:accounts_user_change", args=[person.pk])
    # The administration site is for staff and administrators (is_staff); only administrators
    # change users, the staff read them. The others are sent to its login page, which allauth
    # guards: a visitor must log in, a logged-in person without the site gets 403.
    expected = dict.fromkeys(users, 302) | {"administrator": 200, "staff": 200}  # staff: read only
    assert_access(client, users, url, expected=expected)
    client.force_login(users["elected"])
    assert client.get(url, follow=True).status_code == 403
    client.force_login(users["staff"])
    assert client.post(url, {"email": "pirate@example.org"}).status_code == 403
    client.logout()
    assert client.get(url, follow=True).redirect_chain[-1][0].startswith(reverse("account_login"))


def test_an_administrator_gives_a_role_and_the_history_keeps_it(client, users):
    from django.contrib.auth.models import Group

    administrator, person = users["administrator"], users["registered"]
    client.force_login(administrator)
    staff_group = Group.objects.get(name="staff")
    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "first_name": "Awa",
            "last_name": "Diop",
            "language": "fr",
            "is_active": "on",
            "groups": [staff_group.pk],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert list(person.groups.values_list("name", flat=True)) == ["staff"]
    assert person.is_staff  # the staff reach the administration site
    assert person.history.latest().history_user == administrator
    assert User.objects.get(pk=person.pk).first_name == "Awa"


def test_an_administrator_creates_an_account(client, db):
    client.force_login(make_user("administrator"))
    password = "Un-mot-de-passe-solide-42"
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nouveau@example.org",
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="nouveau@example.org").check_password(password)
