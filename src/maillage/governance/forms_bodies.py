"""Forms of the staff's bodies pages: a new mandate, the end of a mandate, the approval of
minutes. The rules (caps per collège, offices' holders, dates) are the services'; the forms
only narrow the choices to what makes sense."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.directory.models import Organisation, Person
from maillage.governance.models import Body, Office
from maillage.membership.models import Membership


def current_member_organisations() -> QuerySet[Organisation]:
    today = timezone.localdate()
    members = (
        Membership.objects.filter(member_since__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values("organisation")
    )
    return Organisation.objects.filter(pk__in=members).order_by("name")


def people_of(organisation: Organisation | None) -> QuerySet[Person]:
    """The organisation's people with a current affiliation (none without an organisation)."""
    if organisation is None:
        return Person.objects.none()
    today = timezone.localdate()
    return (
        Person.objects.filter(affiliations__organisation=organisation)
        .filter(Q(affiliations__end__isnull=True) | Q(affiliations__end__gt=today))
        .distinct()
        .order_by("last_name", "first_name")
    )


class MemberChoiceForm(forms.Form):
    """The first step, without JavaScript: choose the member, then its person."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Member organisation"), empty_label="—"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = current_member_organisations()  # type: ignore[attr-defined]


class MandateForm(forms.Form):
    body = forms.ModelChoiceField(queryset=Body.objects.all(), label=_("Body"), empty_label="—")
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Member organisation"),
        empty_label="—",
        help_text=_("Only current members can hold a mandate."),
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label=_("Person"),
        empty_label="—",
        help_text=_("A person of the member organisation."),
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.select_related("body"), label=_("Office"), required=False, empty_label="—"
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    co_opted = forms.BooleanField(
        label=_("Co-opted"), required=False, help_text=_("To be ratified by the next general assembly.")
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = current_member_organisations()  # type: ignore[attr-defined]
        self.fields["person"].queryset = people_of(organisation)  # type: ignore[attr-defined]
        if organisation is not None:
            self.fields["person"].help_text = _("A person of %(name)s.") % {"name": organisation.name}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, person = data.get("organisation"), data.get("person")
        if (
            organisation is not None
            and person is not None
            and not people_of(organisation).filter(pk=person.pk).exists()
        ):
            self.add_error("person", _("This person is not one of the member organisation’s people."))
        office = data.get("office")
        if office is not None and data.get("body") is not None and office.body_id != data["body"].pk:
            self.add_error("office", _("This office belongs to another body."))
        return data


class MandateEndForm(forms.Form):
    on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(attrs={"type": "date"}))
    resigned = forms.BooleanField(
        label=_("Resignation"), required=False, help_text=_("Tick when the person resigned.")
    )


class MinutesApproveForm(forms.Form):
    on = forms.DateField(label=_("Approved on"), widget=forms.DateInput(attrs={"type": "date"}))
