"""The main navigation. A section appears as a link once its app provides the URL name."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAIN_NAVIGATION: tuple[tuple[Promise, str], ...] = (
    (_("Directory"), "directory:index"),
    (_("Observatory"), "observatory:index"),
    (_("Events"), "engagement:agenda"),
    (_("Commissions"), "commissions:index"),
    (_("Governance"), "governance:index"),
    (_("Resources"), "support:resources"),
    (_("Join"), "membership:apply"),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str | None
    current: bool


def main_navigation(path: str) -> list[NavItem]:
    items = []
    for label, url_name in MAIN_NAVIGATION:
        try:
            url: str | None = reverse(url_name)
        except NoReverseMatch:
            url = None  # the section is not built yet
        items.append(NavItem(label=str(label), url=url, current=bool(url) and path.startswith(url or "")))
    return items
