"""Forms of the agenda: proposing an event (members' editors), editing one (staff) with its
ticket categories and questions as inline formsets (extra empty rows: no JavaScript needed)."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Commune, Theme
from maillage.core.models.reference import search_key
from maillage.directory.models import Organisation
from maillage.engagement.models import Event, Question, TicketCategory

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def commune_label(commune: Commune) -> str:
    return f"{commune.name} ({commune.postal_codes.split()[0] if commune.postal_codes else commune.code})"


class EventForm(forms.ModelForm):
    """What a proposer and the staff both fill in. The commune is typed (a name, with the
    postal code if needed, or the INSEE code) so that the form works without JavaScript."""

    commune_query = forms.CharField(
        label=_("Commune"),
        max_length=100,
        required=False,
        help_text=_(
            "The name of the commune or its postal code, e.g. “Rodez” or “12000”. Empty if online only."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Themes")
    )

    class Meta:
        model = Event
        fields: tuple[str, ...] = (
            "title", "kind", "summary", "description", "programme", "accessibility", "starts_at", "ends_at",
            "place", "online_url", "themes", "organisers",
        )  # fmt: skip
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        if self.instance.commune_id and not self.is_bound:
            self.initial["commune_query"] = commune_label(self.instance.commune)

    def clean_commune_query(self) -> Commune | None:
        query = self.cleaned_data["commune_query"].strip()
        if not query:
            return None
        name = query.split("(")[0].strip()
        postal = next(iter(re.findall(r"\d{5}", query)), "")
        communes = Commune.objects.all()
        if name.isdigit():
            found = list(communes.filter(code=name)[:2]) or list(
                communes.filter(postal_codes__contains=name)[:7]
            )
        else:
            found = list(communes.filter(search_name=search_key(name))[:7])
            if postal and len(found) > 1:
                found = [commune for commune in found if postal in commune.postal_codes]
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("No commune is called “%(query)s”.") % {"query": query})
        names = ", ".join(commune_label(commune) for commune in found[:6])
        raise forms.ValidationError(
            _("Several communes match: %(names)s. Add the postal code.") % {"names": names}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("commune_query") and not data.get("online_url") and not data.get("place"):
            self.add_error("place", _("Give a place, a commune or an online link."))
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned values, as the services take them."""
        data = dict(self.cleaned_data)
        data["commune"] = data.pop("commune_query")
        return data


class ProposeForm(EventForm):
    """A member's editor proposes an event, co-organised by organisations they edit."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisers"]
        field.queryset = Organisation.objects.filter(editors=user).order_by("name")  # type: ignore[attr-defined]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)  # type: ignore[attr-defined]
        field.required = True
        field.label = _("Organised by")


class StaffEventForm(EventForm):
    """Everything of an event but its status (see the moderation) and its calendar revision."""

    class Meta(EventForm.Meta):
        fields: tuple[str, ...] = (
            *EventForm.Meta.fields, "registration", "registration_closes_at", "capacity", "offer_hours",
            "duration_hours", "objectives", "trainer",
        )  # fmt: skip
        widgets = {**EventForm.Meta.widgets, "registration_closes_at": DATETIME}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration_closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        field = self.fields["organisers"]
        field.queryset = Organisation.objects.filter(is_member=True).order_by("name")  # type: ignore[attr-defined]
        field.help_text = _("Member organisations; hold Ctrl to choose several.")


CategoryFormSet: Any = forms.inlineformset_factory(
    Event,
    TicketCategory,
    fields=("name", "members_only", "capacity", "price", "position"),
    extra=2,
    can_delete=True,
)
QuestionFormSet: Any = forms.inlineformset_factory(
    Event, Question, fields=("label", "required", "position"), extra=2, can_delete=True
)


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("publish", _("Publish")), ("send_back", _("Send back to the proposer"))),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the proposer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to send back: say what should be changed."),
    )
