"""The demo network. Each app may provide a ``demo`` module with a ``seed(report)`` function
that adds its fictitious records idempotently; ``maillage seed_demo`` runs them in the order
of INSTALLED_APPS, which follows the dependencies between apps."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from maillage.core.discovery import app_modules

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
    return [module.seed for _label, module in app_modules("demo")]


@transaction.atomic
def demo_seed() -> DemoReport:
    report = DemoReport()
    for seed in demo_seeders():
        seed(report)
    return report
