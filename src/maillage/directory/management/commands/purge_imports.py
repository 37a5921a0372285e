"""``maillage purge_imports``: delete the imports of organisations never committed and older than
``MAILLAGE_IMPORT_RETENTION_DAYS`` days (their rows hold people's contact details). Safe to run
from cron at any time; new uploads also purge."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.directory.imports import import_purge


class Command(BaseCommand):
    help = "Delete the imports of organisations never committed and older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention in days (default: the MAILLAGE_IMPORT_RETENTION_DAYS setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] is not None and options["days"] < 0:
            raise CommandError(_("The retention is a number of days, 0 or more."))
        deleted = import_purge(days=options["days"])
        if options["verbosity"] >= 1:
            self.stdout.write(
                ngettext(
                    "%(count)d import never committed deleted.",
                    "%(count)d imports never committed deleted.",
                    deleted,
                )
                % {"count": deleted}
            )
