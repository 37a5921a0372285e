"""Forms of the yearly survey: the staff's new campaign, and an organisation's answer."""

import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.directory.models import Organisation
from maillage.observatory.surveys_answers import PROFILE_FIELDS

SCOPE_CHOICES = (
    ("all", _("Every published regional actor of the directory")),
    ("members", _("The members of the network")),
    ("filter", _("The actors matching a search of the directory")),
)


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("Year surveyed"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    closes_on = forms.DateField(
        label=_("Answers accepted until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The personal links work until the end of this day."),
    )
    introduction = forms.CharField(
        label=_("Message to the actors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the invitation e-mail and at the top of the answer page."),
    )
    scope = forms.ChoiceField(
        label=_("Actors surveyed"), choices=SCOPE_CHOICES, widget=forms.RadioSelect, initial="all"
    )
    query = forms.CharField(
        label=_("Search of the directory"),
        required=False,
        max_length=2000,
        help_text=_(
            "For a search: filter the public directory, then paste its address here "
            "(or what follows the “?”), e.g. college=associative&departement=31."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            year = timezone.localdate().year - 1
            self.initial.setdefault("year", year)

    def clean_query(self) -> str:
        query = self.cleaned_data["query"].strip()
        if "?" in query or query.startswith(("http://", "https://", "/")):
            query = urlsplit(query).query
        return query

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "filter" and not data.get("query"):
            self.add_error("query", _("Give the search of the directory that chooses the actors."))
        return data

    def selection(self) -> dict[str, str]:
        return {"scope": self.cleaned_data["scope"], "query": self.cleaned_data.get("query", "")}


class AmountField(forms.DecimalField):
    """An amount in euros as people type it: « 12 500,50 », « 12500.50 € »."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€]", "", value)
        return super().to_python(value)


class AnswerForm(forms.ModelForm):
    """An organisation's answer: its public profile (confirmed or corrected) and its figures of
    the year. The profile fields are those of the directory, with their own validation."""

    international_budget = AmountField(
        label=_("International budget of the year (€)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("What your organisation spent on international action during the year, in euros."),
    )
    staff_count = forms.IntegerField(
        label=_("Staff working on international action"),
        required=False,
        min_value=0,
        help_text=_("People employed, full-time or part-time."),
    )
    volunteer_count = forms.IntegerField(label=_("Volunteers involved"), required=False, min_value=0)
    awareness_actions = forms.IntegerField(
        label=_("Awareness-raising actions in the region"),
        required=False,
        min_value=0,
        help_text=_("Events, workshops, school visits… held during the year."),
    )
    comment = forms.CharField(
        label=_("Comment for the staff"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS

    FIGURES = ("international_budget", "staff_count", "volunteer_count", "awareness_actions", "comment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].label = _("Employees (range)")
        self.fields["volunteers"].label = _("Volunteers (range)")

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROFILE_FIELDS]

    def figure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FIGURES]

    def _post_clean(self) -> None:
        """The instance is not changed here: the answer goes through the survey's service."""

    def answer(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "profile": {name: data[name] for name in PROFILE_FIELDS},
            "international_budget": data.get("international_budget"),
            "staff": data.get("staff_count"),
            "volunteers": data.get("volunteer_count"),
            "awareness_actions": data.get("awareness_actions"),
            "comment": data.get("comment", ""),
        }
