"""The spreadsheet layout of projects modelled on the Atlas of decentralised cooperation: its
columns, how its cells read (French amounts, years or dates, lists), and a project written as
one of its rows (export). ``atlas_imports`` turns the rows back into projects.

One row is one project. Lists hold several values separated by « ; » (a comma works too where
it cannot be part of a value); amounts may be written « 20 000,50 € » or 20000.5; years as a
number or a date. The headers are the Atlas's French ones (English ones are recognised too).

- « Collectivité/porteur »: the reporting organisation, found in the directory by its SIRET
  (the optional « SIRET du porteur » column, or a SIRET in the cell) or its name or acronym.
- « Partenaire(s) »: partners abroad, « Nom (Pays) »; the country may be left out when the
  project has a single country. Found by name and country, else created as partners abroad
  (drafts of the directory).
- « Cofinancements »: « Région Occitanie : 20 000 ; AFD : 15 000 ». Each funder must be in the
  directory (by name, acronym or IATI identifier): a funder is an actor the network's figures
  count, so an unknown name is rejected rather than created blind. Each becomes a funding
  participation and, with an amount, an incoming-funds transaction dated the project's start.
- « Coût total (€) »: one budget from the start year's 1 January to the end year's 31 December."""

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django_countries import countries as all_countries

from maillage.core.models import Theme
from maillage.directory.import_files import Column
from maillage.directory.models import Organisation
from maillage.observatory.models import ActivityStatus, OrganisationRole, Project, TransactionType

COLUMNS: tuple[Column, ...] = (
    Column(
        "iati_identifier",
        pgettext_lazy("atlas column", "IATI identifier"),
        ("identifiant iati", "iati identifier", "iati id"),
    ),
    Column(
        "title",
        pgettext_lazy("atlas column", "Project title"),
        ("intitule du projet", "intitule", "titre du projet", "titre", "project title", "title"),
    ),
    Column(
        "description", pgettext_lazy("atlas column", "Description"), ("description", "descriptif", "resume")
    ),
    Column(
        "reporting",
        pgettext_lazy("atlas column", "Local authority/holder"),
        (
            "collectivite porteur",
            "collectivite porteuse",
            "collectivite",
            "porteur",
            "porteur du projet",
            "local authority holder",
            "holder",
        ),
    ),
    Column(
        "reporting_siret",
        pgettext_lazy("atlas column", "SIRET of the holder"),
        ("siret du porteur", "siret", "siret of the holder"),
    ),
    Column(
        "partners",
        pgettext_lazy("atlas column", "Partner(s)"),
        ("partenaire s", "partenaires", "partenaire", "partners", "partner s"),
    ),
    Column("countries", pgettext_lazy("atlas column", "Countries"), ("pays", "countries", "country")),
    Column(
        "themes",
        pgettext_lazy("atlas column", "Theme(s)"),
        ("thematique s", "thematiques", "thematique", "themes", "theme s"),
    ),
    Column(
        "sectors",
        pgettext_lazy("atlas column", "DAC sector(s)"),
        ("secteur s cad", "secteurs cad", "secteur cad", "dac sectors", "dac sector s", "codes cad"),
    ),
    Column("sdgs", pgettext_lazy("atlas column", "SDG"), ("odd", "sdg", "sdgs")),
    Column(
        "start_year", pgettext_lazy("atlas column", "Start year"), ("annee de debut", "debut", "start year")
    ),
    Column("end_year", pgettext_lazy("atlas column", "End year"), ("annee de fin", "fin", "end year")),
    Column("status", pgettext_lazy("atlas column", "Status"), ("statut", "status", "etat")),
    Column(
        "total_cost",
        pgettext_lazy("atlas column", "Total cost (€)"),
        ("cout total", "cout total eur", "total cost"),
    ),
    Column(
        "cofunding",
        pgettext_lazy("atlas column", "Co-funding"),
        ("cofinancements", "cofinancement", "co funding"),
    ),
    Column(
        "beneficiaries", pgettext_lazy("atlas column", "Beneficiaries"), ("beneficiaires", "beneficiaries")
    ),
    Column("volunteers", pgettext_lazy("atlas column", "Volunteers"), ("benevoles", "volunteers")),
)
REQUIRED = ("title", "reporting")
# The Atlas's words for the IATI activity status (the export writes them; the import reads them,
# the model's labels, a few synonyms and the IATI codes).
STATUS_LABELS: dict[int, Any] = {
    ActivityStatus.PIPELINE: pgettext_lazy("atlas status", "Identification"),
    ActivityStatus.IMPLEMENTATION: pgettext_lazy("atlas status", "In progress"),
    ActivityStatus.FINALISATION: pgettext_lazy("atlas status", "Finalisation"),
    ActivityStatus.CLOSED: pgettext_lazy("atlas status", "Closed"),
    ActivityStatus.CANCELLED: pgettext_lazy("atlas status", "Cancelled"),
    ActivityStatus.SUSPENDED: pgettext_lazy("atlas status", "Suspended"),
}
STATUS_SYNONYMS: dict[str, int] = {
    "en projet": ActivityStatus.PIPELINE,
    "en preparation": ActivityStatus.PIPELINE,
    "en cours": ActivityStatus.IMPLEMENTATION,
    "cloture": ActivityStatus.CLOSED,
    "clos": ActivityStatus.CLOSED,
    "termine": ActivityStatus.CLOSED,
    "acheve": ActivityStatus.CLOSED,
    "annule": ActivityStatus.CANCELLED,
    "suspendu": ActivityStatus.SUSPENDED,
}
SIRET = re.compile(r"^\d{14}$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def mapping_errors(mapping: dict[str, int]) -> list[str]:
    """The required columns the mapping leaves out: the title and the holder."""
    missing = [
        str(column.label) for column in COLUMNS if column.key in REQUIRED and column.key not in mapping
    ]
    if not missing:
        return []
    return [_("These columns are required: %(columns)s.") % {"columns": ", ".join(missing)}]


# --- Reading cells ----------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal:
    """« 20 000,50 € », « 20.000 », « 20000.5 » → Decimal; ValueError when it is no amount."""
    cleaned = re.sub(r"(?i)€|eur(os?)?", "", _SPACES.sub("", text))
    if "," in cleaned and "." in cleaned:
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "").replace(",", ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}([.,]\d{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_count(text: str) -> int:
    """« 1 200 » → 1200; ValueError when it is no whole number."""
    cleaned = _SPACES.sub("", text).removesuffix(".0")
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)


def parse_year(text: str) -> int:
    """A year from « 2025 », « 2025-03-01 », « 01/03/2025 » or a spreadsheet date."""
    found = re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
    if len(found) != 1 or not 1900 <= int(found[0]) <= 2100:
        raise ValueError(text)
    return int(found[0])


def split_list(text: str, known: Any = None) -> list[str]:
    """The values of a list cell, separated by « ; » or new lines; a value that ``known`` does
    not recognise is split again on commas (« Sénégal, Mali »)."""
    parts = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
    if known is None:
        return parts
    values: list[str] = []
    for part in parts:
        if "," in part and not known(part):
            values.extend(piece.strip() for piece in part.split(",") if piece.strip())
        else:
            values.append(part)
    return values


def equal_shares(count: int) -> list[Decimal | None]:
    """Percentages for ``count`` equal shares that add up to exactly 100 (none for one)."""
    if count <= 1:
        return [None] * count
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    shares: list[Decimal | None] = [share] * (count - 1)
    return [*shares, Decimal(100) - share * (count - 1)]


def total_cost(budgets: list[dict[str, Any]]) -> Decimal | None:
    """The cost of a project from its budgets: the original ones, or the revised ones if any."""
    revised = [item["value"] for item in budgets if item.get("kind") == 2]
    values = revised or [item["value"] for item in budgets]
    return sum(values, Decimal(0)) if values else None


def funds_by_provider(transactions: list[dict[str, Any]]) -> dict[int, Decimal]:
    """The incoming funds of a project, totalled by provider (organisations of the directory)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for item in transactions:
        provider = item.get("provider")
        if item.get("kind") == TransactionType.INCOMING_FUNDS and provider is not None:
            totals[getattr(provider, "pk", provider)] += item["value"]
    return dict(totals)


def year_bounds(start: int, end: int | None) -> tuple[date, date]:
    return date(start, 1, 1), date(end or start, 12, 31)


# --- Writing a project as a row (export) -------------------------------------------------------------


def _amount(value: Decimal) -> str:
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _join(values: list[str]) -> str:
    return " ; ".join(values)


def project_row(project: Project) -> list[Any]:
    """The cells of ``project`` in the order of ``COLUMNS``. Reads the relations through
    ``all()``: prefetch them (see ``atlas_views.export``)."""
    participations = [(p.organisation, p.role) for p in project.participations.all()]
    holder = project.reporting_organisation
    partners = []
    for organisation, role in participations:
        if role != OrganisationRole.IMPLEMENTING or organisation.pk == holder.pk:
            continue
        abroad = organisation.kind == Organisation.Kind.PARTNER
        partners.append(f"{organisation.name} ({organisation.country.name})" if abroad else organisation.name)
    transactions = [
        {"kind": t.kind, "value": t.value, "provider": t.provider_id} for t in project.transactions.all()
    ]
    funds = funds_by_provider(transactions)
    funders = []
    for organisation, role in participations:
        if role == OrganisationRole.FUNDING:
            amount = funds.get(organisation.pk)
            funders.append(f"{organisation.name} : {_amount(amount)}" if amount else organisation.name)
    budgets = [{"kind": b.kind, "value": b.value} for b in project.budgets.all()]
    start, end = project.start, project.end
    cells = {
        "iati_identifier": project.iati_identifier,
        "title": project.title,
        "description": project.description,
        "reporting": holder.name,
        "reporting_siret": holder.siret,
        "partners": _join(partners),
        "countries": _join([str(item.country.name) for item in project.recipient_countries.all()]),
        "themes": _join([theme.name for theme in project.themes.all()]),
        "sectors": _join([item.code for item in project.sectors.all() if item.vocabulary == "1"]),
        "sdgs": _join([str(sdg.number) for sdg in project.sdgs.all()]),
        "start_year": start.year if start else None,
        "end_year": end.year if end else None,
        "status": str(STATUS_LABELS.get(project.activity_status, "")) if project.activity_status else "",
        "total_cost": total_cost(budgets),
        "cofunding": _join(funders),
        "beneficiaries": project.beneficiaries,
        "volunteers": project.volunteers,
    }
    return [cells[column.key] for column in COLUMNS]


def example_row() -> list[Any]:
    """The example row of the template file."""
    senegal = str(dict(all_countries)["SN"])
    theme = Theme.objects.filter(slug="eau-assainissement").first()
    cells = {
        "title": _("Access to drinking water in Podor"),
        "description": _("Boreholes and water committees in three villages."),
        "reporting": "Solidarité Eau Occitanie",
        "partners": f"Association des femmes de Podor ({senegal})",
        "countries": senegal,
        "themes": theme.name if theme else "",
        "sectors": "14030 ; 14081",
        "sdgs": "6",
        "start_year": 2025,
        "end_year": 2027,
        "status": str(STATUS_LABELS[ActivityStatus.IMPLEMENTATION]),
        "total_cost": Decimal(45000),
        "cofunding": "Région Occitanie : 20 000 ; AFD : 15 000",
        "beneficiaries": 1200,
        "volunteers": 12,
    }
    return [cells.get(column.key, "") for column in COLUMNS]
