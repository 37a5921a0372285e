"""Exports of any list of the project as CSV or XLSX: rows and column headers in, a download out.

    return export_response("csv", rows=rows, headers=[_("Name"), _("Website")], filename="annuaire")

- ``rows`` may be any iterable (a generator over ``queryset.iterator()``): the CSV is streamed
  row by row; the XLSX is written by openpyxl's write-only workbook, which keeps one row in
  memory at a time, and sent once complete.
- Values: ``None`` becomes an empty cell, lists and tuples are joined with "; ", dates and
  numbers stay dates and numbers in XLSX; everything else is text.
- A text beginning with "=", "+", "-", "@" or a control character is prefixed with an
  apostrophe in CSV, and always written as text (never a formula) in XLSX: a name typed into
  a form must not run in a spreadsheet (formula injection).
- The CSV is UTF-8 with a byte-order mark (so that spreadsheets detect the encoding), comma
  separated, with CRLF line ends (RFC 4180).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NATIVE = (int, float, Decimal, datetime.date, datetime.datetime, bool)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    return str(value)


def csv_value(value: Any) -> str:
    text = _text(value)
    if not isinstance(value, _NATIVE) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns what it was given, for the streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    *, rows: Iterable[Sequence[Any]], headers: Sequence[Any], filename: str
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[bytes]:
        yield ("\ufeff" + writer.writerow([_text(header) for header in headers])).encode()
        for row in rows:
            yield writer.writerow([csv_value(value) for value in row]).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    native = isinstance(value, _NATIVE)
    cell = WriteOnlyCell(sheet, value=value if native else _text(value))
    if not native:
        cell.data_type = "s"  # text, even when it begins with "="
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_response(
    *, rows: Iterable[Sequence[Any]], headers: Sequence[Any], filename: str, title: str = ""
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(str(title) or "Export")[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, _text(header), bold=True) for header in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(
    file_format: str, *, rows: Iterable[Sequence[Any]], headers: Sequence[Any], filename: str, title: str = ""
) -> HttpResponse | StreamingHttpResponse:
    """The download of ``rows`` as ``file_format`` ("csv" or "xlsx"), named ``filename``."""
    if file_format == "csv":
        return csv_response(rows=rows, headers=headers, filename=filename)
    if file_format == "xlsx":
        return xlsx_response(rows=rows, headers=headers, filename=filename, title=title)
    raise ValueError(f"Unknown export format: {file_format}")
