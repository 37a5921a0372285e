"""The demo's projects, computed without touching the database: who reports them, where, on
which themes and sectors, with which funders, budgets and transactions.

Pure Python driven by a ``random.Random`` (``observatory.demo`` reads the directory, hands the
actors here as plain values, and writes the result with ``project_save``). Dates follow today's
date, so that the demo always shows projects under way, closed and to come."""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from maillage.directory.demo.names import spread, weighted
from maillage.directory.demo.words import THEME_PHRASES, THEME_SDGS, THEME_WEIGHTS, TOWNS
from maillage.observatory.demo.words import (
    BUDGET_BY_CATEGORY,
    COUNTRY_IN,
    EXTRA_TOWNS,
    PROJECT_COUNTRIES,
    REPORTING_WEIGHTS,
    SDG_TARGETS,
    THEME_SECTORS,
    TITLES,
    WATER_AGENCIES,
)

PROJECTS = 600
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Actor:
    """A published regional actor that may report projects."""

    pk: int
    slug: str
    name: str
    category: str
    departement: str
    countries: tuple[str, ...]
    themes: tuple[str, ...]
    website: str
    iati_prefix: str  # its IATI organisation identifier, "" if it publishes none


@dataclass(frozen=True)
class Partner:
    pk: int
    country: str
    town: str


@dataclass
class Funders:
    """The funders' primary keys: ``named`` by key (region, afd, meae, water agencies), the
    départements' councils by code, and pools of foundations and local authorities."""

    named: dict[str, int]
    departements: dict[str, int]
    foundations: list[int]
    communes: list[int]


@dataclass
class ProjectSpec:
    reporter: int
    title: str
    description: str
    status: str
    provenance: str
    iati_identifier: str
    activity_status: int
    planned_start: datetime.date
    planned_end: datetime.date
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    beneficiaries: int
    volunteers: int
    participations: list[tuple[int, int]]  # (organisation pk, IATI role)
    countries: list[tuple[str, Decimal | None]]
    sectors: list[tuple[str, Decimal | None]]
    themes: list[str]
    sdgs: list[int]
    sdg_targets: list[str]
    location: dict[str, Any]
    budgets: list[dict[str, Any]] = field(default_factory=list)
    transactions: list[dict[str, Any]] = field(default_factory=list)  # provider/receiver as pks
    documents: list[dict[str, Any]] = field(default_factory=list)


def of(name: str) -> str:
    """ "de Podor", "d’Agadir", "du Cap", "des Cayes"."""
    if name.startswith("Les "):
        return f"des {name[4:]}"
    if name.startswith("Le "):
        return f"du {name[3:]}"
    return f"d’{name}" if name[:1] in "AEIOUÉÈÂÎ" else f"de {name}"


def at(name: str) -> str:
    """ "à Podor", "aux Cayes", "au Cap"."""
    if name.startswith("Les "):
        return f"aux {name[4:]}"
    if name.startswith("Le "):
        return f"au {name[3:]}"
    return f"à {name}"


def _round(value: float, step: int = 100) -> Decimal:
    return Decimal(max(step, round(value / step) * step))


class Planner:
    """Spreads ``PROJECTS`` projects over the actors and draws each one."""

    def __init__(
        self,
        seed: int | str,
        *,
        today: datetime.date,
        actors: Sequence[Actor],
        partners: Sequence[Partner],
        funders: Funders,
        theme_sectors: dict[str, list[str]],
        sdg_targets: set[str],
        favoured: int | None = None,
    ) -> None:
        self.seed, self.today = seed, today
        self.rng = random.Random(seed)  # noqa: S311 (fictitious data, reproducible on purpose)
        self.actors, self.funders = list(actors), funders
        self.partners: dict[str, list[Partner]] = {}
        for partner in partners:
            self.partners.setdefault(partner.country, []).append(partner)
        # The thesaurus decides: a theme's sectors are those of its DAC categories.
        self.sectors = {
            theme: [code for code in THEME_SECTORS[theme] if code in codes] or codes[:3]
            for theme, codes in theme_sectors.items()
            if theme in THEME_SECTORS and codes
        }
        self.sdg_targets = sdg_targets
        self.favoured = favoured  # the demo editor's organisation: a few projects in every status

    def _draw(self, *key: object) -> random.Random:
        """A generator of its own for each actor and each project: what is drawn for one does
        not depend on the others (nor on today's date for the titles, which key the projects)."""
        return random.Random("-".join(str(part) for part in (self.seed, *key)))  # noqa: S311

    def counts(self) -> dict[int, int]:
        """How many projects each actor reports (about a third report none)."""
        weights: dict[str, float] = {}
        for actor in self.actors:
            rng = self._draw(actor.slug)
            base = REPORTING_WEIGHTS.get(actor.category, 0.3)
            active = rng.random() < 0.7 or actor.pk == self.favoured
            weights[str(actor.pk)] = base * rng.paretovariate(2.0) if active else 0.0
        counts = {int(pk): count for pk, count in spread(PROJECTS, weights).items()}
        if self.favoured is not None and counts.get(self.favoured, 0) < 4:
            richest = max(counts, key=lambda pk: (counts[pk], -pk))
            moved = 4 - counts.get(self.favoured, 0)
            counts[richest] -= moved
            counts[self.favoured] = 4
        return counts

    def plan(self) -> list[ProjectSpec]:
        counts = self.counts()
        specs: list[ProjectSpec] = []
        for actor in self.actors:
            titles: set[str] = set()
            for number in range(counts.get(actor.pk, 0)):
                status = None
                if actor.pk == self.favoured:
                    status = ("published", "published", "submitted", "draft")[number % 4]
                self.rng = self._draw(actor.slug, number)
                specs.append(self.project(actor, number, titles, status))
        return specs

    # --- one project ---
    def _country(self, actor: Actor) -> str:
        rng = self.rng
        if actor.countries and rng.random() < 0.8:
            return str(rng.choice(actor.countries))
        return str(weighted(rng, [c for c, _w in PROJECT_COUNTRIES], [w for _c, w in PROJECT_COUNTRIES]))

    def _themes(self, actor: Actor) -> list[str]:
        rng = self.rng
        known = [theme for theme in actor.themes if theme in self.sectors]
        if known and rng.random() < 0.85:
            first = known[0] if rng.random() < 0.6 else rng.choice(known)
        else:
            slugs = sorted(self.sectors)
            first = weighted(rng, slugs, [THEME_WEIGHTS.get(slug, 1) for slug in slugs])
        themes = [first]
        others = [theme for theme in known if theme != first]
        if others and rng.random() < 0.35:
            themes.append(rng.choice(others))
        return themes

    def _dates(self) -> tuple[datetime.date, datetime.date]:
        rng = self.rng
        year = self.today.year + weighted(rng, (-6, -5, -4, -3, -2, -1, 0, 1), (3, 4, 6, 8, 10, 11, 9, 4))
        start = datetime.date(year, rng.choice((1, 1, 1, 3, 4, 6, 9, 10)), 1)
        months = weighted(rng, (12, 18, 24, 36, 48), (3, 2, 4, 3, 1))
        end_month = start.month - 1 + months
        end = datetime.date(start.year + end_month // 12, end_month % 12 + 1, 1) - datetime.timedelta(days=1)
        return start, end

    def _status(
        self, start: datetime.date, end: datetime.date
    ) -> tuple[int, datetime.date | None, datetime.date | None]:
        """The IATI activity status and the actual dates (never in the future)."""
        rng, today = self.rng, self.today
        if start > today:
            return 1, None, None  # identification
        actual_start = min(start + datetime.timedelta(days=rng.choice((0, 0, 0, 14, 31, 45))), today)
        if end < today:
            if rng.random() < 0.04:
                return 5, actual_start, None  # cancelled
            return 4, actual_start, end  # closed
        if rng.random() < 0.03:
            return 6, actual_start, None  # suspended
        if (end - today).days < 90:
            return 3, actual_start, None  # finalisation
        return 2, actual_start, None

    def _title(self, theme: str, town: str, country: str, titles: set[str]) -> str:
        rng = self.rng
        pattern = rng.choice(TITLES[theme])
        title = pattern.format(of_town=of(town), at_town=at(town), in_country=COUNTRY_IN[country], town=town)
        if title in titles:
            title = f"{title} (phase {sum(1 for t in titles if t.startswith(title)) + 1})"
        titles.add(title)
        return title

    def _funders(self, actor: Actor, themes: list[str], annual: Decimal) -> list[int]:
        rng, named = self.rng, self.funders.named
        chosen: list[int] = []
        if rng.random() < 0.45:
            chosen.append(named["region"])
        if "eau-assainissement" in themes and rng.random() < 0.75:
            agency = WATER_AGENCIES.get(actor.departement, "agence-eau-adour-garonne")
            chosen.append(named[agency])
        if rng.random() < 0.18:
            chosen.append(named["meae"])
        if annual >= 40000 and rng.random() < 0.3:
            chosen.append(named["afd"])
        if actor.departement in self.funders.departements and rng.random() < 0.25:
            chosen.append(self.funders.departements[actor.departement])
        if self.funders.foundations and rng.random() < 0.12:
            chosen.append(rng.choice(self.funders.foundations))
        if self.funders.communes and rng.random() < 0.08:
            chosen.append(rng.choice(self.funders.communes))
        return [pk for pk in dict.fromkeys(chosen) if pk != actor.pk]

    def _budgets(self, start: datetime.date, end: datetime.date, annual: Decimal) -> list[dict[str, Any]]:
        budgets = []
        for year in range(start.year, end.year + 1):
            first, last = max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))
            share = ((last - first).days + 1) / 365
            value = _round(float(annual) * share * self.rng.uniform(0.85, 1.15))
            budgets.append(
                {
                    "period_start": first,
                    "period_end": last,
                    "value": value,
                    "value_date": first,
                    "state": 2 if first <= self.today else 1,  # committed, indicative
                }
            )
        return budgets

    def _transactions(
        self, actor: Actor, funders: list[int], partner: Partner | None, budgets: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        rng, rows = self.rng, []
        for budget in budgets:
            if budget["period_start"] > self.today:
                break
            span = (min(budget["period_end"], self.today) - budget["period_start"]).days
            value: Decimal = budget["value"]

            def day(
                fraction: float, *, start: datetime.date = budget["period_start"], span: int = span
            ) -> datetime.date:
                return start + datetime.timedelta(days=int(span * fraction))

            covered = Decimal(str(rng.choice((0.5, 0.6, 0.7, 0.8)))) if funders else Decimal(0)
            for pk in funders:
                rows.append(
                    {
                        "kind": 1,
                        "date": day(rng.uniform(0, 0.3)),
                        "value": _round(float(value * covered) / len(funders)),
                        "provider": pk,
                        "receiver": actor.pk,
                        "description": "Versement de la subvention",
                    }
                )
            if partner is not None:
                rows.append(
                    {
                        "kind": 3,
                        "date": day(rng.uniform(0.3, 0.6)),
                        "value": _round(float(value) * rng.uniform(0.5, 0.7)),
                        "provider": actor.pk,
                        "receiver": partner.pk,
                        "description": "Transfert au partenaire",
                    }
                )
            rows.append(
                {
                    "kind": 4,
                    "date": day(rng.uniform(0.6, 1)),
                    "value": _round(float(value) * rng.uniform(0.15, 0.3)),
                    "provider": actor.pk,
                    "receiver": None,
                    "description": "Missions de suivi et frais de fonctionnement",
                }
            )
        return rows

    def _sectors(self, themes: list[str]) -> list[tuple[str, Decimal | None]]:
        rng = self.rng
        codes = [rng.choice(self.sectors[themes[0]])]
        extra = self.sectors.get(themes[-1], []) if len(themes) > 1 else self.sectors[themes[0]]
        second = rng.choice(extra)
        if second not in codes and rng.random() < 0.5:
            share = Decimal(rng.choice((60, 70, 80)))
            return [(codes[0], share), (second, HUNDRED - share)]
        return [(codes[0], None)]

    def _countries(self, country: str, actor: Actor) -> list[tuple[str, Decimal | None]]:
        others = [code for code in actor.countries if code != country and code in COUNTRY_IN]
        if others and self.rng.random() < 0.08:
            return [(country, Decimal(70)), (self.rng.choice(others), Decimal(30))]
        return [(country, None)]

    def project(self, actor: Actor, number: int, titles: set[str], status: str | None) -> ProjectSpec:
        rng = self.rng
        country = self._country(actor)
        themes = self._themes(actor)
        candidates = self.partners.get(country, [])
        partner = rng.choice(candidates) if candidates and rng.random() < 0.9 else None
        towns = TOWNS.get(country) or EXTRA_TOWNS[country]
        town, latitude, longitude = next(
            (t for t in towns if partner is not None and t[0] == partner.town), rng.choice(towns)
        )
        title = self._title(themes[0], town, country, titles)
        if status is None:
            status = weighted(rng, ("published", "submitted", "draft", "archived"), (84, 7, 6, 3))
        start, end = self._dates()
        if start > self.today and status == "archived":
            status = "draft"
        low, high = BUDGET_BY_CATEGORY.get(actor.category, (5000, 30000))
        annual = _round(rng.lognormvariate(0, 0.5) * (low + high) / 2, 500)
        beneficiaries = int(_round(rng.lognormvariate(6.5, 1.0), 10))
        funders = self._funders(actor, themes, annual)
        budgets = self._budgets(start, end, annual)
        activity_status, actual_start, actual_end = self._status(start, end)
        iati = ""
        provenance = weighted(rng, ("manual", "survey", "import"), (6, 3, 1))
        if actor.iati_prefix and status == "published":
            iati = f"{actor.iati_prefix}-{start.year}-{number + 1:03d}"
            provenance = "iati"
        sdgs = sorted({number for theme in themes for number in THEME_SDGS.get(theme, ())})[:3]
        targets = [code for code in SDG_TARGETS.get(themes[0], ()) if code in self.sdg_targets][:1]
        participations = [(pk, 1) for pk in funders] + [(actor.pk, 2)]
        participations.append((partner.pk, 4) if partner is not None else (actor.pk, 4))
        partner_words = "avec ses partenaires locaux" if partner is None else "avec son partenaire local"
        description = (
            f"{title}. Le projet est mené par {actor.name} {partner_words} {COUNTRY_IN[country]} "
            f"et touche environ {beneficiaries} personnes. Il contribue à {THEME_PHRASES[themes[0]]}."
        )
        documents = []
        if actor.website and rng.random() < 0.15:
            documents.append(
                {
                    "url": f"{actor.website}projets/{start.year}-{number + 1}/",
                    "title": "Présentation du projet",
                    "category": "A02",
                    "format": "text/html",
                    "language": "fr",
                    "document_date": start,
                }
            )
        return ProjectSpec(
            reporter=actor.pk,
            title=title,
            description=description,
            status=status,
            provenance=provenance,
            iati_identifier=iati,
            activity_status=activity_status,
            planned_start=start,
            planned_end=end,
            actual_start=actual_start,
            actual_end=actual_end,
            beneficiaries=beneficiaries,
            volunteers=rng.randint(0, 25),
            participations=participations,
            countries=self._countries(country, actor),
            sectors=self._sectors(themes),
            themes=themes,
            sdgs=sdgs,
            sdg_targets=targets,
            location={
                "name": town,
                "latitude": round(latitude + rng.uniform(-0.05, 0.05), 5),
                "longitude": round(longitude + rng.uniform(-0.05, 0.05), 5),
            },
            budgets=budgets,
            transactions=self._transactions(actor, funders, partner, budgets),
            documents=documents,
        )
