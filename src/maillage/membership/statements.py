"""Payments read from a bank statement (CSV) or a HelloAsso payments export, matched to dues.

The file is read by the directory's import reader (``read_upload``: size limit, CSV in UTF-8
or Windows-1252 with ``;`` or ``,``, or XLSX). Each credit line gets a fingerprint, the sha256
of its source, date, amount and label (bank) or order reference (HelloAsso): it becomes the
payment's ``source_key``, so that a line recorded once is recognised in any later file and
never recorded twice. Debit lines and refused HelloAsso payments are ignored.

A line is matched to unpaid dues by, in order: the reference ``COT-<dues number>`` (printed on
the call for payment) in its label (sure); the same amount as what is still due and the
organisation's name in the label or the payer's name; the payer's e-mail, a representative's
or the organisation's. Staff confirm or change each match; ``statement_record`` then records
the chosen lines in one transaction, all or nothing."""

import datetime
import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.models.reference import search_key
from maillage.directory.import_files import ImportFileError, read_upload
from maillage.directory.models import Affiliation
from maillage.membership.models import Dues, Payment
from maillage.membership.selectors import REPRESENTATIVE_ROLES, dues_with_balance
from maillage.membership.services.payments import payment_record

BANK, HELLOASSO = "bank", "helloasso"
METHODS = {BANK: Payment.Method.TRANSFER, HELLOASSO: Payment.Method.HELLOASSO}

# Headers as ``search_key`` folds them, the most telling first.
BANK_COLUMNS = {
    "date": (
        "date operation",
        "date de l operation",
        "date d operation",
        "date",
        "date comptable",
        "date valeur",
    ),
    "label": ("libelle", "libelle operation", "libelle de l operation", "label", "description", "intitule"),
    "amount": ("montant", "montant eur", "montant en euros", "montant euros", "amount"),
    "credit": ("credit", "credit eur", "credit euros", "montant credit"),
}
HELLOASSO_COLUMNS = {
    "date": ("date", "date du paiement", "date de paiement", "date de la commande", "date commande"),
    "amount": ("montant", "montant total", "montant du paiement", "montant paye", "amount"),
    "last_name": ("nom", "nom payeur", "nom du payeur", "last name"),
    "first_name": ("prenom", "prenom payeur", "prenom du payeur", "first name"),
    "email": ("email", "e mail", "email payeur", "email du payeur", "courriel", "adresse email"),
    "status": ("statut", "statut du paiement", "etat", "etat du paiement", "status"),
    "reference": ("reference commande", "reference de la commande", "numero de commande", "reference"),
    "organisation": ("raison sociale", "societe", "organisme", "structure", "nom de la structure"),
}
REFUSED = (
    "refus",
    "annul",
    "echou",
    "echec",
    "rembours",
    "abandon",
    "refused",
    "cancel",
    "failed",
    "refunded",
)
HEADER_SEARCH = 15  # a bank statement may begin with lines about the account
COT = re.compile(r"\bCOT[\s._/-]*0*(\d{1,9})\b", re.IGNORECASE)
STOP_WORDS = frozenset(
    {
        *("association", "assoc", "asso", "des", "les", "une", "pour", "dans", "avec", "sur", "aux"),
        *("the", "and", "commune", "ville", "mairie", "communaute", "vir", "virement", "sepa", "recu"),
        *("cotisation", "adhesion"),
    }
)


class StatementError(Exception):
    """The file is not a statement this module can read: the message says why."""


class StatementRejected(Exception):
    """Lines could not be recorded (nothing was): ``errors`` maps each line's key to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class Line:
    """One line of the file, as kept between the upload and the matching (JSON-friendly)."""

    line: int
    received_on: str = ""  # ISO date
    amount: str = ""
    label: str = ""
    reference: str = ""
    payer: str = ""
    email: str = ""
    organisation: str = ""
    key: str = ""
    ignored: str = ""  # why the line cannot be recorded

    @property
    def date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.received_on)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.amount)

    @property
    def text(self) -> str:
        """What the line says of its payer, to match it by name."""
        return " ".join(part for part in (self.label, self.payer, self.organisation) if part)


# --- Reading values --------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal:
    """ "1 234,56", "1.234,56", "-30,00 €", "1234.56" → Decimal."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]|EUR", "", text.strip(), flags=re.IGNORECASE)
    if "," in cleaned and "." in cleaned:
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not amount.is_finite():
        raise ValueError(text)
    return amount


DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str) -> datetime.date:
    """ "31/01/2026", "31/01/26", "2026-01-31", "31/01/2026 14:05", "2026-01-31T00:00:00"."""
    head = re.split(r"[\sT]", text.strip(), maxsplit=1)[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(head, pattern).date()  # noqa: DTZ007 — a date, no time
        except ValueError:
            continue
    raise ValueError(text)


def fingerprint(source: str, received_on: datetime.date, amount: Decimal, text: str) -> str:
    """The line's identity, whichever file it comes in again."""
    normalised = " ".join(text.split()).casefold()
    return hashlib.sha256(f"{source}|{received_on.isoformat()}|{amount}|{normalised}".encode()).hexdigest()


# --- Reading a file --------------------------------------------------------------------------------


def _columns(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    keys = [search_key(header) for header in headers]
    found: dict[str, int] = {}
    for name, names in aliases.items():
        for alias in names:
            if alias in keys and keys.index(alias) not in found.values():
                found[name] = keys.index(alias)
                break
    return found


def _required(kind: str, columns: dict[str, int]) -> bool:
    if kind == BANK:
        return {"date", "label"} <= columns.keys() and bool({"amount", "credit"} & columns.keys())
    return {"date", "amount"} <= columns.keys() and bool({"reference", "email", "last_name"} & columns.keys())


def _line(kind: str, number: int, cells: list[str], columns: dict[str, int]) -> Line:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    line = Line(line=number, label=cell("label"), reference=cell("reference"), email=cell("email").lower())
    line.payer = " ".join(part for part in (cell("first_name"), cell("last_name")) if part)
    line.organisation = cell("organisation")
    if kind == HELLOASSO and any(word in search_key(cell("status")) for word in REFUSED):
        line.ignored = _("Payment refused or cancelled")
        return line
    try:
        received_on = parse_date(cell("date"))
    except ValueError:
        line.ignored = _("Unreadable date: %(value)s") % {"value": cell("date") or "—"}
        return line
    raw = cell("amount") or cell("credit")
    try:
        amount = parse_amount(raw)
    except ValueError:
        line.ignored = _("Unreadable amount: %(value)s") % {"value": raw or "—"}
        return line
    line.received_on, line.amount = received_on.isoformat(), str(amount)
    if amount <= 0:
        line.ignored = _("Debit")
    return line


def statement_read(upload: UploadedFile, kind: str) -> list[Line]:
    """The lines of the uploaded file; raises ``StatementError`` when it cannot be read."""
    aliases = BANK_COLUMNS if kind == BANK else HELLOASSO_COLUMNS
    try:
        parsed = read_upload(upload)
    except ImportFileError as exc:
        raise StatementError(str(exc)) from None
    table = [(0, parsed.headers), *[(number, cells) for number, cells in parsed.rows]]
    for position, (_number, headers) in enumerate(table[:HEADER_SEARCH]):  # noqa: B007 — used below
        columns = _columns(headers, aliases)
        if _required(kind, columns):
            break
    else:
        expected = (
            _("date, label and amount (or credit)")
            if kind == BANK
            else _("date, amount and order reference or payer")
        )
        raise StatementError(
            _("The columns of this file are not recognised: it needs %(columns)s.") % {"columns": expected}
        )
    lines = [_line(kind, number, cells, columns) for number, cells in table[position + 1 :]]
    seen: Counter[str] = Counter()
    for line in lines:
        if not line.ignored:
            base = fingerprint(kind, line.date, line.decimal, line.label if kind == BANK else line.reference)
            # The same transfer twice on one day is two lines: the second one has its own key.
            line.key = (
                base if not seen[base] else fingerprint(kind, line.date, line.decimal, f"{base}#{seen[base]}")
            )
            seen[base] += 1
    return lines


def lines_dump(lines: list[Line]) -> list[dict[str, Any]]:
    return [asdict(line) for line in lines]


def lines_load(data: list[dict[str, Any]]) -> list[Line]:
    return [Line(**item) for item in data]


# --- Matching --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    dues_id: int
    sure: bool
    reason: str


def unpaid_dues() -> QuerySet[Dues]:
    """The dues a line may pay: unpaid, in a year still open."""
    return (
        dues_with_balance(Dues.objects.filter(year__closed=False))
        .filter(balance__gt=0)  # type: ignore[misc]  # an annotation
        .select_related("membership__organisation", "year")
        .order_by("membership__organisation__name", "-year__year", "pk")
    )


def recorded_keys(lines: list[Line]) -> set[str]:
    keys = [line.key for line in lines if line.key]
    return {
        key for key in Payment.objects.filter(source_key__in=keys).values_list("source_key", flat=True) if key
    }


def _tokens(text: str) -> set[str]:
    return {word for word in search_key(text).split() if len(word) >= 3 and word not in STOP_WORDS}


def _emails(candidates: list[Dues]) -> dict[str, list[Dues]]:
    by_organisation: dict[int, list[Dues]] = {}
    for dues in candidates:
        by_organisation.setdefault(dues.membership.organisation_id, []).append(dues)
    emails: dict[str, list[Dues]] = {}
    for dues in candidates:
        if dues.membership.organisation.email:
            emails.setdefault(dues.membership.organisation.email.lower(), []).append(dues)
    today = timezone.localdate()
    people = (
        Affiliation.objects.filter(organisation_id__in=by_organisation, role__in=REPRESENTATIVE_ROLES)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .exclude(person__email="")
        .values_list("organisation_id", "person__email")
    )
    for organisation_id, email in people:
        emails.setdefault(email.lower(), []).extend(by_organisation[organisation_id])
    return emails


def suggestions(lines: list[Line], candidates: list[Dues]) -> dict[str, Suggestion]:
    """Line key → the dues it most likely pays."""
    by_pk = {dues.pk: dues for dues in candidates}
    tokens = {dues.pk: _tokens(dues.membership.organisation.name) for dues in candidates}
    emails = _emails(candidates) if any(line.email for line in lines) else {}
    found: dict[str, Suggestion] = {}
    for line in lines:
        if not line.key:
            continue
        for match in COT.finditer(f"{line.label} {line.reference}"):
            if int(match.group(1)) in by_pk:
                found[line.key] = Suggestion(
                    int(match.group(1)), True, _("Reference COT-%(number)s") % {"number": match.group(1)}
                )
                break
        if line.key in found:
            continue
        words = _tokens(line.text)
        best, score = None, 0.0
        for dues in candidates:
            if dues.balance != line.decimal or not tokens[dues.pk]:  # type: ignore[attr-defined]
                continue
            share = len(tokens[dues.pk] & words) / len(tokens[dues.pk])
            if share >= 0.5 and share > score:
                best, score = dues, share
        if best is not None:
            found[line.key] = Suggestion(best.pk, False, _("Same amount and name"))
            continue
        if line.email in emails:
            same = [dues for dues in emails[line.email] if dues.balance == line.decimal]  # type: ignore[attr-defined]
            dues = (same or emails[line.email])[0]
            found[line.key] = Suggestion(dues.pk, False, _("Payer’s e-mail address"))
    return found


# --- Recording -------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def statement_record(*, kind: str, lines: list[Line], choices: dict[str, Dues], by: User) -> list[Payment]:
    """Record each chosen line as a payment of its dues, all or nothing: if a line is refused
    (a duplicate, a closed year, a future date…), nothing is recorded and ``StatementRejected``
    tells each refused line's reasons."""
    errors: dict[str, list[str]] = {}
    payments: list[Payment] = []
    try:
        with transaction.atomic():
            for line in lines:
                dues = choices.get(line.key)
                if dues is None or line.ignored:
                    continue
                try:
                    with transaction.atomic():
                        payments.append(
                            payment_record(
                                dues=dues,
                                amount=line.decimal,
                                method=METHODS[kind],
                                received_on=line.date,
                                reference=(line.reference or line.label)[:200],
                                note=_("Imported line %(line)s") % {"line": line.line},
                                by=by,
                                source_key=line.key,
                            )
                        )
                except ValidationError as exc:
                    errors[line.key] = exc.messages
            if errors:
                raise _Rollback
    except _Rollback:
        raise StatementRejected(errors) from None
    return payments
