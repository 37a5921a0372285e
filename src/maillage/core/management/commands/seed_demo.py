"""``maillage seed_demo``: load the fictitious demo network (idempotent, embedded mode only)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maillage.core.seeding import demo_seed


class Command(BaseCommand):
    help = "Load the demo network: fictitious people and organisations in the real geography."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EMBEDDED:
            raise CommandError(
                _("The demo data can only be loaded in embedded mode (MAILLAGE_MODE=embedded).")
            )
        report = demo_seed()
        created = ", ".join(f"{kind}: {count}" for kind, count in report.created.items() if count)
        self.stdout.write(_("Demo data ready (new records — %(created)s).") % {"created": created or "0"})
        self.stdout.write(_("Demo logins:"))
        for role, email, password in report.logins:
            self.stdout.write(f"  {role:<34} {email:<32} {password}")
