"""Writing projects: the one path every source takes (forms, IATI files, spreadsheets, the
survey), so that the IATI rules hold whatever the origin of a record.

``project_save(data, …)`` checks a ``ProjectData`` against the rules (``project_errors``), then
writes the project and replaces its parts (participations, countries, regions, sectors,
locations, budgets, transactions, documents, themes, SDGs) in one transaction.

The rules, from the IATI 2.03 standard and its ruleset:
- a title and at least one participating organisation, each role one of the four of the
  OrganisationRole codelist;
- an end never before its start (planned and actual); an actual date never in the future
  (checked on what people enter, not on published files: ``strict=False``);
- recipient countries and regions together: when there is more than one, each has a percentage
  and they sum to 100; a single one has none or 100;
- sectors, per vocabulary: the same rule; in vocabulary 1 (OECD DAC) a code has 5 digits;
- budgets: a period that ends after it starts and an amount; at most a year long when people
  enter it (``strict``; published files carry multi-year budgets);
- amounts in a currency of three capital letters (ISO 4217)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from maillage.accounts.models import User
from maillage.core.models import Sdg, SdgTarget, Theme
from maillage.core.models.reference import search_key
from maillage.directory.models import Organisation
from maillage.observatory.models import (
    ActivityStatus,
    Budget,
    DocumentLink,
    Location,
    OrganisationRole,
    Participation,
    Project,
    ProjectSector,
    RecipientCountry,
    RecipientRegion,
    Transaction,
    TransactionType,
)

HUNDRED = Decimal(100)
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass
class ProjectData:
    """Everything a project holds, before it is written. Parts are lists of plain values:

    - ``participations``: ``(organisation, role)``;
    - ``countries``: ``(ISO code, percentage or None)``;
    - ``regions`` and ``sectors``: ``(vocabulary, code, percentage or None)``;
    - ``locations``, ``budgets``, ``transactions``, ``documents``: dicts of the fields of
      ``Location``, ``Budget``, ``Transaction`` and ``DocumentLink`` (without ``project``)."""

    title: str
    reporting_organisation: Organisation
    description: str = ""
    iati_identifier: str = ""
    language: str = "fr"
    narratives: dict[str, dict[str, str]] = field(default_factory=dict)
    activity_status: int = ActivityStatus.IMPLEMENTATION
    planned_start: date | None = None
    actual_start: date | None = None
    planned_end: date | None = None
    actual_end: date | None = None
    default_currency: str = "EUR"
    beneficiaries: int | None = None
    volunteers: int | None = None
    participations: list[tuple[Organisation, int]] = field(default_factory=list)
    countries: list[tuple[str, Decimal | None]] = field(default_factory=list)
    regions: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    sectors: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    budgets: list[dict[str, Any]] = field(default_factory=list)
    transactions: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    sdg_targets: list[SdgTarget] = field(default_factory=list)
    iati_last_updated: datetime | None = None
    iati_warnings: list[str] = field(default_factory=list)

    SCALARS = (
        "title",
        "reporting_organisation",
        "description",
        "iati_identifier",
        "language",
        "narratives",
        "activity_status",
        "planned_start",
        "actual_start",
        "planned_end",
        "actual_end",
        "default_currency",
        "beneficiaries",
        "volunteers",
        "iati_last_updated",
        "iati_warnings",
    )

    @classmethod
    def of(cls, project: Project) -> "ProjectData":
        """The data of a recorded project (to edit it, export it or compare it)."""
        fields = {"project", "id"}
        return cls(
            **{name: getattr(project, name) for name in cls.SCALARS},
            participations=[(p.organisation, p.role) for p in project.participations.all()],
            countries=[(c.country.code, c.percentage) for c in project.recipient_countries.all()],
            regions=[(r.vocabulary, r.code, r.percentage) for r in project.recipient_regions.all()],
            sectors=[(s.vocabulary, s.code, s.percentage) for s in project.sectors.all()],
            locations=[_values(item, fields) for item in project.locations.all()],
            budgets=[_values(item, fields) for item in project.budgets.all()],
            transactions=[_values(item, fields) for item in project.transactions.all()],
            documents=[_values(item, fields) for item in project.documents.all()],
            themes=list(project.themes.all()),
            sdgs=list(project.sdgs.all()),
            sdg_targets=list(project.sdg_targets.all()),
        )


def _values(instance: Any, excluded: set[str]) -> dict[str, Any]:
    return {
        f.attname.removesuffix("_id") if f.is_relation else f.name: getattr(instance, f.name)
        for f in instance._meta.concrete_fields
        if f.name not in excluded
    }


# --- The rules ------------------------------------------------------------------------------------


def _shares(entries: list[Decimal | None], what: str) -> list[str]:
    """The percentage rule for one set of shares (countries and regions, or one vocabulary of
    sectors)."""
    if not entries:
        return []
    if len(entries) == 1:
        share = entries[0]
        if share is not None and share != HUNDRED:
            return [_("A single %(what)s takes 100%% (or no percentage).") % {"what": what}]
        return []
    if any(share is None for share in entries):
        return [_("With several %(what)s, give each one its percentage.") % {"what": what}]
    total = sum((share for share in entries if share is not None), Decimal(0))
    if total != HUNDRED:
        return [
            _("The percentages of the %(what)s add up to %(total)s%%, not 100%%.")
            % {"what": what, "total": f"{total.normalize():f}".replace(".", ",")}
        ]
    return []


def project_errors(
    data: ProjectData, *, strict: bool = True, today: date | None = None
) -> dict[str, list[str]]:
    """Every broken rule, by part of the project (empty when the data may be written).
    ``strict=False`` (imports of published files) leaves out the rules of the IATI ruleset
    that published data often breaks: actual dates in the future, multi-year budgets."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not data.title.strip():
        add("title", _("Give the project a title."))
    if data.activity_status not in ActivityStatus.values:
        add(
            "activity_status",
            _("“%(code)s” is not an IATI activity status.") % {"code": data.activity_status},
        )
    for start, end, label in (
        ("planned_start", "planned_end", _("planned")),
        ("actual_start", "actual_end", _("actual")),
    ):
        first, last = getattr(data, start), getattr(data, end)
        if first and last and last < first:
            add(end, _("The %(kind)s end comes before the %(kind)s start.") % {"kind": label})
    for name in ("actual_start", "actual_end") if strict else ():
        if getattr(data, name) and getattr(data, name) > today:
            add(name, _("An actual date cannot be in the future: give it as a planned date."))
    if not data.participations:
        add("participations", _("Name at least one participating organisation."))
    for _organisation, role in data.participations:
        if role not in OrganisationRole.values:
            add("participations", _("“%(code)s” is not an IATI organisation role.") % {"code": role})
    if len(set(data.participations)) != len(data.participations):
        add("participations", _("The same organisation is listed twice in the same role."))

    for code, _share in data.countries:
        if code not in dict(all_countries):
            add("countries", _("“%(code)s” is not a country code (ISO 3166).") % {"code": code})
    if len({code for code, _share in data.countries}) != len(data.countries):
        add("countries", _("A country is listed twice."))
    for message in _shares(
        [share for _code, share in data.countries] + [share for _v, _c, share in data.regions],
        _("recipient countries and regions"),
    ):
        add("countries", message)

    vocabularies: dict[str, list[Decimal | None]] = {}
    for vocabulary, code, share in data.sectors:
        vocabularies.setdefault(vocabulary, []).append(share)
        if vocabulary == "1" and not re.fullmatch(r"\d{5}", code):
            add("sectors", _("“%(code)s” is not a 5-digit DAC sector code.") % {"code": code})
    for shares in vocabularies.values():
        for message in _shares(shares, _("sectors")):
            add("sectors", message)

    currencies = [data.default_currency] + [
        item.get("currency") or data.default_currency for item in data.budgets + data.transactions
    ]
    for currency in currencies:
        if not CURRENCY.match(currency or ""):
            add("default_currency", _("“%(code)s” is not a currency code (ISO 4217).") % {"code": currency})
            break
    for budget in data.budgets:
        period_start: date | None = budget.get("period_start")
        period_end: date | None = budget.get("period_end")
        if not period_start or not period_end or budget.get("value") is None:
            add("budgets", _("A budget needs a period and an amount."))
        elif period_end < period_start:
            add("budgets", _("A budget period ends before it starts."))
        elif strict and period_end - period_start > timedelta(days=366):
            add("budgets", _("A budget period lasts at most one year: split it by year."))
    for item in data.transactions:
        if item.get("kind") not in TransactionType.values:
            add("transactions", _("Each transaction needs an IATI type."))
        if not item.get("date") or item.get("value") is None:
            add("transactions", _("A transaction needs a date and an amount."))
    return errors


# --- Writing --------------------------------------------------------------------------------------


def project_search_text(project: Project, data: ProjectData) -> str:
    """The folded text the search reads (title, description, identifier, organisations)."""
    names = [organisation.name for organisation, _role in data.participations]
    parts = [project.title, project.iati_identifier, project.reporting_organisation.name, *names]
    parts.append(project.description[:2000])
    return " " + search_key(" ".join(part for part in parts if part)) + " "


@transaction.atomic
def project_save(
    data: ProjectData,
    *,
    project: Project | None = None,
    user: User | None = None,
    provenance: str | None = None,
    status: str | None = None,
    strict: bool = True,
) -> Project:
    """Create (``project=None``) or update a project from ``data``; raise ``ValidationError``
    (a dict of messages by part) when a rule is broken, writing nothing.

    A published project changed by someone who may not validate goes back to the staff's
    validation; ``status`` sets the validation status explicitly (imports, demo); ``strict``
    as in ``project_errors``."""
    errors = project_errors(data, strict=strict)
    if errors:
        raise ValidationError(errors)
    if project is None:
        project = Project(provenance=provenance or Project.Provenance.MANUAL)
    elif provenance:
        project.provenance = provenance
    for name in ProjectData.SCALARS:
        setattr(project, name, getattr(data, name))
    if status:
        project.status = status
    elif (
        project.status == Project.Status.PUBLISHED
        and user is not None
        and not user.has_perm("observatory.validate_project")
    ):
        project.status = Project.Status.SUBMITTED
    project.search_text = project_search_text(project, data)
    if user is not None:
        project._history_user = user  # type: ignore[attr-defined]
    try:
        project.full_clean(exclude=["reporting_organisation", "search_text", "narratives", "iati_warnings"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    project.save()
    _replace_parts(project, data)
    return project


def _replace_parts(project: Project, data: ProjectData) -> None:
    # Participations keep their history: only what changed is deleted or created.
    wanted = {(organisation.pk, role) for organisation, role in data.participations}
    existing = {(p.organisation_id, p.role): p for p in project.participations.all()}
    for key, participation in existing.items():
        if key not in wanted:
            participation.delete()
    for organisation, role in data.participations:
        if (organisation.pk, role) not in existing:
            Participation.objects.create(project=project, organisation=organisation, role=role)
            existing[(organisation.pk, role)] = Participation(project=project)

    parts: list[tuple[Any, list[dict[str, Any]]]] = [
        (RecipientCountry, [{"country": code, "percentage": share} for code, share in data.countries]),
        (
            RecipientRegion,
            [{"vocabulary": v, "code": c, "percentage": share} for v, c, share in data.regions],
        ),
        (ProjectSector, [{"vocabulary": v, "code": c, "percentage": share} for v, c, share in data.sectors]),
        (Location, data.locations),
        (Budget, [{"currency": data.default_currency} | item for item in data.budgets]),
        (Transaction, [{"currency": data.default_currency} | item for item in data.transactions]),
        (DocumentLink, data.documents),
    ]
    for model, rows in parts:
        current = [_values(item, {"project", "id"}) for item in model.objects.filter(project=project)]
        wanted_rows = [_values(model(project=project, **row), {"project", "id"}) for row in rows]
        if current == wanted_rows:
            continue  # unchanged: no history row, no write
        model.objects.filter(project=project).delete()
        for row in rows:
            model.objects.create(project=project, **row)
    project.themes.set(data.themes)
    project.sdgs.set(data.sdgs)
    project.sdg_targets.set(data.sdg_targets)
