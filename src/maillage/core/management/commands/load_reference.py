"""``maillage load_reference``: load or refresh the reference data (territories, SDGs, DAC
sectors, seed of the themes). Safe to run at every deployment."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maillage.core.reference import ReferenceDataError, reference_load


class Command(BaseCommand):
    help = "Load or refresh the reference data: communes, SDGs, DAC sectors and the seed of the themes."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            reference_load(stdout=self.stdout if options["verbosity"] >= 1 else None)
        except ReferenceDataError as error:
            raise CommandError(_("Reference data not loaded: %(error)s") % {"error": error}) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Reference data loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
                )
            )
