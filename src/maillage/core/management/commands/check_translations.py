"""Fail when the French catalogue misses a message of the code, has a fuzzy or empty
translation, or when the compiled catalogue (.mo) is older than its source (.po).

Messages are written in English in the code (so the English interface is complete by
construction); every one of them must have its French translation."""

import contextlib
import gettext
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

LANGUAGE = "fr"


def _gettext(*args: str) -> str:
    result = subprocess.run(args, capture_output=True, text=True, check=True)  # noqa: S603
    return (result.stdout + result.stderr).strip()


def _msgids(po_text: str) -> list[str]:
    """The msgids of a .po text, multi-line ones joined (the header's empty msgid aside)."""
    msgids, current = [], None
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current = line[len('msgid "') : -1]
        elif current is not None and line.startswith('"'):
            current += line[1:-1]
        elif current is not None:
            if current:
                msgids.append(current)
            current = None
    return msgids


class Command(BaseCommand):
    help = "Check that every message of the code has a French translation, compiled."

    def handle(self, *args: Any, **options: Any) -> None:
        if not shutil.which("msgattrib"):
            raise CommandError("GNU gettext is needed (Debian: apt-get install gettext).")
        package = Path(settings.LOCALE_PATHS[0]).parent
        committed_po = package / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
        problems = []
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / package.name
            shutil.copytree(package, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
            with override_settings(LOCALE_PATHS=[copy / "locale"]), contextlib.chdir(copy):
                call_command(
                    "makemessages", locale=[LANGUAGE], no_location=True, no_obsolete=True, verbosity=0
                )
            fresh_po = copy / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
            untranslated = _msgids(_gettext("msgattrib", "--untranslated", str(fresh_po)))
            fuzzy = _msgids(_gettext("msgattrib", "--only-fuzzy", str(fresh_po)))
            compiled = Path(tmp) / "fresh.mo"
            _gettext("msgfmt", "--check-format", "-o", str(compiled), str(committed_po))
            compiled_is_current = _same_catalogue(compiled, committed_po.with_suffix(".mo"))
        if untranslated:
            problems.append(f"{len(untranslated)} message(s) without a French translation:")
            problems.extend(f"  {msgid}" for msgid in untranslated[:40])
        if fuzzy:
            problems.append(f"{len(fuzzy)} fuzzy French translation(s) to review:")
            problems.extend(f"  {msgid}" for msgid in fuzzy[:40])
        if not compiled_is_current:
            problems.append("django.mo is out of date: run `make messages`.")
        if problems:
            raise CommandError("\n".join(["Translations are incomplete (run `make messages`):", *problems]))
        self.stdout.write(self.style.SUCCESS("Every message has its French translation."))


def _same_catalogue(expected: Path, actual: Path) -> bool:
    if not actual.is_file():
        return False
    with expected.open("rb") as left, actual.open("rb") as right:
        return gettext.GNUTranslations(left)._catalog == gettext.GNUTranslations(right)._catalog  # type: ignore[attr-defined]
