"""The rows of the project form: participating organisations, recipient countries, sectors,
budgets, transactions and documents (one small form each, gathered in formsets by
``forms.ProjectForms``).

Every field of a row is optional, so that an empty row (the extra rows offered to add one
without JavaScript) is simply left out; a row partly filled says what it lacks. Organisations
and countries are typed (``forms_fields``); sectors are typed too, among the DAC codes in use."""

import dataclasses
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext_lazy as _

from maillage.core.models import DacSector
from maillage.directory.models import Organisation
from maillage.observatory.forms_fields import (
    OrganisationField,
    country_code,
    organisation_label,
    organisations_suggested,
)
from maillage.observatory.models import OrganisationRole, TransactionType

__all__ = ["PARTS", "Part", "organisation_label", "organisations_suggested"]
MAX_ROWS = 50

PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}
AMOUNT = {"max_digits": 16, "decimal_places": 2, "min_value": 0}
FORM_TRANSACTION_TYPES = [choice for choice in TransactionType.choices if choice[0] <= 4]


class RowForm(forms.Form):
    """A row of a part of the project: empty rows are left out (``values`` is None)."""

    required_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        """``organisation``: the project's reporting organisation, accepted whatever its status
        in the directory (a draft profile may declare its projects)."""
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, OrganisationField):
                field.also = organisation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = any(value not in (None, "", []) for name, value in data.items() if name != "DELETE")
        if filled and not data.get("DELETE"):
            for name in self.required_fields:
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("This field is required on a filled row."))
        return data

    def values(self) -> dict[str, Any] | None:
        """The row's cleaned values, or None for an empty or removed row."""
        data = self.cleaned_data
        if data.get("DELETE") or all(value in (None, "") for name, value in data.items() if name != "DELETE"):
            return None
        return {name: value for name, value in data.items() if name != "DELETE"}


class ParticipationForm(RowForm):
    organisation = OrganisationField(label=_("Organisation"))
    role = forms.TypedChoiceField(
        label=_("Role"),
        choices=[("", "—"), *OrganisationRole.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Funding, accountable, extending (manages the funds) or implementing."),
    )
    required_fields = ("organisation", "role")


class CountryForm(RowForm):
    """A country, typed (its name, from the list offered, or its ISO code): a text field with
    suggestions rather than a list of 250 options on each row."""

    country = forms.CharField(
        label=_("Country"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "observatory-countries"}),
    )
    percentage = forms.DecimalField(
        label=_("Percentage"),
        required=False,
        help_text=_("With several countries, the shares add up to 100."),
        **PERCENT,  # type: ignore[arg-type]
    )
    required_fields = ("country",)

    def clean_country(self) -> str:
        text = self.cleaned_data["country"].strip()
        if not text:
            return ""
        code = country_code(text)
        if code is None:
            raise forms.ValidationError(_("Choose a country from the list, e.g. “Sénégal”."))
        return code


class SectorForm(RowForm):
    """A DAC 5-digit sector, typed (its code or its name, from the list offered) or chosen."""

    sector = forms.CharField(
        label=_("DAC sector"),
        max_length=250,
        required=False,
        help_text=_("Its 5-digit code or its name, e.g. “14030”."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "observatory-sectors"}),
    )
    percentage = forms.DecimalField(
        label=_("Percentage"),
        required=False,
        help_text=_("With several sectors, the shares add up to 100."),
        **PERCENT,  # type: ignore[arg-type]
    )
    required_fields = ("sector",)

    def __init__(self, *args: Any, known_codes: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        """``known_codes``: the codes the project has already, accepted even when withdrawn."""
        super().__init__(*args, **kwargs)
        self.known_codes = known_codes

    def clean_sector(self) -> str:
        text = self.cleaned_data["sector"].strip()
        if not text:
            return ""
        code = re.match(r"\s*(\d{5})\b", text)
        if code:
            if code[1] in self.known_codes or DacSector.objects.filter(code=code[1], active=True).exists():
                return code[1]
            raise forms.ValidationError(_("“%(code)s” is not a DAC sector in use.") % {"code": code[1]})
        name = text.split(" – ", 1)[-1]
        active = DacSector.objects.filter(active=True)
        found = list(active.filter(Q(name_fr__iexact=name) | Q(name_en__iexact=name))[:2])
        if len(found) == 1:
            return found[0].code
        raise forms.ValidationError(
            _("Choose a sector from the list, or type its 5-digit code, e.g. “14030”.")
        )


class BudgetForm(RowForm):
    period_start = forms.DateField(
        label=_("Period start"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    period_end = forms.DateField(
        label=_("Period end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    value = forms.DecimalField(label=_("Amount"), required=False, **AMOUNT)  # type: ignore[arg-type]
    required_fields = ("period_start", "period_end", "value")


class TransactionForm(RowForm):
    kind = forms.TypedChoiceField(
        label=_("Type"),
        choices=[("", "—"), *FORM_TRANSACTION_TYPES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    value = forms.DecimalField(label=_("Amount"), required=False, **AMOUNT)  # type: ignore[arg-type]
    provider = OrganisationField(
        label=_("From"),
        free_text=True,
        help_text=_("The organisation that provides the money (of the directory or not)."),
    )
    receiver = OrganisationField(
        label=_("To"),
        free_text=True,
        help_text=_("The organisation that receives it (of the directory or not)."),
    )
    required_fields = ("kind", "date", "value")

    def __init__(self, *args: Any, kinds: tuple[int, ...] = (), **kwargs: Any) -> None:
        """``kinds``: the types the project has already, offered even beyond the first four."""
        super().__init__(*args, **kwargs)
        extra = [(value, label) for value, label in TransactionType.choices if value in kinds and value > 4]
        self.fields["kind"].choices = [("", "—"), *FORM_TRANSACTION_TYPES, *extra]  # type: ignore[attr-defined]


class DocumentForm(RowForm):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    url = forms.URLField(label=_("Address (URL)"), max_length=500, required=False, assume_scheme="https")
    required_fields = ("title", "url")


class RowFormSet(BaseFormSet):
    """The rows of one part, and its duplicates (the database keeps each one once)."""

    unique: tuple[str, ...] = ()
    duplicate_message: Any = ""

    def clean(self) -> None:
        if any(self.errors) or not self.unique:
            return
        seen = set()
        for form in self.forms:
            values = form.values()
            if values is None:
                continue
            key = tuple(values[name] for name in self.unique)
            if key in seen:
                raise ValidationError(self.duplicate_message)
            seen.add(key)

    def values(self) -> list[dict[str, Any]]:
        return [values for form in self.forms if (values := form.values()) is not None]


def _formset(form: type[forms.Form], unique: tuple[str, ...] = (), message: Any = "") -> Any:
    base = forms.formset_factory(
        form, formset=RowFormSet, extra=0, can_delete=True, max_num=MAX_ROWS, absolute_max=MAX_ROWS
    )
    return type(base.__name__, (base,), {"unique": unique, "duplicate_message": message})


@dataclasses.dataclass
class Part:
    """One part of the project in the form: its formset and how the page names it."""

    key: str  # as in ``ProjectData`` and the messages of ``project_errors``
    legend: Any
    row_label: Any
    formset: Any
    help: Any = ""

    @property
    def anchor(self) -> str:
        return f"{self.formset.prefix}-part"


PARTS: tuple[tuple[str, Any, Any, Any, Any], ...] = (
    (
        "participations",
        _("Participating organisations"),
        _("Organisation"),
        _formset(ParticipationForm),
        _("Who funds, who is accountable, who implements: your organisation and its partners."),
    ),
    (
        "countries",
        _("Recipient countries"),
        _("Country"),
        _formset(CountryForm),
        _("A single country takes no percentage; with several, the shares add up to 100."),
    ),
    (
        "sectors",
        _("Sectors (OECD DAC)"),
        _("Sector"),
        _formset(SectorForm, ("sector",), _("A sector is listed twice.")),
        _("With several sectors, the shares add up to 100."),
    ),
    (
        "budgets",
        _("Budgets"),
        _("Budget"),
        _formset(BudgetForm),
        _("One row per year (a period of one year at most)."),
    ),
    (
        "transactions",
        _("Transactions"),
        _("Transaction"),
        _formset(TransactionForm),
        _("Money received (incoming funds), committed, disbursed or spent."),
    ),
    ("documents", _("Documents and links"), _("Document"), _formset(DocumentForm), ""),
)
