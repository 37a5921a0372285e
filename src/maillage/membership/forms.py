"""Forms of applying for membership (the organisation, its size figure, its representatives, the
documents it accepts) and of the staff's decisions on an application.

A new organisation is described with the directory's own form (``NewOrganisationForm``, cut
down to what an application needs), so that its rules — the commune typed by name or postal
code, SIRET and RNA numbers — stay in one place."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.directory.member_forms import NewOrganisationForm
from maillage.directory.models import College, Organisation, Person
from maillage.membership.models import MONEY, SIZE_MEASURE, Application, GoverningDocument

SIZE_HELP = _(
    "The fee scale of each collège depends on it: the population for a public body, the annual "
    "budget in euros for an association, the number of employees for a company."
)


def size_label(college: str | None) -> str:
    """What the size figure is for this collège, as a field label."""
    if college in College.values:
        return capfirst(str(SIZE_MEASURE[College(college)].label))
    return str(_("Size figure"))


def size_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Size figure"),
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        help_text=SIZE_HELP,
        localize=True,
    )


def message_field() -> forms.CharField:
    return forms.CharField(
        label=_("Message to the staff"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ApplyOrganisationForm(NewOrganisationForm):
    """A new organisation: its name, category (which gives its collège) and commune; the rest of
    its profile is completed later in the member space of the directory."""

    class Meta(NewOrganisationForm.Meta):
        fields = ("name", "acronym", "siret", "rna", "website", "email", "address")  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("college", "themes", "sdgs", "languages", "logo"):
            del self.fields[name]
        self.order_fields(["name", "acronym", "category", "commune_query"])
        category = self.fields["category"]
        category.label_from_instance = lambda item: f"{item} ({item.get_college_display()})"  # type: ignore[attr-defined]
        category.help_text = _("Its collège follows from it.")

    def values(self) -> dict[str, Any]:
        """The cleaned values, as ``moderation.fields_from_values`` takes them."""
        values = {field: self.cleaned_data[field] for field in self.Meta.fields}
        values["commune"] = self.cleaned_data["commune_query"].pk
        return values


class RepresentativeForm(forms.ModelForm):
    """A representative of the organisation, recorded as a person of the directory."""

    class Meta:
        model = Person
        fields = ("first_name", "last_name", "email", "phone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def values(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field].strip() for field in self.Meta.fields}


class DeputyForm(RepresentativeForm):
    """The suppléant: optional, but a name when anything is given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(field) for field in self.Meta.fields):
            for field in ("first_name", "last_name"):
                if not data.get(field):
                    self.add_error(field, _("Give the suppléant’s first and last names, or leave all blank."))
        return data

    def given(self) -> bool:
        return any(self.cleaned_data.get(field) for field in self.Meta.fields)


def organisations_for(user: User) -> tuple[list[Organisation], list[Organisation]]:
    """Those the user may apply for: the regional organisations they edit, then the other
    published regional organisations of the directory that are not members."""
    regional = Organisation.objects.filter(kind=Organisation.Kind.REGIONAL).only(
        "pk", "name", "acronym", "college"
    )
    edited = list(regional.filter(editors=user).order_by("name"))
    others = list(
        regional.filter(status=Organisation.Status.PUBLISHED, is_member=False)
        .exclude(Q(pk__in=[organisation.pk for organisation in edited]))
        .order_by("name")
    )
    return edited, others


class ApplicationForm(forms.Form):
    """The application itself; the organisation is one the user edits, one of the directory,
    or a new one (left empty here, described in ``ApplyOrganisationForm``)."""

    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "An organisation you edit, or one of the directory (the staff will check that you "
            "represent it). Leave empty to add a new organisation below."
        ),
    )
    size = size_field()
    statutes = forms.ModelChoiceField(GoverningDocument.objects.all(), widget=forms.HiddenInput)
    charter = forms.ModelChoiceField(GoverningDocument.objects.all(), widget=forms.HiddenInput)
    accept_statutes = forms.BooleanField(
        label=_("I have read and accept the statutes"),
        error_messages={"required": _("Accept the statutes to apply.")},
    )
    accept_charter = forms.BooleanField(
        label=_("I have read and accept the charter"),
        error_messages={"required": _("Accept the charter to apply.")},
    )
    message = message_field()

    def __init__(
        self, *args: Any, user: User, statutes: GoverningDocument, charter: GoverningDocument, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        edited, others = organisations_for(user)
        self.organisations = {organisation.pk: organisation for organisation in (*edited, *others)}
        choices: list[Any] = [("", _("— A new organisation (described below) —"))]
        if edited:
            choices.append((_("Organisations you edit"), [(o.pk, str(o)) for o in edited]))
        if others:
            choices.append((_("Other organisations of the directory"), [(o.pk, str(o)) for o in others]))
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
        self.initial.setdefault("statutes", statutes.pk)
        self.initial.setdefault("charter", charter.pk)
        self.fields["accept_statutes"].label = _("I have read and accept the statutes (%(version)s)") % {
            "version": statutes.version
        }
        self.fields["accept_charter"].label = _("I have read and accept the charter (%(version)s)") % {
            "version": charter.version
        }
        chosen_pk = self._chosen_pk()
        chosen = self.organisations.get(chosen_pk) if chosen_pk is not None else None
        if chosen is not None:  # shown again after an error: the measure of its collège
            self.fields["size"].label = size_label(chosen.college)

    def _chosen_pk(self) -> int | None:
        value = self.data.get(self.add_prefix("organisation")) if self.is_bound else None
        return int(value) if value and str(value).isdigit() else None

    def clean_organisation(self) -> Organisation | None:
        pk = self.cleaned_data["organisation"]
        return None if pk is None else self.organisations[pk]


class ApplicationUpdateForm(forms.Form):
    """What the applicant may change when the staff asked for more information."""

    size = size_field()
    message = message_field()

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["size"].label = size_label(application.college)
        self.fields["size"].help_text = ""


class DecisionForm(forms.Form):
    """A staff decision on an application; the comment is required to send it back or refuse."""

    reason = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to ask for more information (say what is missing) and to refuse (the reason)."),
    )
