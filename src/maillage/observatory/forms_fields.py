"""The typed fields of the project form: an organisation of the directory (by name, acronym,
SIREN or label, homonyms told apart by their commune or country) and a country (by name or ISO
code). Both are text fields with suggestions (``<datalist>``), which work without JavaScript and
spare the page a list of thousands of options on each row."""

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from maillage.core.models.reference import search_key
from maillage.directory.models import Organisation
from maillage.directory.search import text_search


def organisation_label(organisation: Organisation) -> str:
    """How an organisation is written in the form: its name, with its commune (or its country,
    abroad) in brackets, so that two homonyms can be told apart."""
    where = organisation.commune.name if organisation.commune_id else organisation.country.name  # type: ignore[union-attr]
    return f"{organisation.name} ({where})" if where else organisation.name


def organisations_matching(query: str, *, also: Organisation | None = None) -> list[Organisation]:
    """The published organisations (and ``also``, whatever its status) that ``query`` names: by
    SIREN, by name or acronym (accents and case aside), by label (``organisation_label``). Empty
    when none is named exactly."""
    text = query.strip()
    queryset = Organisation.objects.filter(
        Q(status=Organisation.Status.PUBLISHED) | Q(pk=also.pk if also else None)
    ).select_related("commune")
    digits = re.sub(r"\s", "", text)
    if re.fullmatch(r"\d{9}", digits):
        return list(queryset.filter(siren=digits)[:7])
    name = text.split(" (")[0].strip()
    candidates = text_search(queryset, name).order_by("name", "pk")[:50]
    key, label_key = search_key(name), search_key(text)
    named = [o for o in candidates if key in (search_key(o.name), search_key(o.acronym))]
    labelled = [o for o in named if search_key(organisation_label(o)) == label_key]
    return labelled or named


def organisations_suggested(query: str, limit: int = 6) -> list[Organisation]:
    """Published organisations whose name contains the words of ``query`` (to suggest them)."""
    published = Organisation.objects.filter(status=Organisation.Status.PUBLISHED)
    return list(text_search(published.select_related("commune"), query).order_by("name")[:limit])


class OrganisationField(forms.CharField):
    """An organisation of the directory, typed. ``clean`` gives the ``Organisation`` (or None
    when empty); ``free_text=True`` gives the typed text back when no organisation matches
    (the provider or receiver of a transaction need not be in the directory)."""

    def __init__(self, *, free_text: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("As the directory lists it: its name, acronym or SIREN."))
        super().__init__(**kwargs)
        self.free_text = free_text
        self.also: Organisation | None = None
        self.widget.attrs.update({"autocomplete": "off", "list": "observatory-organisations"})

    def prepare_value(self, value: Any) -> Any:
        return organisation_label(value) if isinstance(value, Organisation) else value

    def clean(self, value: Any) -> Organisation | str | None:
        text = super().clean(value)
        if not text:
            return None
        found = organisations_matching(text, also=self.also)
        if len(found) == 1:
            return found[0]
        if self.free_text and not found:
            return text
        if found:
            names = "; ".join(organisation_label(o) for o in found[:6])
            raise forms.ValidationError(
                _("Several organisations match: %(names)s. Write the one you mean as shown here.")
                % {"names": names}
            )
        suggestions = organisations_suggested(text)
        if suggestions:
            names = "; ".join(organisation_label(o) for o in suggestions)
            raise forms.ValidationError(
                _("No organisation of the directory is called “%(query)s”. Did you mean: %(names)s?")
                % {"query": text, "names": names}
            )
        raise forms.ValidationError(
            _(
                "No organisation of the directory is called “%(query)s”. If it is missing, ask "
                "the staff to add it to the directory."
            )
            % {"query": text}
        )


def country_code(text: str) -> str | None:
    """The ISO 3166 code of a country named in French or English, or given by its code."""
    if text.upper() in dict(countries):
        return text.upper()
    key = search_key(text)
    for code, name in countries:
        if search_key(str(name)) == key:
            return str(code)
    with translation.override("en"):
        for code, name in countries:
            if search_key(str(name)) == key:
                return str(code)
    return None


def country_name(code: str) -> str:
    return str(countries.name(code)) or code
