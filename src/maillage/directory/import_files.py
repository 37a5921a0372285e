"""Reading an import file: the columns an import knows, the file's rows (CSV in UTF-8,
UTF-16 or Windows-1252, or XLSX), and the mapping of columns to fields. See ``imports``.

The reading, the guess of the mapping and ``ColumnMappingForm`` serve every import: each takes
the import's own columns (the directory's by default; the observatory's Atlas layout in
``maillage.observatory.atlas``)."""

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.models.reference import search_key

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    aliases: tuple[str, ...]  # headers as ``search_key`` folds them


COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        gettext_lazy("Name"),
        ("nom", "name", "raison sociale", "nom de l organisation", "organisation"),
    ),
    Column("acronym", gettext_lazy("Acronym"), ("sigle", "acronyme", "acronym")),
    Column("siret", gettext_lazy("SIRET"), ("siret", "numero siret")),
    Column("rna", gettext_lazy("RNA number"), ("rna", "numero rna")),
    Column("commune", gettext_lazy("Commune"), ("commune", "ville", "city")),
    Column("commune_code", gettext_lazy("INSEE code"), ("code insee", "insee", "code commune")),
    Column("postal_code", gettext_lazy("Postal code"), ("code postal", "cp", "postal code")),
    Column("country", gettext_lazy("Country (partners abroad)"), ("pays", "country")),
    Column("college", gettext_lazy("Collège"), ("college",)),
    Column("category", gettext_lazy("Category"), ("categorie", "category")),
    Column("website", gettext_lazy("Website"), ("site web", "site internet", "site", "website")),
    Column("email", gettext_lazy("E-mail address"), ("e mail", "email", "courriel", "mail")),
    Column("phone", gettext_lazy("Phone"), ("telephone", "tel", "phone")),
    Column(
        "countries",
        gettext_lazy("Countries of intervention"),
        ("pays d intervention", "pays intervention", "countries"),
    ),
    Column("themes", gettext_lazy("Themes"), ("thematiques", "themes", "thematique")),
    Column("contact_first_name", gettext_lazy("Contact first name"), ("contact prenom", "prenom du contact")),
    Column("contact_last_name", gettext_lazy("Contact last name"), ("contact nom", "nom du contact")),
    Column(
        "contact_email",
        gettext_lazy("Contact e-mail"),
        ("contact e mail", "contact email", "contact courriel"),
    ),
    Column("contact_role", gettext_lazy("Contact role"), ("contact role", "role du contact")),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
COMMUNE_KEYS = ("commune", "commune_code", "postal_code")
# Where the services' messages name a field of the model, the preview names the column.
FIELD_COLUMNS = {
    "name": "name",
    "acronym": "acronym",
    "siret": "siret",
    "rna": "rna",
    "commune": "commune",
    "country": "country",
    "college": "college",
    "category": "category",
    "website": "website",
    "email": "email",
    "phone": "phone",
    "countries": "countries",
    "themes": "themes",
}


class ImportFileError(Exception):
    """A file that cannot be read: the message says why, in the user's language."""


@dataclass
class ParsedFile:
    headers: list[str]
    rows: list[list[Any]]  # [line number in the file, [cells]]
    encoding: str


# --- Reading the file -----------------------------------------------------------------------------


def read_upload(upload: UploadedFile) -> ParsedFile:
    suffix = PurePath(upload.name or "").suffix.lower()
    if upload.size is not None and upload.size > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is too large (%(size)s): the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_FILE_SIZE)}
        )
    data = upload.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is too large (%(size)s): the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_FILE_SIZE)}
        )
    if suffix == ".xlsx":
        encoding, table = "", _read_xlsx(data)
    elif suffix in (".csv", ".txt"):
        encoding, table = _read_csv(data)
    else:
        raise ImportFileError(_("Only CSV and XLSX files can be imported (an .xls file: save it as XLSX)."))
    return _parsed(table, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", data.decode("utf-16")
    if b"\x00" in data:
        raise ImportFileError(_("This file is not a CSV text file."))
    try:
        return "utf-8", data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return "windows-1252", data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The encoding of this file is not recognised (neither UTF-8 nor Windows-1252). "
                "Save it from your spreadsheet as “CSV UTF-8” and try again."
            )
        ) from None


def _read_csv(data: bytes) -> tuple[str, list[list[str]]]:
    encoding, text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        return encoding, list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(_("This CSV file cannot be read: %(error)s.") % {"error": exc}) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a SIRET or a postal code typed as a number
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("This file is not an XLSX workbook."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise ImportFileError(_("This file is not an XLSX workbook.")) from None
    return table


def _parsed(table: list[list[str]], encoding: str) -> ParsedFile:
    numbered = [
        (line, [cell.strip() for cell in row])
        for line, row in enumerate(table, start=1)
        if any(cell.strip() for cell in row)
    ]
    if len(numbered) < 2:
        raise ImportFileError(_("The file has no row to import below its header line."))
    (_line, headers), data = numbered[0], numbered[1:]
    if len(data) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows: the limit is %(limit)s. Split it into several files.")
            % {"count": len(data), "limit": MAX_ROWS}
        )
    width = len(headers)
    rows = [[line, (cells + [""] * width)[:width]] for line, cells in data]
    return ParsedFile(headers=headers, rows=rows, encoding=encoding)


def guess_mapping(headers: Sequence[str], columns: Sequence[Column] = COLUMNS) -> dict[str, int]:
    """Field key → index of the column whose header names it (each column used once)."""
    keys = [search_key(header) for header in headers]
    mapping: dict[str, int] = {}
    for column in columns:
        for index, key in enumerate(keys):
            if key in column.aliases and index not in mapping.values():
                mapping[column.key] = index
                break
    return mapping


def mapping_errors(mapping: dict[str, int]) -> list[str]:
    """The required fields without a column: the name; the collège and the commune unless the
    file has a country column (partners abroad)."""
    labels = {column.key: column.label for column in COLUMNS}
    missing = [str(labels["name"])] if "name" not in mapping else []
    if "country" not in mapping:
        if "college" not in mapping:
            missing.append(str(labels["college"]))
        if not any(key in mapping for key in COMMUNE_KEYS):
            missing.append(_("Commune, INSEE code or postal code"))
    if not missing:
        return []
    return [_("These columns are required: %(columns)s.") % {"columns": ", ".join(missing)}]


class ColumnMappingForm(forms.Form):
    """One choice per column an import knows (``columns``): the column of the file that holds
    it; ``check`` gives the messages of a mapping that lacks a required column."""

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        columns: Sequence[Column] = COLUMNS,
        check: Callable[[dict[str, int]], list[str]] = mapping_errors,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.check = check
        choices = [
            ("", gettext_lazy("— not imported —")),
            *((str(index), header) for index, header in enumerate(headers)),
        ]
        for column in columns:
            self.fields[column.key] = forms.TypedChoiceField(
                label=capfirst(str(column.label)),
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
            )

    def mapping(self) -> dict[str, int]:
        return {key: index for key, index in self.cleaned_data.items() if index is not None}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        mapping = self.mapping()
        for message in self.check(mapping):
            self.add_error(None, message)
        used: dict[int, str] = {}
        for key, index in mapping.items():
            if index in used:
                self.add_error(
                    key, _("This column is already chosen for “%(field)s”.") % {"field": used[index]}
                )
            else:
                used[index] = str(self.fields[key].label)
        return cleaned
