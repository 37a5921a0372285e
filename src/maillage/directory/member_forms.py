"""Forms of the member space: an organisation's profile as its editors see it, and a claim."""

import re
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Commune, Sdg, Theme
from maillage.core.models.reference import search_key
from maillage.core.selectors import communes_matching
from maillage.directory.models import Category, College, Organisation
from maillage.directory.validators import logo_from_upload


class OrganisationProfileForm(forms.ModelForm):
    """The public profile. The commune is typed (a name or a postal code) so that the form works
    without JavaScript; an ambiguous answer lists the candidates."""

    commune_query = forms.CharField(
        label=_("Commune"),
        max_length=100,
        help_text=_("The name of the commune or its postal code, e.g. “Rodez” or “12000”."),
    )
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Themes")
    )
    sdgs = forms.ModelMultipleChoiceField(
        Sdg.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("SDGs")
    )
    languages = forms.MultipleChoiceField(
        choices=Organisation.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Working languages"),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("A PNG, JPEG or WebP image of 1 MB and 4000 × 4000 pixels at most."),
    )

    class Meta:
        model = Organisation
        fields = (
            "name", "acronym", "legal_form", "siret", "rna", "description", "website", "email", "phone",
            "address", "countries", "year_founded", "staff", "volunteers", "budget",
        )  # fmt: skip

    def __init__(self, *args: Any, has_logo: bool = False, **kwargs: Any) -> None:
        """``has_logo``: the organisation has a logo, or one is proposed: offer to remove it."""
        super().__init__(*args, **kwargs)
        if self.instance.commune_id and not self.is_bound:
            commune = self.instance.commune
            self.initial["commune_query"] = f"{commune.name} ({commune.postal_codes.split()[0]})"
        if has_logo:
            self.fields["remove_logo"] = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_logo(self) -> "ContentFile[bytes] | None":
        """A clean copy of the uploaded image (see ``logo_from_upload``), or None."""
        upload = self.cleaned_data.get("logo")
        return logo_from_upload(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("logo") and data.get("remove_logo"):
            self.add_error("remove_logo", _("Either send a new logo or remove the logo, not both."))
        return data

    def clean_commune_query(self) -> Commune:
        query = self.cleaned_data["commune_query"]
        name = query.split("(")[0].strip()
        postal = next((word for word in re.findall(r"\d{5}", query)), "")
        matches = Commune.objects.select_related("departement")
        if name and not name.isdigit():
            matches = matches.filter(search_name=search_key(name))
            if postal:
                matches = matches.filter(postal_codes__contains=postal)
            found = list(matches[:7])
        else:
            found = list(communes_matching(postal or name, limit=7))
        if not found and name and not name.isdigit():
            found = list(communes_matching(name, limit=7))
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("No commune is called “%(query)s”.") % {"query": query})
        names = ", ".join(f"{commune.name} ({commune.postal_codes.split()[0]})" for commune in found[:6])
        raise forms.ValidationError(
            _("Several communes match: %(names)s. Add the postal code.") % {"names": names}
        )

    def values(self) -> dict[str, Any]:
        """The cleaned values, as the moderation services take them (JSON)."""
        data = self.cleaned_data
        values = {field: data[field] for field in self.Meta.fields if field not in ("countries",)}
        values["countries"] = sorted(data["countries"])
        values["commune"] = data["commune_query"].pk
        values["themes"] = sorted(theme.pk for theme in data["themes"])
        values["sdgs"] = sorted(sdg.pk for sdg in data["sdgs"])
        values["languages"] = sorted(data["languages"])
        return values


class NewOrganisationForm(OrganisationProfileForm):
    college = forms.ChoiceField(choices=College.choices, label=_("Collège"))
    category = forms.ModelChoiceField(Category.objects.filter(active=True), label=_("Category"))


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Your role in this organisation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell the staff who you are, so that they can check it."),
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to send back: say what to change."),
    )
