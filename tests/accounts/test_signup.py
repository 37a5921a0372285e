"""Signing up with an e-mail address, confirming it, logging in, resetting a password."""

import re

from django.core import mail
from django.urls import reverse
from django.utils import translation

from maillage.accounts.models import User
from maillage.core.models import OutgoingEmail
from tests.access import PASSWORD, db_snapshot, make_user


def _signup(client, email="awa.diop@example.org", password=PASSWORD, password2=None):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password2 or password},
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_sends_one_confirmation_email_in_two_parts_then_confirming_logs_in(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["awa.diop@example.org"]
    assert message.body.strip()
    html = {mime: body for body, mime in message.alternatives}["text/html"]
    assert _link(message) in html
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT

    page = client.get(_link(message))
    assert page.status_code == 200
    confirmed = client.post(_link(message))
    assert confirmed.status_code == 302
    assert User.objects.get(email="awa.diop@example.org").emailaddress_set.get().verified
    assert client.get(reverse("accounts:profile")).status_code == 200  # logged in


def test_login_needs_a_confirmed_address(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "awa.diop@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_malformed_email_and_weak_password_are_refused_in_french_without_writing(client, db):
    before = db_snapshot()
    with translation.override("fr"):
        bad_email = _signup(client, email="pas-une-adresse")
        weak = _signup(client, password="azerty", password2="azerty")
        different = _signup(client, password=PASSWORD, password2=PASSWORD + "x")

    assert bad_email.status_code == 200
    assert "Saisissez une adresse de courriel valide." in bad_email.content.decode()
    assert 'aria-invalid="true"' in bad_email.content.decode()
    assert "trop court" in weak.content.decode()
    assert "trop courant" in weak.content.decode()
    assert "identique" in different.content.decode() or "même mot de passe" in different.content.decode()
    assert db_snapshot() == before
    assert mail.outbox == []


def test_an_address_already_used_cannot_sign_up_again(client, db, django_capture_on_commit_callbacks):
    make_user("registered", email="awa.diop@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, email="Awa.Diop@example.org")
    # allauth does not reveal that the account exists: it tells the owner by e-mail instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="awa.diop@example.org").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["awa.diop@example.org"]


def test_an_expired_confirmation_link_says_so(client, db, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)
    link = _link(mail.outbox[0])
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    client.logout()
    with translation.override("fr"):
        page = client.get(link, HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert "expiré" in page.content.decode() or "invalide" in page.content.decode()
    assert not User.objects.get().emailaddress_set.get().verified


def test_repeated_failed_logins_lock_the_account_for_a_while(client, db):
    user = make_user("registered", email="awa.diop@example.org")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    for _ in range(5):
        failed = client.post(reverse("account_login"), {"login": user.email, "password": "mauvais"})
        assert failed.status_code == 200
    locked = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert locked.status_code == 200  # even the right password is refused now
    assert "Trop de tentatives" in locked.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, db, django_capture_on_commit_callbacks):
    user = make_user("registered", email="awa.diop@example.org")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    new_password = "Un-autre-mot-de-passe-77"
    client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    user.refresh_from_db()
    assert user.check_password(new_password)
