"""Forms of trainings and advice sessions: the questionnaire, booking a slot, cutting a period
into slots."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.engagement.services_trainings import RATINGS, rating_label

SCALE = [(value, str(value)) for value in range(1, 6)]


class FeedbackForm(forms.Form):
    """Four ratings from 1 (poor) to 5 (excellent), as radio groups (a fieldset each), and a
    comment."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        ratings = {
            name: forms.TypedChoiceField(
                label=rating_label(name),
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("From 1 (poor) to 5 (excellent)."),
            )
            for name in RATINGS
        }
        self.fields = {**ratings, "comment": self.fields["comment"]}

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in RATINGS}


class SlotBookForm(forms.Form):
    topic = forms.CharField(
        label=_("Your project and your questions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SlotsCreateForm(forms.Form):
    """A period of an advice session, cut into slots."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.IntegerField(
        label=_("Duration of a slot (minutes)"), min_value=5, max_value=480, initial=30
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise ValidationError(_("The end must be after the start."))
        return data

    def period(self) -> tuple[datetime.datetime, datetime.datetime]:
        day = self.cleaned_data["date"]
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(day, self.cleaned_data["start"], tzinfo=zone)
        end = datetime.datetime.combine(day, self.cleaned_data["end"], tzinfo=zone)
        return start, end
