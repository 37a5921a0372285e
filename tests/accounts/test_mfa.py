"""Two-factor authentication: staff enrol TOTP before reaching staff pages, then log in with it."""

import pyotp
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.access import PASSWORD, make_user


def _login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_staff_enrol_totp_then_log_in_with_a_code_or_a_recovery_code(client, db):
    staff = make_user("staff", totp=False, verified=True)
    _login(client, staff)

    # Given a staff member without an authenticator, the staff area sends them to enrol one.
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")

    # Enrolling asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for manual entry beside the QR code

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert wrong.status_code == 200 and "Code incorrect" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=staff).exists()

    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    kinds = set(Authenticator.objects.filter(user=staff).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("backoffice:dashboard")).status_code == 200

    # Next login asks for the second factor; a recovery code works once.
    client.post(reverse("account_logout"))
    assert _login(client, staff).url == reverse("mfa_authenticate")
    assert client.get(reverse("backoffice:dashboard")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Code incorrect" in wrong.content.decode()

    codes = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES).wrap()
    recovery_code = codes.get_unused_codes()[0]
    client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    codes = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert recovery_code not in codes.get_unused_codes()


def test_a_registered_person_is_not_asked_to_enrol(client, db):
    person = make_user("registered", totp=False, verified=True)
    _login(client, person)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("backoffice:dashboard")).status_code == 403
