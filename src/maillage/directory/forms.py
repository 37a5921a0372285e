"""Forms of the directory's staff pages: the steps of an import, the merge of two organisations."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.directory.import_files import MAX_FILE_SIZE
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
