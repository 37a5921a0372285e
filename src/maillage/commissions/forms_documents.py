"""Forms of the shared documents. The file itself is checked by the service (by its content,
not its name), so that the rule lives in one place."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maillage.commissions.models import Commission, Meeting

FILE_HELP = _("PDF, OpenDocument (ODT, ODS, ODP), Word, Excel, PowerPoint, PNG or JPEG; 10 MB at most.")


class DocumentEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    tags = forms.CharField(
        label=_("Tags"),
        max_length=250,
        required=False,
        help_text=_("Separated by commas, e.g. report, Senegal."),
    )
    meetings = forms.ModelMultipleChoiceField(
        Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Linked meetings"),
    )

    def __init__(self, *args, commission: Commission, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        meetings = self.fields["meetings"]
        meetings.queryset = commission.meetings.order_by("-starts_at")  # type: ignore[attr-defined]
        meetings.label_from_instance = lambda meeting: "{} ({})".format(  # type: ignore[attr-defined]
            meeting.title, date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
        )
        if not commission.meetings.exists():
            del self.fields["meetings"]


class DocumentForm(DocumentEditForm):
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"), help_text=FILE_HELP)
