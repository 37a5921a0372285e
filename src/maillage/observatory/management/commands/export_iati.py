"""``maillage export_iati [-o FILE] [--organisation SLUG] [--all]``: the published projects (every
project with ``--all``) as an IATI 2.03 activity file, on the standard output by default."""

import codecs
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.directory.models import Organisation
from maillage.observatory.iati.writer import iati_write
from maillage.observatory.models import Project


class _TextOut:
    """The command's standard output as a binary file (UTF-8 decoded as it comes)."""

    def __init__(self, stdout: OutputWrapper) -> None:
        self.stdout = stdout
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self.stdout.write(self.decoder.decode(bytes(data)), ending="")
        return len(data)


class Command(BaseCommand):
    help = "Write the published projects as an IATI 2.03 activity file (standard output by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="The file to write (default: standard output)."
        )
        parser.add_argument(
            "--organisation",
            metavar="SLUG",
            help="Only the projects this organisation reports (its address).",
        )
        parser.add_argument(
            "--all", action="store_true", help="Every project, not only the published ones (drafts included)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        projects = Project.objects.all()
        if not options["all"]:
            projects = projects.filter(status=Project.Status.PUBLISHED)
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(
                    _("No organisation of the directory has the address “%(slug)s”.")
                    % {"slug": options["organisation"]}
                )
            projects = projects.filter(reporting_organisation=organisation)
        if not projects.exists():
            raise CommandError(_("No project to export: an IATI file holds at least one activity."))
        output = options["output"]
        if output and output != "-":
            with open(output, "wb") as out:
                count = iati_write(projects, out)
            report = self.stdout
        else:
            count = iati_write(projects, _TextOut(self.stdout))  # type: ignore[arg-type]
            report = self.stderr  # the standard output holds the file alone
        if options["verbosity"] >= 1:
            report.write(
                ngettext(
                    "%(count)d activity written.",
                    "%(count)d activities written.",
                    count,
                )
                % {"count": count},
                style_func=str,  # plain, even on the standard error
            )
