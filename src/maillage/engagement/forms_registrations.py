"""Forms of registration: the ticket category, the contact, the organisation, the event's
questions, and the attendees (one line each, up to ten, more lines added without JavaScript by
a submit button)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from maillage.core.money import euros
from maillage.directory.models import Organisation
from maillage.engagement.models import Event, TicketCategory
from maillage.engagement.services_registrations import MAX_ATTENDEES, categories_seats_left

FIRST_LINES = 3  # lines shown at first: one required, two optional


def category_label(category: TicketCategory, left: int | None) -> str:
    price = euros(category.price) if category.price else gettext("free")
    label = f"{category.name} — {price}"
    if category.members_only:
        label += " — " + gettext("member organisations only")
    if left is not None:
        label += " — " + (
            gettext("full: waiting list")
            if left == 0
            else ngettext("%(count)d seat left", "%(count)d seats left", left) % {"count": left}
        )
    return label


class RegistrationForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Ticket category"),
        queryset=TicketCategory.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Prices are per person."),
    )
    email = forms.EmailField(
        label=_("Contact e-mail address"),
        help_text=_("The confirmation, and the links to cancel, are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Optional: the organisation you register for (needed for members-only tickets)."),
    )

    def __init__(self, *args: Any, event: Event, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        categories = list(event.categories.all())
        if categories:
            field = cast(forms.ModelChoiceField, self.fields["category"])
            field.queryset = event.categories.all()
            left = categories_seats_left(event, categories)
            field.label_from_instance = lambda c: category_label(c, left[c.pk])  # type: ignore[method-assign,assignment]
            if len(categories) == 1:
                self.fields["category"].initial = categories[0].pk
        else:
            del self.fields["category"]
        if user.is_authenticated:
            self.fields["email"].initial = user.email
            editable = Organisation.objects.filter(editors=user).order_by("name")
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = editable
        else:
            del self.fields["organisation"]
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.CharField(
                label=question.label, required=question.required, max_length=1000
            )

    def answers(self) -> dict[str, str]:
        return {str(q.pk): self.cleaned_data.get(f"q_{q.pk}", "") for q in self.questions}

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.pk}"] for q in self.questions]


class AttendeeForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)


AttendeeFormSet = forms.formset_factory(
    AttendeeForm, extra=0, min_num=1, max_num=MAX_ATTENDEES, validate_min=True, validate_max=True
)


def attendee_formset(data: Any = None, *, user: Any = None, lines: int = FIRST_LINES) -> Any:
    """The attendees' lines; for a logged-in user the first line is the user."""
    initial = []
    if user is not None and user.is_authenticated:
        initial = [{"first_name": user.first_name, "last_name": user.last_name, "email": user.email}]
    formset = AttendeeFormSet(data, prefix="attendees", initial=initial or None)
    if data is None:
        formset.extra = lines - 1  # min_num (1) + extra lines
    return formset
