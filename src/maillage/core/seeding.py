"""The demo network. Each app may provide a ``demo`` module with a ``seed(report)`` function
that adds its fictitious records idempotently; ``maillage seed_demo`` runs them in the order
of INSTALLED_APPS, which follows the dependencies between apps."""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

# Embedded demo only (seed_demo refuses to run in production): a public, documented password.
DEMO_PASSWORD = "Demo-Maillage-2026"  # noqa: S105


@dataclass
class DemoReport:
    """What the seeding did: counts per kind of record, and the demo logins to print."""

    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, e-mail, password)

    def count(self, kind: str, created: bool) -> None:
        self.created[kind] = self.created.get(kind, 0) + int(created)


def demo_seeders() -> list[Callable[[DemoReport], None]]:
    seeders = []
    for config in apps.get_app_configs():
        if config.name.startswith("maillage.") and find_spec(f"{config.name}.demo"):
            seeders.append(import_module(f"{config.name}.demo").seed)
    return seeders


@transaction.atomic
def demo_seed() -> DemoReport:
    report = DemoReport()
    for seed in demo_seeders():
        seed(report)
    return report
