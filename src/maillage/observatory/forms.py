"""The project form: the main fields and the parts of a project (organisations, countries,
sectors, budgets, transactions, documents), checked by the IATI rules of
``services.project_errors`` and written by ``services.project_save``.

Use (the editors' pages, the staff's, the yearly survey)::

    forms = ProjectForms(request.POST or None, organisation=organisation, project=project)
    if request.method == "POST" and not forms.adding_row and forms.is_valid():
        project = forms.save(request.user, provenance=Project.Provenance.MANUAL)
        if project is not None:
            ...  # saved
    # render, inside <form method="post" novalidate> with {% csrf_token %}:
    {% include "observatory/_project_form.html" with forms=forms %}

The include holds the error summary, the fieldsets, and an "add a row" button per part (a
submit button: ``adding_row`` is then true, and the page is shown again with one more empty
row, without messages); the page adds its own submit buttons."""

import dataclasses
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from maillage.accounts.models import User
from maillage.core.models import DacSector, Sdg, Theme
from maillage.directory.models import Organisation
from maillage.observatory import forms_fields
from maillage.observatory.forms_parts import MAX_ROWS, PARTS, Part
from maillage.observatory.models import ActivityStatus, Project
from maillage.observatory.services import ProjectData, project_errors, project_save

DATE = {"required": False, "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
MAIN_FIELDS = (
    "title", "description", "activity_status", "planned_start", "planned_end", "actual_start",
    "actual_end", "default_currency", "beneficiaries", "volunteers",
)  # fmt: skip


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The aims of the project, what it does, with whom."),
    )
    activity_status = forms.TypedChoiceField(
        label=_("Stage of the project"), choices=ActivityStatus.choices, coerce=int
    )
    planned_start = forms.DateField(label=_("Planned start"), **DATE)  # type: ignore[arg-type]
    planned_end = forms.DateField(label=_("Planned end"), **DATE)  # type: ignore[arg-type]
    actual_start = forms.DateField(
        label=_("Actual start"),
        help_text=_("Once the project has started."),
        **DATE,  # type: ignore[arg-type]
    )
    actual_end = forms.DateField(
        label=_("Actual end"),
        help_text=_("Once the project has ended."),
        **DATE,  # type: ignore[arg-type]
    )
    default_currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="EUR",
        help_text=_("Of the budgets and transactions: its ISO 4217 code, e.g. EUR or XOF."),
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), min_value=0, required=False)
    volunteers = forms.IntegerField(label=_("Volunteers involved"), min_value=0, required=False)
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Themes")
    )
    sdgs = forms.ModelMultipleChoiceField(
        Sdg.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("SDGs")
    )

    def clean_default_currency(self) -> str:
        return str(self.cleaned_data["default_currency"]).strip().upper()


class ProjectForms:
    """The project form and its parts, for a project of ``organisation`` (its reporting
    organisation): ``is_valid()``, ``project_data()``, ``save(user, …)``."""

    def __init__(
        self,
        data: Any = None,
        *,
        organisation: Organisation,
        project: Project | None = None,
        prefix: str = "",
    ) -> None:
        self.organisation, self.project, self.prefix = organisation, project, prefix
        self.base = (
            ProjectData.of(project) if project else ProjectData(title="", reporting_organisation=organisation)
        )
        self.add_row_name = f"{prefix}-add_row" if prefix else "add_row"
        self.adding_row = data is not None and bool(data.get(self.add_row_name))
        if self.adding_row:
            data = data.copy()
            name = f"{data[self.add_row_name]}-TOTAL_FORMS"
            if name in data:
                data[name] = str(min(int(data[name] or 0) + 1, MAX_ROWS))
        self.form = ProjectForm(data, initial=self._initial(), prefix=prefix or None)
        initial = self._initial_rows()
        form_kwargs: dict[str, Any] = {
            "sectors": {"known_codes": frozenset(code for v, code, _s in self.base.sectors if v == "1")},
            "transactions": {"kinds": tuple(item.get("kind") for item in self.base.transactions)},
        }
        self.parts: list[Part] = []
        for key, legend, row_label, formset_class, help_text in PARTS:
            rows = initial[key]
            formset = formset_class(
                data,
                initial=rows or None,
                prefix=f"{prefix}-{key}" if prefix else key,
                form_kwargs={"organisation": organisation, **form_kwargs.get(key, {})},
            )
            formset.extra = 1 if rows else 2
            self.parts.append(Part(key, legend, row_label, formset, help_text))
        if self.adding_row:
            self._quiet()

    # --- Initial values ---------------------------------------------------------------------

    def _initial(self) -> dict[str, Any]:
        base = self.base
        values = {name: getattr(base, name) for name in MAIN_FIELDS}
        return values | {"themes": base.themes, "sdgs": base.sdgs}

    def _initial_rows(self) -> dict[str, list[dict[str, Any]]]:
        base = self.base
        codes = [code for vocabulary, code, _share in base.sectors if vocabulary == "1"]
        names = {sector.code: sector.name for sector in DacSector.objects.filter(code__in=codes)}
        participations = [{"organisation": o, "role": role} for o, role in base.participations]
        if self.project is None:
            participations = [{"organisation": self.organisation}]
        return {
            "participations": participations,
            "countries": [
                {"country": forms_fields.country_name(code), "percentage": share}
                for code, share in base.countries
            ],
            "sectors": [
                {"sector": f"{code} – {names[code]}" if code in names else code, "percentage": share}
                for vocabulary, code, share in base.sectors
                if vocabulary == "1"
            ],
            "budgets": [
                {key: item.get(key) for key in ("period_start", "period_end", "value")}
                for item in base.budgets
            ],
            "transactions": [
                {
                    "kind": item.get("kind"),
                    "date": item.get("date"),
                    "value": item.get("value"),
                    "provider": item.get("provider") or item.get("provider_name", ""),
                    "receiver": item.get("receiver") or item.get("receiver_name", ""),
                }
                for item in base.transactions
            ],
            "documents": [{"title": item.get("title"), "url": item.get("url")} for item in base.documents],
        }

    # --- Checking ---------------------------------------------------------------------------

    @property
    def sector_options(self) -> str:
        """The ``<option>`` of the DAC sectors in use, for the page's list of suggestions."""
        sectors = DacSector.objects.filter(active=True).order_by("code")
        return format_html_join("", '<option value="{} – {}"></option>', ((s.code, s.name) for s in sectors))

    @property
    def country_options(self) -> str:
        """The ``<option>`` of the countries, for the page's list of suggestions."""
        return format_html_join("", '<option value="{}"></option>', ((name,) for _code, name in countries))

    def part(self, key: str) -> Part:
        return next(part for part in self.parts if part.key == key)

    def is_valid(self) -> bool:
        """The fields and rows, then the IATI rules on the whole project (messages attached to
        the field or the part they concern)."""
        if self.adding_row:
            return False
        valid = self.form.is_valid()
        for part in self.parts:
            valid = part.formset.is_valid() and valid
        if not valid:
            return False
        errors = project_errors(self.project_data())
        self.attach(errors)
        return not errors

    def attach(self, errors: dict[str, list[str]]) -> None:
        """Attach messages by part (as ``project_errors`` and ``project_save`` give them) to
        the field or the part they concern; others go to the top of the form."""
        keys = {part.key: part for part in self.parts}
        for key, messages in errors.items():
            for message in messages:
                if key in self.form.fields:
                    self.form.add_error(key, message)
                elif key in keys:
                    keys[key].formset.non_form_errors().append(message)
                else:  # NON_FIELD_ERRORS, or a field the form does not show
                    self.form.add_error(None, message)

    def _quiet(self) -> None:
        """No messages while a row is being added (the form is not finished)."""
        self.form.full_clean()
        self.form._errors = ErrorDict()  # type: ignore[attr-defined]
        for part in self.parts:
            part.formset.full_clean()
            for row in part.formset.forms:
                row._errors = ErrorDict()
            part.formset._errors, part.formset._non_form_errors = [], ErrorList()

    @property
    def has_errors(self) -> bool:
        return bool(self.error_summary())

    def error_summary(self) -> list[tuple[str, str, str]]:
        """Every message, in the page's order: ``(anchor, label, message)`` for the summary."""
        if not self.form.is_bound or self.adding_row:
            return []
        lines: list[tuple[str, str, str]] = [("", "", str(error)) for error in self.form.non_field_errors()]
        for field in self.form:
            for error in field.errors:
                lines.append((field.auto_id, str(field.label), str(error)))
        for part in self.parts:
            for error in part.formset.non_form_errors():
                lines.append((part.anchor, str(part.legend), str(error)))
            for number, row in enumerate(part.formset.forms, start=1):
                for error in row.non_field_errors():
                    lines.append((f"{row.prefix}-row", f"{part.row_label} {number}", str(error)))
                for field in row:
                    for error in field.errors:
                        label = f"{part.row_label} {number} – {field.label}"
                        lines.append((field.auto_id, label, str(error)))
        return lines

    # --- The data ---------------------------------------------------------------------------

    def project_data(self) -> ProjectData:
        """The project as the form gives it (call after the fields are valid). What the form
        does not show (regions, locations, other sector vocabularies, narratives…) is kept."""
        main = self.form.cleaned_data
        rows = {part.key: part.formset.values() for part in self.parts}
        base = self.base
        data = dataclasses.replace(
            base,
            **{name: main.get(name, getattr(base, name)) for name in MAIN_FIELDS},
            themes=list(main.get("themes", base.themes)),
            sdgs=list(main.get("sdgs", base.sdgs)),
            reporting_organisation=base.reporting_organisation,
        )
        data.title = data.title or ""
        data.description = data.description or ""
        data.participations = [(row["organisation"], row["role"]) for row in rows["participations"]]
        data.countries = [(row["country"], row["percentage"]) for row in rows["countries"]]
        data.sectors = [sector for sector in base.sectors if sector[0] != "1"] + [
            ("1", row["sector"], row["percentage"]) for row in rows["sectors"]
        ]
        data.budgets = [
            _merged(base.budgets, ("period_start", "period_end"), row) | {"value": row["value"]}
            for row in rows["budgets"]
        ]
        for budget in data.budgets:
            budget.setdefault("value_date", budget["period_start"])
        data.transactions = [_transaction(base.transactions, row) for row in rows["transactions"]]
        data.documents = [_merged(base.documents, ("url",), row) for row in rows["documents"]]
        return data

    def save(
        self, user: User | None, *, provenance: str | None = None, status: str | None = None
    ) -> Project | None:
        """Write the project (call after ``is_valid()``); None when the service refuses it, its
        messages then attached to the form."""
        try:
            project = project_save(
                self.project_data(), project=self.project, user=user, provenance=provenance, status=status
            )
        except ValidationError as error:
            self.attach(error.message_dict)
            return None
        self.project = project
        return project


def _merged(existing: list[dict[str, Any]], keys: tuple[str, ...], row: dict[str, Any]) -> dict[str, Any]:
    """The row, with what the form does not show taken from the recorded row that has the same
    ``keys`` (a document's category and format, a budget's type and value date…)."""
    for item in existing:
        if all(item.get(key) == row.get(key) for key in keys):
            return {**item, **row}
    return dict(row)


def _transaction(existing: list[dict[str, Any]], row: dict[str, Any]) -> dict[str, Any]:
    values = {key: row[key] for key in ("kind", "date", "value")}
    for side in ("provider", "receiver"):
        party = row[side]
        values[side] = party if isinstance(party, Organisation) else None
        values[f"{side}_name"] = party if isinstance(party, str) else ""
    return _merged(existing, ("kind", "date", "value"), values)
