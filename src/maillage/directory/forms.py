"""Forms of the directory's staff pages: the steps of an import, the merge of two organisations."""

from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.directory.import_files import COLUMNS, MAX_FILE_SIZE, mapping_errors
from maillage.directory.models import Organisation


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A CSV file (UTF-8, comma or semicolon separated) or an XLSX workbook (its first sheet), "
            "with a header line; at most %(size)s MB."
        ) % {"size": MAX_FILE_SIZE // (1024 * 1024)}


class ImportMappingForm(forms.Form):
    """One choice per field of the directory: the column of the file that holds it."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("— not imported —")),
            *((str(index), header) for index, header in enumerate(headers)),
        ]
        for column in COLUMNS:
            label = capfirst(str(column.label))
            self.fields[column.key] = forms.TypedChoiceField(
                label=label, choices=choices, required=False, coerce=int, empty_value=None
            )

    def mapping(self) -> dict[str, int]:
        return {key: index for key, index in self.cleaned_data.items() if index is not None}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        mapping = self.mapping()
        for message in mapping_errors(mapping):
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


class ImportCommitForm(forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only"),
        required=False,
        help_text=_("The rejected rows are left out; they stay listed in the report of the import."),
    )


class MergeForm(forms.Form):
    """Which of the two organisations survives the merge."""

    survivor = forms.TypedChoiceField(label=_("Organisation to keep"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, pair: tuple[Organisation, Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pair = pair
        field = cast(forms.TypedChoiceField, self.fields["survivor"])
        field.choices = [(organisation.pk, f"{organisation} (#{organisation.pk})") for organisation in pair]
        field.initial = pair[0].pk

    def survivor_and_duplicate(self) -> tuple[Organisation, Organisation]:
        first, second = self.pair
        return (first, second) if self.cleaned_data["survivor"] == first.pk else (second, first)
