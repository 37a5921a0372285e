"""Demo accounts: one per role, with confirmed addresses, so that each role can be tried."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.accounts.services import user_grant_role
from maillage.core.roles import Role
from maillage.core.seeding import DEMO_PASSWORD, DemoReport

DEMO_USERS = [
    # (e-mail, first name, last name, role or None for a registered person)
    ("admin@demo.maillage.test", "Camille", "Roux", Role.ADMINISTRATOR),
    ("equipe@demo.maillage.test", "Inès", "Benali", Role.STAFF),
    ("editrice@demo.maillage.test", "Margaux", "Fabre", Role.ORGANISATION_EDITOR),
    ("elu@demo.maillage.test", "Jean-Pierre", "Castel", Role.ELECTED),
    ("audit@demo.maillage.test", "Sophie", "Lacombe", Role.AUDITOR),
    ("personne@demo.maillage.test", "Moussa", "Koné", None),
]


def seed(report: DemoReport) -> None:
    for email, first_name, last_name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password", "updated_at"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role is not None:
            user_grant_role(user=user, role=role)
        report.count("accounts", created)
        label = role.label if role is not None else _("Registered person")
        report.logins.append((str(label), email, DEMO_PASSWORD))
