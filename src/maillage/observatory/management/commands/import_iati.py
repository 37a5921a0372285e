"""``maillage import_iati FILE…``: import IATI activity files (2.01 to 2.03) into the
observatory. Each file is imported whole or not at all, unless ``--valid-only``; the projects
are submitted for validation, or published with ``--publish``. Exits 1 when a file is refused
or, without ``--valid-only``, has a rejected activity."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from maillage.observatory.iati.importer import IatiOutcome, iati_import
from maillage.observatory.models import Project


class Command(BaseCommand):
    help = "Import IATI activity files into the observatory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="IATI activity files (XML).")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid activities of a file and leave out the rejected ones.",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the projects (default: submitted for validation)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status = Project.Status.PUBLISHED if options["publish"] else Project.Status.SUBMITTED
        failed = False
        for path in options["files"]:
            if not path.is_file():
                self.stderr.write(_("%(file)s: no such file.") % {"file": path})
                failed = True
                continue
            outcome = iati_import(path, valid_only=options["valid_only"], status=status)
            self._report(path, outcome, options["verbosity"])
            failed = failed or not outcome.committed
        if failed:
            raise CommandError(_("At least one file was not imported."), returncode=1)

    def _report(self, path: Path, outcome: IatiOutcome, verbosity: int) -> None:
        if outcome.error:
            self.stderr.write(_("%(file)s: refused. %(reason)s") % {"file": path, "reason": outcome.error})
            return
        counts = {
            "file": path,
            "activities": outcome.activities,
            "created": outcome.created,
            "updated": outcome.updated,
            "rejected": len(outcome.rejected),
        }
        if outcome.committed:
            line = _(
                "%(file)s: %(activities)s activities, %(created)s created, %(updated)s updated, "
                "%(rejected)s rejected."
            )
            self.stdout.write(line % counts)
        else:
            line = _("%(file)s: %(activities)s activities, %(rejected)s rejected: nothing imported.")
            self.stderr.write(line % counts)
        for rejection in outcome.rejected:
            self.stderr.write(
                _("  rejected: %(identifier)s, line %(line)s, %(element)s: %(reason)s")
                % {
                    "identifier": rejection.identifier or "—",
                    "line": rejection.line or "?",
                    "element": rejection.element,
                    "reason": rejection.reason,
                }
            )
        if verbosity >= 2:
            for warning in outcome.warnings:
                self.stdout.write(_("  warning: %(warning)s") % {"warning": warning})
        elif outcome.warnings:
            self.stdout.write(
                _("  %(count)s warnings (-v 2 to list them).") % {"count": len(outcome.warnings)}
            )
