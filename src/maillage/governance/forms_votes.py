"""Forms of votes: the staff's new vote (a resolution or an election), candidacies and their
decision, the show-of-hands counts, and the voter's ballot (one per voting right)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.directory.models import Organisation
from maillage.governance.models import Body, Choice, Vote
from maillage.governance.services.bodies import seats_left


class VoteForm(forms.ModelForm):
    """A resolution or an election of an assembly. For an election, the seats default to those
    of the collège not held by continuing mandates (``seats_left``); the view fills them in."""

    class Meta:
        model = Vote
        fields = (
            "kind",
            "title",
            "text",
            "mode",
            "majority",
            "base",
            "blank_counts",
            "abstention_counts",
            "body",
            "college",
            "seats",
            "candidacy_deadline",
        )
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4}),
            "candidacy_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {
            "seats": _("Empty: the seats of the collège not held by continuing mandates."),
            "majority": _("For a resolution."),
            "base": _("For a resolution: what the majority is computed on."),
        }

    def __init__(self, *args: Any, electorate: Body | None = None, **kwargs: Any) -> None:
        """``electorate``: the body that votes (the Grand Conseil electing the Bureau); none for
        a vote of the general assembly."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["body"]).queryset = Body.objects.filter(
            elected_by=electorate
        )
        self.fields["body"].help_text = (
            _("For an election: the body elected by the assembly.")
            if electorate is None
            else _("For an election: the body elected by the %(body)s.") % {"body": electorate.name}
        )
        self.fields["college"].help_text = _("For an election: the collège whose seats are filled.")
        cast(forms.DateTimeField, self.fields["candidacy_deadline"]).input_formats = [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%d/%m/%Y %H:%M",
        ]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        if data.get("seats") is not None and data["seats"] < 1:
            self.add_error("seats", _("At least one seat."))
        if data.get("kind") == Vote.Kind.ELECTION:
            if not data.get("body"):
                self.add_error("body", _("Choose the body elected."))
            capped = data.get("body") is not None and data["body"].seats_per_college is not None
            if capped and not data.get("college"):
                self.add_error("college", _("Choose the collège of the election."))
            if data.get("body") and (data.get("college") or not capped):
                self._check_seats(data)
        else:
            data["body"], data["college"], data["seats"], data["candidacy_deadline"] = None, "", None, None
        return data

    def _check_seats(self, data: dict[str, Any]) -> None:
        """The seats default to those left in the collège; never more than those."""
        left = seats_left(data["body"], data["college"])
        if left is not None and left <= 0:
            self.add_error("college", _("All the seats of this collège are held by continuing mandates."))
        elif data.get("seats") is None:
            if left is None:
                self.add_error("seats", _("This body has no cap per collège: say how many seats are filled."))
            data["seats"] = left
        elif left is not None and data["seats"] > left:
            self.add_error(
                "seats",
                _("Only %(left)s seats of this collège are not held by continuing mandates.")
                % {"left": left},
            )


class CandidacyDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (for a rejection)"), required=False, max_length=2000)


class CandidacyForm(forms.Form):
    """A representative submits their candidacy for one of the members they represent."""

    organisation = forms.ModelChoiceField(label=_("Member represented"), queryset=Organisation.objects.none())
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why you stand, in a few lines: the voters read it with the list of candidates."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class HandCountsForm(forms.Form):
    """One count per choice of the vote (for, against, abstention — or per candidate)."""

    def __init__(self, *args: Any, vote: Vote, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {h.choice_id: h.count for h in vote.hand_counts.all()}
        self.choices = list(vote.choices.all())
        for choice in self.choices:
            self.fields[f"choice_{choice.pk}"] = forms.IntegerField(
                label=choice.label, min_value=0, initial=current.get(choice.pk, 0)
            )

    def counts(self) -> dict[int, int]:
        return {choice.pk: self.cleaned_data[f"choice_{choice.pk}"] for choice in self.choices}


BLANK = "blank"


class BallotForm(forms.Form):
    """The ballot of one voting right: a radio button per answer of a resolution, or up to
    ``seats`` checkboxes of an election. A blank ballot (nothing marked) is allowed."""

    def __init__(self, *args: Any, vote: Vote, choices: list[Choice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.seats = vote.seats or 1
        options = [(str(c.pk), c.label) for c in choices]
        if vote.kind == Vote.Kind.ELECTION:
            self.fields["choice"] = forms.MultipleChoiceField(
                label=_("Your candidates"),
                choices=options,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your answer"),
                choices=[*options, (BLANK, _("Blank ballot"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer (or a blank ballot).")},
            )

    def clean_choice(self) -> Any:
        value = self.cleaned_data["choice"]
        if self.vote.kind == Vote.Kind.ELECTION and len(value) > self.seats:
            raise forms.ValidationError(
                _("Choose at most %(count)s candidates.") % {"count": self.seats}, code="too_many"
            )
        return value

    def choice_ids(self) -> list[int]:
        value = self.cleaned_data["choice"]
        if isinstance(value, str):
            return [] if value == BLANK else [int(value)]
        return [int(v) for v in value]
