"""Recount a vote from its published ballot box (JSON): ``maillage tally urne.json``."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maillage.governance.services.votes import tally


class Command(BaseCommand):
    help = "Recompute the result of a vote from its published ballot box (JSON file, or - for stdin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ballot_box", help="the JSON file published with the result")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["ballot_box"]
        if path == "-":
            box = json.load(sys.stdin)
        else:
            with open(path, encoding="utf-8") as stream:
                box = json.load(stream)
        self.stdout.write(json.dumps(tally(box), ensure_ascii=False, indent=2, sort_keys=True))
