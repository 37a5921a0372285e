"""Forms of the member space and of the staff's member pages."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.directory.models import Person
from maillage.directory.validators import validate_phone
from maillage.membership.models import Membership

ROLES = (("representative", _("Representative (titulaire)")), ("deputy", _("Deputy (suppléant)")))


class RepresentativesForm(forms.Form):
    """The titulaire and the suppléant: someone of the organisation, or a new person."""

    def __init__(
        self, *args: Any, people: QuerySet[Person], initial_people: dict[str, Person | None], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        for role, label in ROLES:
            self.fields[role] = forms.ModelChoiceField(
                label=label,
                queryset=people,
                required=False,
                initial=initial_people.get(role),
                empty_label=_("A new person (fill in below)")
                if role == "representative"
                else _("Nobody, or a new person (fill in below)"),
            )
            self.fields[f"{role}_first_name"] = forms.CharField(
                label=_("First name"), max_length=150, required=False
            )
            self.fields[f"{role}_last_name"] = forms.CharField(
                label=_("Last name"), max_length=150, required=False
            )
            self.fields[f"{role}_email"] = forms.EmailField(label=_("E-mail address"), required=False)
            self.fields[f"{role}_phone"] = forms.CharField(
                label=_("Phone"), max_length=30, required=False, validators=[validate_phone]
            )

    def new_person(self, role: str) -> dict[str, str] | None:
        """The new person's details for a role, or None when someone of the list was chosen."""
        data = self.cleaned_data
        if data.get(role) is not None:
            return None
        details = {
            name: data.get(f"{role}_{name}", "").strip()
            for name in ("first_name", "last_name", "email", "phone")
        }
        return details if details["first_name"] or details["last_name"] else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for role, _label in ROLES:
            if data.get(role) is not None:
                continue
            first, last = data.get(f"{role}_first_name", ""), data.get(f"{role}_last_name", "")
            if role == "representative" and not (first or last):
                self.add_error(role, _("Choose the titulaire, or give the name of a new person."))
            elif (first or last) and not (first and last):
                self.add_error(
                    f"{role}_last_name" if first else f"{role}_first_name",
                    _("Give the first and last names."),
                )
        return data


class MembershipEndForm(forms.Form):
    """Staff record a resignation or a striking off."""

    end = forms.ChoiceField(label=_("Decision"), choices=Membership.End.choices, widget=forms.RadioSelect)
    ended_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    end_reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
