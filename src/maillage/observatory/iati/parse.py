"""One ``iati-activity`` element (already valid against the schema) into a ``ProjectData``.

Codes the project keeps as codes (sectors, countries, regions, currencies, document
categories…) are kept even when missing from their codelist or withdrawn from it, with a
warning; a code our model holds as a choice (activity status, organisation role, transaction
type) that is outside its codelist leaves its value out (the status stays empty, the
participation or the transaction is skipped), with a warning: a code is never invented."""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django_countries import countries as all_countries
from lxml import etree

from maillage.core.models import Sdg, SdgTarget
from maillage.directory.models import Organisation
from maillage.observatory.iati.codelists import codelist
from maillage.observatory.models import ActivityStatus, Budget, OrganisationRole, TransactionType
from maillage.observatory.services import ProjectData

LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE_FIELDS = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}
MAX_AMOUNT = Decimal(10) ** 14  # the 16 digits, 2 of them decimals, of the amounts' columns
NOT_COUNTRIES = {"XI", "XM", "XR"}  # prefixes of IATI organisation identifiers that are no country


class ActivityRejected(Exception):
    """Raised while parsing an activity (or resolving its organisations): the activity is
    rejected, the others go on."""

    def __init__(self, element: str, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.element, self.reason, self.line = element, reason, line


class Organisations(Protocol):
    """How the reader turns the organisations a file names into the directory's."""

    def participant(
        self, *, ref: str, name: str, country: str, guessed: bool = False, type_code: str = ""
    ) -> Organisation:
        """Found or created (raises ``ActivityRejected`` when it cannot be created);
        ``guessed``: the country is the activity's, not given for the organisation;
        ``type_code``: its IATI OrganisationType, if the file gives it."""

    def known(self, *, ref: str, name: str) -> Organisation | None:
        """Found, never created."""

    def sdg(self, number: int) -> Sdg | None: ...

    def sdg_target(self, code: str) -> SdgTarget | None: ...


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166 codes the project accepts (those of django-countries)."""
    return frozenset(code for code, _name in all_countries)


def line_of(element: etree._Element) -> int | None:
    """The line of ``element`` in its file (the stubs of lxml do not type it)."""
    line: Any = element.sourceline
    return line if isinstance(line, int) else None


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text.strip()[:10]) if text and text.strip() else None


def _iso(element: etree._Element | None) -> date | None:
    """The ``iso-date`` of ``element``, if any."""
    return _date(element.get("iso-date")) if element is not None else None


def _datetime(text: str | None) -> datetime | None:
    if not text or not text.strip():
        return None
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _Activity:
    """The parsing of one activity: its default language and currency, and its warnings."""

    def __init__(self, element: etree._Element, warnings: list[str]) -> None:
        self.element = element
        self.identifier = (element.findtext("iati-identifier") or "").strip()
        self.language = (element.get(LANG) or "").strip().lower() or "fr"
        self.warnings = warnings
        self.label = self.identifier or _("without identifier (line %(line)s)") % {
            "line": line_of(element) or "?"
        }

    def warn(self, element: str, code: str, list_name: str) -> None:
        if code in codelist(list_name).withdrawn:
            message = _(
                "Activity %(activity)s, %(element)s: the code “%(code)s” has been withdrawn from "
                "the IATI codelist %(codelist)s; it is kept."
            )
        else:
            message = _(
                "Activity %(activity)s, %(element)s: the code “%(code)s” is not in the IATI "
                "codelist %(codelist)s; it is kept."
            )
        self.warnings.append(
            message % {"activity": self.label, "element": element, "code": code, "codelist": list_name}
        )

    def check(self, element: str, code: str, list_name: str) -> str:
        if code and not codelist(list_name).active(code):
            self.warn(element, code, list_name)
        return code

    def narratives(self, parent: etree._Element | None) -> dict[str, str]:
        """The texts of ``parent``'s narratives by language (the first of each language)."""
        texts: dict[str, str] = {}
        for narrative in parent.iterfind("narrative") if parent is not None else ():
            text = " ".join((narrative.text or "").split())
            if text:
                texts.setdefault((narrative.get(LANG) or self.language).lower(), text)
        return texts

    def name(self, parent: etree._Element | None) -> str:
        texts = self.narratives(parent)
        return texts.get("fr") or next(iter(texts.values()), "")

    def percentage(self, element: etree._Element) -> Decimal | None:
        text = (element.get("percentage") or "").strip()
        if not text:
            return None
        share = Decimal(text)
        if not 0 <= share <= 100:
            raise ActivityRejected(
                element.tag,
                _("A percentage lies between 0 and 100, not %(value)s.") % {"value": text},
                line_of(element),
            )
        return share

    def value(self, parent: etree._Element) -> tuple[Decimal | None, str, date | None]:
        """Amount, currency and value date of ``parent``'s ``value``."""
        element = parent.find("value")
        if element is None:
            return None, "", None
        try:
            amount = Decimal((element.text or "").strip())
        except InvalidOperation:
            amount = None
        if amount is not None and abs(amount) >= MAX_AMOUNT:
            raise ActivityRejected("value", _("This amount is too large."), line_of(element))
        currency = (element.get("currency") or "").strip()
        self.check("value/@currency", currency, "Currency")
        return amount, currency, _date(element.get("value-date"))

    def code(
        self, element: etree._Element, choices: list[int], name: str, list_name: str, attribute: str = "code"
    ) -> int | None:
        """A code of a codelist the model holds as choices; outside it, a warning and None (the
        caller leaves the value out: a code is never invented)."""
        code = (element.get(attribute) or "").strip()
        if not code.isdigit() or int(code) not in choices:
            self.warnings.append(
                _(
                    "Activity %(activity)s, %(element)s: the code “%(code)s” is not in the IATI "
                    "codelist %(codelist)s; it is left out."
                )
                % {"activity": self.label, "element": name, "code": code, "codelist": list_name}
            )
            return None
        return int(code)


def activity_data(element: etree._Element, organisations: Organisations, warnings: list[str]) -> ProjectData:
    """The ``ProjectData`` of an activity; raises ``ActivityRejected``."""
    activity = _Activity(element, warnings)
    find = element.find
    titles = activity.narratives(find("title"))
    language = "fr" if "fr" in titles else next(iter(titles), activity.language)
    descriptions: dict[str, str] = {}
    for description in element.iterfind("description"):
        if description.get("type", "1") == "1":
            for lang, text in activity.narratives(description).items():
                descriptions.setdefault(lang, text)
    narratives = {
        part: {lang: text for lang, text in texts.items() if lang != language}
        for part, texts in (("title", titles), ("description", descriptions))
    }
    status = find("activity-status")
    default_currency = (element.get("default-currency") or "").strip()
    activity.check("default-currency", default_currency, "Currency")

    countries = [
        (
            activity.check("recipient-country", (c.get("code") or "").strip().upper(), "Country"),
            activity.percentage(c),
        )
        for c in element.iterfind("recipient-country")
    ]
    by_share = sorted(countries, key=lambda item: -(item[1] or 0))
    country = next((code for code, _share in by_share if code in country_codes()), "")
    if not country:  # a guess: the country of another organisation of the activity
        refs = (org.get("ref") or "" for org in element.iterfind("*[@ref]"))
        country = next((code for code in map(_org_country, refs) if code not in ("", "FR")), "")
    data = ProjectData(
        title=_cut(titles.get(language, ""), 500),
        description=descriptions.get(language) or next(iter(descriptions.values()), ""),
        reporting_organisation=_reporting(activity, organisations, country),
        iati_identifier=activity.identifier[:150],
        language=language[:8],
        narratives={part: texts for part, texts in narratives.items() if texts},
        default_currency=default_currency or "EUR",
        countries=countries,
        iati_last_updated=_datetime(element.get("last-updated-datetime")),
        iati_warnings=warnings,
    )
    if status is not None:
        data.activity_status = activity.code(
            status, ActivityStatus.values, "activity-status", "ActivityStatus"
        )
    for item in element.iterfind("activity-date"):
        kind = (item.get("type") or "").strip()
        if kind in DATE_FIELDS:
            setattr(data, DATE_FIELDS[kind], _iso(item))
        else:
            activity.warn("activity-date/@type", kind, "ActivityDateType")
    _participations(activity, organisations, data, country)
    _places_and_sectors(activity, organisations, data)
    _money(activity, organisations, data)
    _documents(activity, data)
    return data


def _org_country(ref: str) -> str:
    """The country of an IATI organisation identifier's registration agency ("GB-CHC-…")."""
    prefix = ref.strip()[:2].upper()
    if len(ref) > 2 and ref.strip()[2] in "-–" and prefix not in NOT_COUNTRIES and prefix in country_codes():
        return prefix
    return ""


def _reporting(activity: _Activity, organisations: Organisations, country: str) -> Organisation:
    element = activity.element.find("reporting-org")  # the schema requires it
    ref = (element.get("ref") or "").strip() if element is not None else ""
    return organisations.participant(
        ref=ref,
        name=activity.name(element) or ref,
        country=_org_country(ref) or country,
        guessed=not _org_country(ref),
        type_code=(element.get("type") or "").strip() if element is not None else "",
    )


def _participations(
    activity: _Activity, organisations: Organisations, data: ProjectData, country: str
) -> None:
    for element in activity.element.iterfind("participating-org"):
        role = activity.code(
            element, OrganisationRole.values, "participating-org/@role", "OrganisationRole", "role"
        )
        ref = (element.get("ref") or "").strip()
        name = activity.name(element) or ref
        if not name:
            activity.warnings.append(
                _(
                    "Activity %(activity)s, participating-org: an organisation with neither name nor "
                    "identifier is left out."
                )
                % {"activity": activity.label}
            )
            continue
        if role is None:
            continue
        organisation = organisations.participant(
            ref=ref,
            name=name,
            country=_org_country(ref) or country,
            guessed=not _org_country(ref),
            type_code=(element.get("type") or "").strip(),
        )
        if (organisation, role) not in data.participations:
            data.participations.append((organisation, role))


def _places_and_sectors(activity: _Activity, organisations: Organisations, data: ProjectData) -> None:
    element = activity.element
    for region in element.iterfind("recipient-region"):
        vocabulary = (region.get("vocabulary") or "1").strip()
        code = (region.get("code") or "").strip()
        if vocabulary == "1":
            activity.check("recipient-region", code, "Region")
        data.regions.append((vocabulary[:4], code[:100].strip(), activity.percentage(region)))
    for location in element.iterfind("location"):
        point = (location.findtext("point/pos") or "").split()
        latitude = longitude = None
        if len(point) == 2:
            latitude, longitude = _point(point[0], point[1])
        admin = location.find("administrative")
        level = (admin.get("level") or "").strip() if admin is not None else ""
        data.locations.append(
            {
                "name": _cut(activity.name(location.find("name")) or (location.get("ref") or ""), 255),
                "latitude": latitude,
                "longitude": longitude,
                "admin_vocabulary": (admin.get("vocabulary") or "")[:4] if admin is not None else "",
                "admin_level": int(level) if level.isdigit() else None,
                "admin_code": (admin.get("code") or "")[:50] if admin is not None else "",
            }
        )
    for sector in element.iterfind("sector"):
        vocabulary = (sector.get("vocabulary") or "1").strip()
        code = (sector.get("code") or "").strip()
        if vocabulary in ("1", "2"):
            activity.check("sector", code, "Sector" if vocabulary == "1" else "SectorCategory")
        elif vocabulary in ("7", "8"):
            _sdg(activity, organisations, data, "sector", vocabulary == "8", code)
        data.sectors.append((vocabulary[:4], code[:100].strip(), activity.percentage(sector)))
    for tag in element.iterfind("tag"):
        if tag.get("vocabulary") in ("2", "3"):
            _sdg(
                activity,
                organisations,
                data,
                "tag",
                tag.get("vocabulary") == "3",
                (tag.get("code") or "").strip(),
            )


def _point(latitude: str, longitude: str) -> tuple[float | None, float | None]:
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return None, None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else (None, None)


def _sdg(
    activity: _Activity,
    organisations: Organisations,
    data: ProjectData,
    element: str,
    target: bool,
    code: str,
) -> None:
    if target:
        found: Any = organisations.sdg_target(code)
        wanted: list[Any] = data.sdg_targets
    else:
        found = organisations.sdg(int(code)) if code.isdigit() else None
        wanted = data.sdgs
    if found is None:
        activity.warn(element, code, "UNSDG-Targets" if target else "UNSDG-Goals")
    elif found not in wanted:
        wanted.append(found)


def _money(activity: _Activity, organisations: Organisations, data: ProjectData) -> None:
    element = activity.element
    for budget in element.iterfind("budget"):
        value, currency, value_date = activity.value(budget)
        start, end = _iso(budget.find("period-start")), _iso(budget.find("period-end"))
        kind, state = (budget.get("type") or "1").strip(), (budget.get("status") or "1").strip()
        for code, choices, list_name in (
            (kind, Budget.Kind.values, "BudgetType"),
            (state, Budget.State.values, "BudgetStatus"),
        ):
            if not code.isdigit() or int(code) not in choices:
                activity.warn("budget", code, list_name)
        data.budgets.append(
            {
                "kind": int(kind)
                if kind.isdigit() and int(kind) in Budget.Kind.values
                else Budget.Kind.ORIGINAL,
                "state": int(state)
                if state.isdigit() and int(state) in Budget.State.values
                else Budget.State.INDICATIVE,
                "period_start": start,
                "period_end": end,
                "value": value,
                "currency": currency or data.default_currency,
                "value_date": value_date or start,
            }
        )
    for transaction in element.iterfind("transaction"):
        kind_element = transaction.find("transaction-type")  # the schema requires it
        if kind_element is None:
            kind_element = etree.Element("transaction-type")
        transaction_type = activity.code(
            kind_element, TransactionType.values, "transaction-type", "TransactionType"
        )
        if transaction_type is None:
            continue
        value, currency, value_date = activity.value(transaction)
        row: dict[str, Any] = {
            "kind": transaction_type,
            "date": _iso(transaction.find("transaction-date")),
            "value": value,
            "currency": currency or data.default_currency,
            "value_date": value_date,
            "description": next(iter(activity.narratives(transaction.find("description")).values()), ""),
        }
        for side in ("provider", "receiver"):
            org = transaction.find(f"{side}-org")
            ref = (org.get("ref") or "").strip() if org is not None else ""
            name = activity.name(org) if org is not None else ""
            row[side] = organisations.known(ref=ref, name=name) if ref or name else None
            row[f"{side}_name"] = "" if row[side] else _cut(name or ref, 300)
        data.transactions.append(row)


def _documents(activity: _Activity, data: ProjectData) -> None:
    for document in activity.element.iterfind("document-link"):
        url = (document.get("url") or "").strip()
        category = document.find("category")
        language = document.find("language")
        format_code = (document.get("format") or "").strip()
        activity.check("document-link/@format", format_code, "FileFormat")
        row = {
            "url": url[:500],
            "title": _cut(activity.name(document.find("title")) or url, 300),
            "category": activity.check(
                "document-link/category", (category.get("code") or "").strip(), "DocumentCategory"
            )[:4]
            if category is not None
            else "",
            "format": format_code[:100] or "text/html",
            "language": activity.check(
                "document-link/language", (language.get("code") or "").strip().lower(), "Language"
            )[:8]
            if language is not None
            else "",
            "document_date": _iso(document.find("document-date")),
        }
        data.documents.append(row)
