"""The roles of the platform. A visitor is anonymous and a registered person is any logged-in
user; the other roles are groups named by their code, created by ``roles_ensure``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORGANISATION_EDITOR = "organisation_editor", _("Organisation editor")
    STAFF = "staff", _("Staff member")
    ADMINISTRATOR = "administrator", _("Administrator")
    ELECTED = "elected", _("Elected member")
    AUDITOR = "auditor", _("Auditor (read-only)")


# Roles whose holders reach staff pages, and so must enrol two-factor authentication.
BACK_OFFICE_ROLES = frozenset({Role.STAFF, Role.ADMINISTRATOR, Role.AUDITOR})
