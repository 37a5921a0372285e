"""Import of organisations (and their contacts) from a CSV or XLSX file.

The steps: ``read_upload`` turns the file into rows (UTF-8 with or without a byte-order mark,
UTF-16 with one, else Windows-1252 — what French Excel writes — with a warning shown to the
user); ``guess_mapping`` proposes a column for each field from the headers; ``import_preview``
classifies each row (created, updated, unchanged, rejected with every reason); ``import_commit``
writes them.

Rules:
- A row matches an existing organisation by SIRET, then RNA, then name and commune (names
  compared without accents, case or punctuation); a partner abroad by name and country.
- An empty cell changes nothing; a filled one replaces the value, except the countries of
  intervention and the themes, which are added to those already recorded.
- The contact of a row is found by e-mail, else by name among the organisation's people, else
  created; an affiliation with the role is added when it does not exist yet.
- The preview runs exactly what the commit runs, inside a transaction rolled back at its end:
  the reasons of a rejection are the services' own messages, and nothing is written.
- The commit is one transaction. If a row is rejected, nothing is written unless the user asked
  to import the valid rows only; then every valid row is written and the rejected ones are
  listed in the report. Imported organisations are drafts with ``source="import"``.
- Re-importing the same file gives only "unchanged" rows.
- A run never committed is deleted after ``MAILLAGE_IMPORT_RETENTION_DAYS`` days (its rows hold
  people's contact details): ``import_purge``, run by ``maillage purge_imports``, its Celery
  task, and each new upload (no periodic schedule is needed).
"""

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import PurePath
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from maillage.accounts.models import User
from maillage.core.models import Commune, Theme
from maillage.core.models.reference import search_key
from maillage.directory.import_files import (
    COLUMN_KEYS,
    COLUMNS,
    COMMUNE_KEYS,
    FIELD_COLUMNS,
    guess_mapping,
    mapping_errors,
    read_upload,
)
from maillage.directory.import_models import BaseImportRun, ImportRun
from maillage.directory.models import Affiliation, Category, College, Organisation, Person
from maillage.directory.services import (
    affiliation_add,
    organisation_create,
    organisation_update,
    person_create,
)

RunT = TypeVar("RunT", bound=BaseImportRun)

# --- Reading the values of a row ------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


class _Lookups:
    """The reference values a file may name, read once per import."""

    def __init__(self) -> None:
        self.colleges: dict[str, str] = {
            "publique": College.PUBLIC,
            "associatif": College.ASSOCIATIVE,
            "association": College.ASSOCIATIVE,
            "economique": College.ECONOMIC,
        }
        self.roles: dict[str, str] = {}
        self.countries: dict[str, str] = {}
        for language in ("en", "fr"):
            with translation.override(language):
                for value, label in College.choices:
                    self.colleges[search_key(value)] = value
                    self.colleges[search_key(str(label))] = value
                for value, label in Affiliation.Role.choices:
                    self.roles[search_key(value)] = value
                    self.roles[search_key(str(label))] = value
                for country in all_countries:
                    self.countries[search_key(str(country.name))] = country.code
        self.categories: dict[str, Category] = {}
        for category in Category.objects.all():
            for key in (category.slug, category.name_fr, category.name_en):
                self.categories[search_key(key)] = category
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            for key in (theme.slug, theme.name_fr, theme.name_en):
                self.themes[search_key(key)] = theme

    def college(self, value: str) -> str | None:
        key = search_key(value).removeprefix("college ").removeprefix("des ").removesuffix("s")
        return self.colleges.get(key) or self.colleges.get(search_key(value))

    def country(self, value: str) -> str | None:
        if len(value) == 2 and value.upper() in dict(all_countries):
            return value.upper()
        return self.countries.get(search_key(value))

    @staticmethod
    def commune(name: str, code: str, postal: str) -> Commune | str:
        """The commune the cells name, or the reason none is found."""
        if code:
            found = Commune.objects.filter(code=code.zfill(5)).first()
            return found or _("No commune has the INSEE code “%(code)s”.") % {"code": code}
        communes = Commune.objects.all()
        if postal:
            postal = postal.zfill(5)
            communes = communes.filter(
                Q(postal_codes=postal)
                | Q(postal_codes__startswith=f"{postal} ")
                | Q(postal_codes__contains=f" {postal} ")
                | Q(postal_codes__endswith=f" {postal}")
            )
        if name:
            communes = communes.filter(search_name=search_key(name))
        candidates = list(communes.order_by("code")[:6])
        if len(candidates) == 1:
            return candidates[0]
        query = " ".join(part for part in (postal, name) if part)
        if not candidates:
            return _("No commune matches “%(query)s”.") % {"query": query}
        names = ", ".join(f"{commune.name} ({commune.code})" for commune in candidates)
        return _("Several communes match “%(query)s”: %(names)s. Add the postal code or the INSEE code.") % {
            "query": query,
            "names": names,
        }


@dataclass
class _RowValues:
    fields: dict[str, Any] = field(default_factory=dict)  # for the services; filled cells only
    contact: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)  # column key → messages

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _row_values(cells: list[str], mapping: dict[str, int], lookups: _Lookups) -> _RowValues:
    raw = {key: cells[index] if index < len(cells) else "" for key, index in mapping.items()}
    row = _RowValues()
    values = row.fields
    if raw.get("name"):
        values["name"] = raw["name"]
    else:
        row.error("name", _("The name is required."))
    for key in ("acronym", "email", "phone"):
        if raw.get(key):
            values[key] = raw[key]
    if raw.get("siret"):
        values["siret"] = re.sub(r"[\s.]", "", raw["siret"])
    if raw.get("rna"):
        values["rna"] = re.sub(r"\s", "", raw["rna"]).upper()
    if raw.get("website"):
        website = raw["website"]
        values["website"] = website if "://" in website else f"https://{website}"

    country = raw.get("country", "")
    code = lookups.country(country) if country else "FR"
    if code is None:
        row.error("country", _("Unknown country: %(names)s.") % {"names": country})
    abroad = code not in (None, "FR")
    values["kind"] = Organisation.Kind.PARTNER if abroad else Organisation.Kind.REGIONAL
    if country and code:
        values["country"] = code

    category = None
    if raw.get("category"):
        category = lookups.categories.get(search_key(raw["category"]))
        if category is None:
            row.error("category", _("Unknown category: “%(name)s”.") % {"name": raw["category"]})
        else:
            values["category"] = category
    if raw.get("college"):
        college = lookups.college(raw["college"])
        if college is None:
            row.error(
                "college",
                _("Unknown collège: “%(name)s” (public, associatif or économique).")
                % {"name": raw["college"]},
            )
        else:
            values["college"] = college
    elif category is not None and not abroad:
        values["college"] = category.college

    if not abroad:
        name, commune_code, postal = (raw.get(key, "") for key in COMMUNE_KEYS)
        if name or commune_code or postal:
            commune = lookups.commune(name, commune_code, postal)
            if isinstance(commune, Commune):
                values["commune"] = commune
            else:
                row.error("commune", commune)
        else:
            row.error("commune", _("The commune of a regional actor is required."))

    if raw.get("countries"):
        names = _split(raw["countries"])
        codes = [lookups.country(name) for name in names]
        unknown = [name for name, code in zip(names, codes, strict=True) if code is None]
        if unknown:
            row.error("countries", _("Unknown country: %(names)s.") % {"names": ", ".join(unknown)})
        values["countries"] = sorted({code for code in codes if code})
    if raw.get("themes"):
        names = _split(raw["themes"])
        themes = [lookups.themes.get(search_key(name)) for name in names]
        unknown = [name for name, theme in zip(names, themes, strict=True) if theme is None]
        if unknown:
            row.error("themes", _("Unknown theme: %(names)s.") % {"names": ", ".join(unknown)})
        values["themes"] = [theme for theme in themes if theme]

    contact = {
        key.removeprefix("contact_"): raw.get(key, "") for key in COLUMN_KEYS if key.startswith("contact_")
    }
    if any(contact.values()):
        if not (contact["first_name"] and contact["last_name"]):
            row.error("contact_last_name", _("The contact needs a first name and a last name."))
        role = contact["role"]
        contact["role"] = lookups.roles.get(search_key(role), "") if role else Affiliation.Role.CONTACT
        if not contact["role"]:
            row.error("contact_role", _("Unknown role: “%(name)s”.") % {"name": role})
        row.contact = contact
    return row


# --- Applying a row -------------------------------------------------------------------------------


def _match(values: dict[str, Any]) -> Organisation | None:
    organisations = Organisation.objects.select_for_update()
    for key in ("siret", "rna"):
        if values.get(key):
            found = organisations.filter(**{key: values[key]}).first()
            if found:
                return found
    name = search_key(values.get("name", ""))
    if values.get("commune"):
        candidates = organisations.filter(commune=values["commune"])
    elif values.get("kind") == Organisation.Kind.PARTNER:
        candidates = organisations.filter(kind=Organisation.Kind.PARTNER, country=values.get("country"))
    else:
        return None
    return next((org for org in candidates.order_by("pk") if search_key(org.name) == name), None)


def _changes(organisation: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key == "countries":
            current = {country.code for country in organisation.countries}
            if set(value) - current:
                changes[key] = sorted(current | set(value))
        elif key == "themes":
            current_themes = set(organisation.themes.all())
            if set(value) - current_themes:
                changes[key] = sorted(current_themes | set(value), key=lambda theme: theme.pk)
        elif key == "country":
            if str(organisation.country) != value:
                changes[key] = value
        elif getattr(organisation, key) != value:
            changes[key] = value
    return changes


def _apply_contact(organisation: Organisation, contact: dict[str, str]) -> bool:
    """Find or create the row's contact and their affiliation; True if anything was written."""
    email = contact["email"]
    person = Person.objects.filter(email__iexact=email).first() if email else None
    if person is None:
        person = Person.objects.filter(
            affiliations__organisation=organisation,
            first_name__iexact=contact["first_name"],
            last_name__iexact=contact["last_name"],
        ).first()
    created = False
    try:
        if person is None:
            person = person_create(
                first_name=contact["first_name"], last_name=contact["last_name"], email=email
            )
            created = True
        if Affiliation.objects.filter(
            person=person, organisation=organisation, role=contact["role"]
        ).exists():
            return created
        affiliation_add(person=person, organisation=organisation, role=contact["role"])
    except ValidationError as exc:
        raise ValidationError(
            {f"contact_{key}": messages for key, messages in exc.message_dict.items()}
        ) from None
    return True


class _Discard(Exception):
    """Roll a row back: it has errors of its own beside what the services accepted."""


CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"


@dataclass
class RowResult:
    line: int
    name: str
    outcome: str
    reasons: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


def _label(key: str) -> str:
    for column in COLUMNS:
        if column.key == key:
            return capfirst(str(column.label))
    if key.startswith("contact_"):
        return _("Contact")
    model_field = next((f for f in Organisation._meta.concrete_fields if f.name == key), None)
    return str(capfirst(model_field.verbose_name)) if model_field else key


def _reasons(errors: dict[str, list[str]]) -> list[str]:
    reasons = []
    for key, messages in errors.items():
        for message in messages:
            if key == "__all__":
                reasons.append(str(message))
            else:
                reasons.append(_("%(field)s: %(message)s") % {"field": _label(key), "message": message})
    return reasons


def _apply_row(line: int, cells: list[str], mapping: dict[str, int], lookups: _Lookups) -> RowResult:
    row = _row_values(cells, mapping, lookups)
    values = dict(row.fields)
    result = RowResult(line=line, name=values.get("name", ""), outcome=UNCHANGED)
    try:
        with transaction.atomic():
            organisation = _match(values) if "name" in values else None
            if organisation is None:
                values.setdefault("name", "")  # for the services' other messages
                organisation = organisation_create(source=Organisation.Source.IMPORT, **values)
                result.outcome = CREATED
            else:
                changes = _changes(organisation, values)
                if changes:
                    organisation_update(organisation=organisation, **changes)
                    result.outcome = UPDATED
                    result.changes = [_label(FIELD_COLUMNS.get(key, key)) for key in changes]
            wrote_contact = bool(row.contact) and not row.errors and _apply_contact(organisation, row.contact)
            if wrote_contact and result.outcome != CREATED:
                result.outcome = UPDATED
                result.changes.append(_("Contact"))
            if row.errors:
                raise _Discard
    except ValidationError as exc:
        errors = dict(row.errors)
        for key, messages in exc.message_dict.items():
            if key == "siren" and "siret" in errors | exc.message_dict:
                continue  # the SIREN was taken from the SIRET: the SIRET's message says it
            column = FIELD_COLUMNS.get(key, key)
            if column not in row.errors:  # the cell's own message says it better
                errors.setdefault(column, []).extend(messages)
        result.outcome, result.reasons, result.changes = REJECTED, _reasons(errors), []
    except _Discard:
        result.outcome, result.reasons, result.changes = REJECTED, _reasons(row.errors), []
    except IntegrityError:
        result.outcome, result.changes = REJECTED, []
        result.reasons = [_("This row conflicts with another record of the directory.")]
    return result


def _run(run: ImportRun, *, write: bool, valid_only: bool) -> list[RowResult]:
    lookups = _Lookups()
    with transaction.atomic():
        results = [_apply_row(line, cells, run.mapping, lookups) for line, cells in run.rows]
        rejected = any(result.outcome == REJECTED for result in results)
        if not write or (rejected and not valid_only):
            transaction.set_rollback(True)
    return results


def counts(results: Sequence[RowResult]) -> dict[str, int]:
    tally = dict.fromkeys((CREATED, UPDATED, UNCHANGED, REJECTED), 0)
    for result in results:
        tally[result.outcome] += 1
    return tally


# --- The services of the import -------------------------------------------------------------------


@transaction.atomic
def import_purge(*, days: int | None = None) -> int:
    """Delete the runs never committed and untouched for ``days`` (by default
    ``MAILLAGE_IMPORT_RETENTION_DAYS``); returns how many. The runs keep their rows in the
    database, so no file is left behind."""
    days = settings.MAILLAGE_IMPORT_RETENTION_DAYS if days is None else days
    if days < 0:
        raise ValueError("The retention of imports is a number of days (0 or more).")
    limit = timezone.now() - timedelta(days=days)
    deleted, _by_model = ImportRun.objects.filter(
        status=ImportRun.Status.PENDING, updated_at__lt=limit
    ).delete()
    return deleted


@transaction.atomic
def import_start(*, user: User, upload: UploadedFile) -> ImportRun:
    """Read ``upload`` and keep its rows in a new import run; raises ``ImportFileError``. The
    forgotten runs are purged on the way (see ``import_purge``)."""
    parsed = read_upload(upload)
    import_purge()
    return ImportRun.objects.create(
        user=user,
        file_name=PurePath(upload.name or "").name[:255],
        encoding=parsed.encoding,
        headers=parsed.headers,
        rows=parsed.rows,
        mapping=guess_mapping(parsed.headers),
    )


@transaction.atomic
def import_set_mapping(*, run: ImportRun, mapping: dict[str, int]) -> ImportRun:
    errors = mapping_errors(mapping)
    if errors:
        raise ValidationError(errors)
    run.mapping = mapping
    run.save(update_fields=["mapping", "updated_at"])
    return run


def import_preview(*, run: ImportRun) -> list[RowResult]:
    """What the commit would do, row by row; nothing is written."""
    return _run(run, write=False, valid_only=False)


class ImportRejected(Exception):
    """Rows are rejected and the user did not choose to import the valid ones only."""

    def __init__(self, results: list[RowResult]) -> None:
        super().__init__(_("Rows are rejected: nothing was imported."))
        self.results = results


@transaction.atomic
def import_commit(*, run: ImportRun, user: User, valid_only: bool = False) -> ImportRun:
    """Write every row in one transaction; raise ``ImportRejected`` (and write nothing) when a
    row is rejected unless ``valid_only``. A run is committed once."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.PENDING:
        raise ValidationError(_("This file has already been imported."))
    if mapping_errors(run.mapping):
        raise ValidationError(mapping_errors(run.mapping))
    return commit_record(run, _run(run, write=True, valid_only=valid_only), user=user, valid_only=valid_only)


def commit_record(run: RunT, results: list[RowResult], *, user: User, valid_only: bool) -> RunT:
    """Record the outcome of a commit on its run (organisations here, projects in the
    observatory): raise ``ImportRejected`` — the caller's transaction then writes nothing — when
    a row is rejected unless ``valid_only``. The rows read from the file are emptied."""
    tally = counts(results)
    if tally[REJECTED] and not valid_only:
        raise ImportRejected(results)
    run.user = user  # type: ignore[attr-defined]  # each concrete run has its user
    run.status = BaseImportRun.Status.COMMITTED
    run.valid_only = valid_only
    run.report = [asdict(result) for result in results]
    run.rows = []
    run.created, run.updated, run.unchanged, run.rejected = (
        tally[CREATED],
        tally[UPDATED],
        tally[UNCHANGED],
        tally[REJECTED],
    )
    run.committed_at = timezone.now()
    run.save()
    return run
