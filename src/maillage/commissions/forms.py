"""Forms of the commissions' pages. They parse; the services decide (``services.py``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.commissions.models import Meeting, Member, Outcome, Registration


def _members_field(field: Any, members: Any) -> None:
    """Choose among ``members``, shown by their names."""
    field.queryset = members
    field.label_from_instance = lambda member: member.user.get_full_name() or member.user.email


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ("title", "starts_at", "ends_at", "place", "video_url", "agenda")
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "place": _("A place, a video link, or both."),
            "starts_at": _("Paris time."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place", "").strip() and not data.get("video_url", "").strip():
            self.add_error("place", _("Give a place, a video link, or both."))
        return data

    def _post_clean(self) -> None:
        """The services validate the meeting; the form checks its own fields only."""


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the account"))


class RegistrationForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=Registration.Answer.choices, widget=forms.RadioSelect
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _members_field(self.fields["present"], members)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Plain text (blank lines make paragraphs) or simple HTML: paragraphs, bold, italics, "
            "lists, links, headings and quotations."
        ),
    )
    public = forms.BooleanField(
        label=_("Public minutes"),
        required=False,
        help_text=_("Shown to everyone on the commission's page."),
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Outcome.Kind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(
        label=_("Owner (for an action)"), queryset=Member.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("Due on (for an action)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _members_field(self.fields["owner"], members)
