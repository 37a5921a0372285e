"""One row of an Atlas spreadsheet read into the values of a project (see ``atlas`` for the
layout), then merged into a ``ProjectData``: a new project's, or a recorded project's where an
empty cell changes nothing and a filled one replaces what its column describes.

A cell naming what the project already holds keeps the record as it is (the shares of its
countries and sectors, its yearly budgets, its dates within the same years, its transactions),
so that exporting projects and importing the file again changes nothing."""

import copy
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from maillage.core.models import DacSector, Sdg, Theme
from maillage.core.models.reference import search_key
from maillage.directory.models import Organisation
from maillage.directory.services import organisation_create
from maillage.observatory import atlas
from maillage.observatory.models import ActivityStatus, OrganisationRole, TransactionType
from maillage.observatory.services import ProjectData


class Lookups:
    """The directory's organisations and the reference values a file may name, read once per
    import (an organisation the import creates is added once its row is written)."""

    def __init__(self) -> None:
        self.siret: dict[str, Organisation] = {}
        self.names: dict[str, list[Organisation]] = defaultdict(list)
        fields = ("pk", "name", "acronym", "siret", "iati_identifier", "kind", "country")
        for organisation in Organisation.objects.only(*fields).order_by("pk"):
            self.add(organisation)
        self.countries: dict[str, str] = {}
        self.statuses: dict[str, int] = dict(atlas.STATUS_SYNONYMS)
        for language in ("en", "fr"):
            with translation.override(language):
                for country in all_countries:
                    self.countries[search_key(str(country.name))] = country.code
                for code, label in ActivityStatus.choices:
                    self.statuses[search_key(str(label))] = code
                for code, label in atlas.STATUS_LABELS.items():
                    self.statuses[search_key(str(label))] = code
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            for key in (theme.slug, theme.name_fr, theme.name_en):
                self.themes[search_key(key)] = theme
        self.sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
        self.sectors = set(DacSector.objects.values_list("code", flat=True))

    def add(self, organisation: Organisation) -> None:
        if organisation.siret:
            self.siret[organisation.siret] = organisation
        keys = {search_key(organisation.name), search_key(organisation.acronym)}
        keys.add(organisation.iati_identifier.lower())
        for key in keys - {""}:
            self.names[key].append(organisation)

    def country(self, value: str) -> str | None:
        if len(value) == 2 and value.upper() in dict(all_countries):
            return value.upper()
        return self.countries.get(search_key(value))

    def organisation(self, name: str) -> Organisation | str:
        """The organisation of the directory ``name`` designates, or the reason none is found."""
        siret = re.sub(r"[\s.]", "", name)
        if atlas.SIRET.match(siret):
            return self.siret.get(siret) or _("No organisation of the directory has the SIRET %(siret)s.") % {
                "siret": siret
            }
        found = self.names.get(search_key(name)) or self.names.get(name.lower()) or []
        if len(found) == 1:
            return found[0]
        if found:
            return _("Several organisations of the directory are named “%(name)s”: give the SIRET.") % {
                "name": name
            }
        return _("“%(name)s” is not in the directory: add it first, or correct the name.") % {"name": name}


@dataclass
class RowValues:
    """The filled cells of a row, read; ``errors``: column key → messages."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _unknown(row: RowValues, key: str, names: list[str]) -> None:
    if names:
        row.error(key, _("Unknown: %(names)s.") % {"names": ", ".join(names)})


def _never(_value: str) -> bool:
    return False


def _sdg(text: str, lookups: Lookups) -> Sdg | None:
    number = re.search(r"\d+", text)
    return lookups.sdgs.get(int(number[0])) if number else None


def row_values(cells: list[str], mapping: dict[str, int], lookups: Lookups) -> RowValues:
    raw = {key: cells[index].strip() for key, index in mapping.items() if index < len(cells)}
    raw = {key: value for key, value in raw.items() if value}
    row = RowValues()
    values = row.values
    for key in ("iati_identifier", "title", "description"):
        if key in raw:
            values[key] = raw[key]
    if "title" not in raw:
        row.error("title", _("The title is required."))
    holder_name = raw.get("reporting_siret") or raw.get("reporting")
    if holder_name:
        holder = lookups.organisation(holder_name)
        if isinstance(holder, Organisation):
            values["reporting"] = holder
        else:
            row.error("reporting", holder)
    else:
        row.error("reporting", _("The holder of the project is required."))

    if "countries" in raw:
        names = atlas.split_list(raw["countries"], lookups.country)
        values["countries"] = list(dict.fromkeys(code for name in names if (code := lookups.country(name))))
        _unknown(row, "countries", [name for name in names if not lookups.country(name)])
    if "themes" in raw:
        names = atlas.split_list(raw["themes"], lambda name: search_key(name) in lookups.themes)
        values["themes"] = list(
            dict.fromkeys(t for name in names if (t := lookups.themes.get(search_key(name))))
        )
        _unknown(row, "themes", [name for name in names if search_key(name) not in lookups.themes])
    if "sectors" in raw:
        codes = [re.sub(r"\D", "", part)[:5] or part for part in atlas.split_list(raw["sectors"], _never)]
        values["sectors"] = list(dict.fromkeys(code for code in codes if code in lookups.sectors))
        _unknown(row, "sectors", [code for code in codes if code not in lookups.sectors])
    if "sdgs" in raw:
        sdgs = {part: _sdg(part, lookups) for part in atlas.split_list(raw["sdgs"], _never)}
        values["sdgs"] = list(dict.fromkeys(sdg for sdg in sdgs.values() if sdg))
        _unknown(row, "sdgs", [part for part, sdg in sdgs.items() if not sdg])
    if "status" in raw:
        status = raw["status"]
        status_code = int(status) if status.isdigit() else lookups.statuses.get(search_key(status))
        if status_code in ActivityStatus.values:
            values["status"] = status_code
        else:
            row.error("status", _("Unknown status: “%(name)s”.") % {"name": status})
    for key, parse, message in (
        ("start_year", atlas.parse_year, _("“%(value)s” is not a year.")),
        ("end_year", atlas.parse_year, _("“%(value)s” is not a year.")),
        ("total_cost", atlas.parse_amount, _("“%(value)s” is not an amount in euros.")),
        ("beneficiaries", atlas.parse_count, _("“%(value)s” is not a whole number.")),
        ("volunteers", atlas.parse_count, _("“%(value)s” is not a whole number.")),
    ):
        if key in raw:
            try:
                values[key] = parse(raw[key])
            except ValueError:
                row.error(key, message % {"value": raw[key]})
    if "partners" in raw:
        values["partners"] = []
        for part in atlas.split_list(raw["partners"]):
            found = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", part)
            code = lookups.country(found[2]) if found else None
            values["partners"].append((found[1], code) if found and code else (part, None))
    if "cofunding" in raw:
        values["cofunding"] = []
        for part in atlas.split_list(raw["cofunding"]):
            name, _colon, amount = part.rpartition(":") if ":" in part else (part, "", "")
            funder = lookups.organisation(name.strip())
            if not isinstance(funder, Organisation):
                row.error("cofunding", funder)
                continue
            try:
                values["cofunding"].append((funder, atlas.parse_amount(amount) if amount.strip() else None))
            except ValueError:
                row.error(
                    "cofunding", _("“%(value)s” is not an amount in euros.") % {"value": amount.strip()}
                )
    return row


# --- Merging the values into a project ------------------------------------------------------------


def _same(new: list[Any], old: list[Any]) -> list[Any]:
    """``old`` when both hold the same records (keeping its order), else ``new``."""
    return old if sorted(item.pk for item in new) == sorted(item.pk for item in old) else new


def _partner(
    name: str, code: str | None, lookups: Lookups, created: list[Organisation]
) -> Organisation | str:
    candidates = lookups.names.get(search_key(name), [])
    if code:
        candidates = [o for o in candidates if o.kind == Organisation.Kind.PARTNER and o.country.code == code]
    if candidates:
        return candidates[0]
    if not code:
        return _("Give the country of the partner “%(name)s” in brackets: “%(name)s (Senegal)”.") % {
            "name": name
        }
    partner = organisation_create(
        name=name, kind=Organisation.Kind.PARTNER, college="", country=code, source=Organisation.Source.IMPORT
    )
    created.append(partner)
    return partner


def project_data(
    row: RowValues, before: ProjectData | None, lookups: Lookups, created: list[Organisation]
) -> ProjectData | None:
    """The project the row describes (None when its holder is unknown); the problems found on
    the way are added to ``row.errors``. ``created``: the partners abroad created for it."""
    values = row.values
    holder: Organisation | None = values.get("reporting")
    if holder is None and before is not None:
        holder = before.reporting_organisation
    if holder is None:
        return None
    if before is None:
        data = ProjectData(title="", reporting_organisation=holder)
    else:  # copies of the lists, so that ``before`` stays what the database holds
        lists = (
            "participations",
            "countries",
            "regions",
            "sectors",
            "budgets",
            "transactions",
            "themes",
            "sdgs",
        )
        data = copy.copy(before)
        for name in lists:
            setattr(data, name, list(getattr(before, name)))
    data.reporting_organisation = holder
    for key, name in (
        ("iati_identifier", "iati_identifier"),
        ("title", "title"),
        ("description", "description"),
        ("status", "activity_status"),
        ("beneficiaries", "beneficiaries"),
        ("volunteers", "volunteers"),
    ):
        if key in values:
            setattr(data, name, values[key])
    _years(data, values)

    if "countries" in values:
        codes = values["countries"]
        if sorted(codes) != sorted(code for code, _share in data.countries) or data.regions:
            data.countries = list(zip(codes, atlas.equal_shares(len(codes)), strict=True))
            data.regions = []
    if "sectors" in values:
        dac = [code for vocabulary, code, _share in data.sectors if vocabulary == "1"]
        if sorted(values["sectors"]) != sorted(dac):
            others = [sector for sector in data.sectors if sector[0] != "1"]
            shares = atlas.equal_shares(len(values["sectors"]))
            data.sectors = [("1", code, share) for code, share in zip(values["sectors"], shares, strict=True)]
            data.sectors += others
    for key in ("themes", "sdgs"):
        if key in values:
            setattr(data, key, _same(values[key], getattr(data, key)))

    roles: dict[int, list[Organisation]] = {OrganisationRole.ACCOUNTABLE: [holder]}
    if "partners" in values:
        partners = [
            _partner(name, code or _single(data), lookups, created) for name, code in values["partners"]
        ]
        for reason in [partner for partner in partners if isinstance(partner, str)]:
            row.error("partners", reason)
        roles[OrganisationRole.IMPLEMENTING] = [p for p in partners if isinstance(p, Organisation)]
    if "cofunding" in values:
        roles[OrganisationRole.FUNDING] = [funder for funder, _amount in values["cofunding"]]
        _funds(data, row, holder)
    for role, organisations in roles.items():
        current = [organisation for organisation, kind in data.participations if kind == role]
        wanted = list(dict.fromkeys(organisations))
        if role == OrganisationRole.ACCOUNTABLE:
            wanted = current if holder in current else [*current, holder]
        if sorted(o.pk for o in wanted) != sorted(o.pk for o in current):
            data.participations = [p for p in data.participations if p[1] != role] + [
                (o, role) for o in wanted
            ]
    if "total_cost" in values and atlas.total_cost(data.budgets) != values["total_cost"]:
        start = data.actual_start or data.planned_start
        end = data.actual_end or data.planned_end
        if start is None:
            row.error(
                "total_cost", _("Give the start year: the total cost is a budget over the project's years.")
            )
        else:
            first, last = atlas.year_bounds(start.year, end.year if end else None)
            data.budgets = [
                {
                    "period_start": first,
                    "period_end": last,
                    "value": values["total_cost"],
                    "value_date": first,
                }
            ]
    return data


def _single(data: ProjectData) -> str | None:
    return data.countries[0][0] if len(data.countries) == 1 else None


def _years(data: ProjectData, values: dict[str, Any]) -> None:
    """Dates from the years: a recorded date within the year is kept, else 1 January of the
    start year and 31 December of the end year (planned dates)."""
    if "start_year" in values:
        year = values["start_year"]
        start = data.actual_start or data.planned_start
        if start is None or start.year != year:
            data.planned_start = atlas.year_bounds(year, None)[0]
            if data.actual_start and data.actual_start.year != year:
                data.actual_start = None
    if "end_year" in values:
        year = values["end_year"]
        end = data.actual_end or data.planned_end
        if end is None or end.year != year:
            data.planned_end = atlas.year_bounds(year, year)[1]
            if data.actual_end and data.actual_end.year != year:
                data.actual_end = None


def _funds(data: ProjectData, row: RowValues, holder: Organisation) -> None:
    """The incoming funds of the co-funding cell, dated the project's start."""
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    funders: dict[int, Organisation] = {}
    for funder, amount in row.values["cofunding"]:
        if amount is not None:
            wanted[funder.pk] += amount
            funders[funder.pk] = funder
    if not wanted or atlas.funds_by_provider(data.transactions) == dict(wanted):
        return  # funders named without amounts leave the transactions as they are
    start = data.actual_start or data.planned_start
    if start is None:
        row.error("cofunding", _("Give the start year: it dates the co-funding."))
        return
    data.transactions = [t for t in data.transactions if t.get("kind") != TransactionType.INCOMING_FUNDS]
    data.transactions += [
        {
            "kind": TransactionType.INCOMING_FUNDS,
            "date": start,
            "value": value,
            "provider": funders[pk],
            "receiver": holder,
        }
        for pk, value in wanted.items()
    ]
