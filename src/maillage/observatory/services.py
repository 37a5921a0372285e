"""Writing projects: the one path every source takes (forms, IATI files, spreadsheets, the
survey), so that the IATI rules hold whatever the origin of a record.

``project_save(data, …)`` checks a ``ProjectData`` against the rules (``project_errors``), then
writes the project and replaces its parts (participations, countries, regions, sectors,
locations, budgets, transactions, documents, themes, SDGs) in one transaction.

The rules, from the IATI 2.03 standard and its ruleset:
- a title, an activity status and at least one participating organisation, each role one of
  the four of the OrganisationRole codelist (a published file whose codes are outside the
  codelists keeps its activity without them: its importer leaves them out with a warning);
- an end never before its start (planned and actual); an actual date never in the future;
- recipient countries and regions together: when there is more than one, each has a percentage
  and they sum to 100; a single one has none or 100;
- sectors, per vocabulary: the same rule; in vocabulary 1 a code has 5 digits;
- budgets: a period that ends after it starts, at most a year long, and an amount;
- amounts in a currency of three capital letters (ISO 4217).

Published IATI files often break the softer of these rules (percentages, actual dates ahead,
multi-year budgets, codes outside the codelists): their import (``strict=False``) keeps them
as warnings on the project (``project_anomalies``) instead of refusing the activity."""

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as all_countries
from simple_history.utils import bulk_create_with_history

from maillage.accounts.models import User
from maillage.core.models.reference import search_key
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
from maillage.observatory.project_data import ProjectData, part_values

HUNDRED = Decimal(100)


@cache
def country_codes() -> frozenset[str]:
    return frozenset(all_countries.countries)


CURRENCY = re.compile(r"^[A-Z]{3}$")


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

    ``strict=False`` (imports of published files) keeps only the rules without which the data
    cannot be stored (a title, ends after starts, known roles, no duplicates, amounts with a
    period or a date); the others — percentages, code formats, actual dates in the future,
    multi-year budgets — are what ``project_anomalies`` reports as warnings."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    def soft(key: str, message: str) -> None:
        if strict:
            add(key, message)

    if not data.title.strip():
        add("title", _("Give the project a title."))
    if data.activity_status not in ActivityStatus.values and (strict or data.activity_status is not None):
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
    for name in ("actual_start", "actual_end"):
        if getattr(data, name) and getattr(data, name) > today:
            soft(name, _("An actual date cannot be in the future: give it as a planned date."))
    if not data.participations:
        soft("participations", _("Name at least one participating organisation."))
    for _organisation, role in data.participations:
        if role not in OrganisationRole.values:
            add("participations", _("“%(code)s” is not an IATI organisation role.") % {"code": role})
    if len(set(data.participations)) != len(data.participations):
        add("participations", _("The same organisation is listed twice in the same role."))

    for code, _share in data.countries:
        if code not in country_codes():
            soft("countries", _("“%(code)s” is not a country code (ISO 3166).") % {"code": code})
    if len({code for code, _share in data.countries}) != len(data.countries):
        add("countries", _("A country is listed twice."))
    if len({(v, c) for v, c, _share in data.regions}) != len(data.regions):
        add("countries", _("A region is listed twice."))
    for message in _shares(
        [share for _code, share in data.countries] + [share for _v, _c, share in data.regions],
        _("recipient countries and regions"),
    ):
        soft("countries", message)

    vocabularies: dict[str, list[Decimal | None]] = {}
    for vocabulary, code, share in data.sectors:
        vocabularies.setdefault(vocabulary, []).append(share)
        if vocabulary == "1" and not re.fullmatch(r"\d{5}", code):
            soft("sectors", _("“%(code)s” is not a 5-digit DAC sector code.") % {"code": code})
    if len({(v, c) for v, c, _share in data.sectors}) != len(data.sectors):
        add("sectors", _("A sector is listed twice."))
    for shares in vocabularies.values():
        for message in _shares(shares, _("sectors")):
            soft("sectors", message)

    currencies = [data.default_currency] + [
        item.get("currency") or data.default_currency for item in data.budgets + data.transactions
    ]
    for currency in currencies:
        if not CURRENCY.match(currency or ""):
            message = _("“%(code)s” is not a currency code (ISO 4217).") % {"code": currency}
            (add if not currency or len(currency) > 3 else soft)("default_currency", message)
            break
    for budget in data.budgets:
        period_start: date | None = budget.get("period_start")
        period_end: date | None = budget.get("period_end")
        if not period_start or not period_end or budget.get("value") is None:
            add("budgets", _("A budget needs a period and an amount."))
        elif period_end < period_start:
            add("budgets", _("A budget period ends before it starts."))
        elif period_end - period_start > timedelta(days=366):
            soft("budgets", _("A budget period lasts at most one year: split it by year."))
    for item in data.transactions:
        if item.get("kind") not in TransactionType.values:
            add("transactions", _("Each transaction needs an IATI type."))
        if not item.get("date") or item.get("value") is None:
            add("transactions", _("A transaction needs a date and an amount."))
    return errors


def project_anomalies(data: ProjectData, *, today: date | None = None) -> list[str]:
    """The rules an imported file breaks without preventing its import (warnings)."""
    loose = project_errors(data, strict=False, today=today)
    return [
        message
        for key, messages in project_errors(data, today=today).items()
        for message in messages
        if message not in loose.get(key, [])
    ]


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
        # The date constraints are the rules above; the identifier's uniqueness is checked once.
        project.full_clean(
            exclude=["reporting_organisation", "search_text", "narratives", "iati_warnings"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    if project.iati_identifier and (
        Project.objects.filter(iati_identifier=project.iati_identifier).exclude(pk=project.pk).exists()
    ):
        raise ValidationError({"iati_identifier": [_("Another project has this IATI identifier.")]})
    created = project.pk is None
    project.save()
    _replace_parts(project, data, created=created, user=user)
    return project


# Parts whose changes are kept in the history (the others are replaced silently).
TRACKED_PARTS = (Participation, Budget, Transaction)


def _create(model: Any, rows: list[Any], user: User | None) -> None:
    if not rows:
        return
    if model in TRACKED_PARTS:
        bulk_create_with_history(rows, model, default_user=user)
    else:
        model.objects.bulk_create(rows)


def _replace_parts(project: Project, data: ProjectData, *, created: bool, user: User | None) -> None:
    """Write the parts that changed (all of them for a new project), in bulk."""
    # Participations keep their history: only what changed is deleted or created.
    wanted = {(organisation.pk, role): organisation for organisation, role in data.participations}
    existing = {} if created else {(p.organisation_id, p.role): p for p in project.participations.all()}
    for key, participation in existing.items():
        if key not in wanted:
            participation.delete()
    _create(
        Participation,
        [
            Participation(project=project, organisation=organisation, role=role)
            for (_pk, role), organisation in wanted.items()
            if (_pk, role) not in existing
        ],
        user,
    )

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
        instances = [model(project=project, **row) for row in rows]
        if not created:
            current = [part_values(item, {"project", "id"}) for item in model.objects.filter(project=project)]
            if current == [part_values(item, {"project", "id"}) for item in instances]:
                continue  # unchanged: no history row, no write
            model.objects.filter(project=project).delete()
        _create(model, instances, user)
    for name in ("themes", "sdgs", "sdg_targets"):
        values = getattr(data, name)
        if created and not values:
            continue
        manager = getattr(project, name)
        if created or {item.pk for item in manager.all()} != {item.pk for item in values}:
            manager.set(values)
