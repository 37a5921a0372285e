"""Template tags of the observatory: an organisation's published projects (on its directory
profile), amounts in their currency, and the names of IATI codes.

    {% load observatory %}
    {% organisation_projects organisation %}
    {{ budget.value|money:budget.currency }}   « 45 000,00 € », « 1 200,00 USD »
    {{ region.code|iati_name:"Region" }}       « Sud du Sahara, régional »"""

import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django import template
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode

from maillage.core.models.reference import active_language
from maillage.core.money import euros
from maillage.directory.models import Organisation
from maillage.observatory.models import Participation, Project

register = template.Library()

CODELISTS = Path(__file__).resolve().parents[2] / "core" / "data" / "iati"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SHOWN = 5


@register.filter
def money(value: Decimal | None, currency: str = "EUR") -> str:
    """An amount in the active language's format: euros with « € », other currencies with their
    ISO 4217 code."""
    if value is None:
        return ""
    if (currency or "EUR") == "EUR":
        return euros(value)
    amount = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{amount}\N{NO-BREAK SPACE}{currency}"


@lru_cache(maxsize=16)
def _codelist(name: str) -> dict[str, dict[str, str]]:
    """The names of the items of an IATI codelist, by code and language (read once)."""
    names: dict[str, dict[str, str]] = {}
    root = ET.parse(CODELISTS / f"{name}.xml").getroot()  # noqa: S314 — our own files
    for item in root.iterfind("./codelist-items/codelist-item"):
        code = (item.findtext("code") or "").strip()
        for narrative in item.iterfind("./name/narrative"):
            language = narrative.get(XML_LANG, "en")
            names.setdefault(code, {}).setdefault(language, " ".join((narrative.text or "").split()))
    return names


@register.filter
def iati_name(code: Any, codelist: str) -> str:
    """The name of ``code`` in an IATI ``codelist`` (in French when the codelist has it), or the
    code itself when it is not in the list."""
    if not codelist.isalnum():
        return str(code)
    try:
        names = _codelist(codelist).get(str(code), {})
    except (OSError, ET.ParseError):
        return str(code)
    return names.get(active_language()) or names.get("en") or str(code)


@register.inclusion_tag("observatory/_organisation_projects.html")
def organisation_projects(organisation: Organisation) -> dict[str, Any]:
    """The published projects ``organisation`` reports or takes part in: the first few, their
    number, and a link to all of them in the list. Two queries."""
    taking_part = Participation.objects.filter(organisation=organisation).values("project_id")
    projects = Project.objects.filter(
        Q(reporting_organisation=organisation) | Q(pk__in=taking_part), status=Project.Status.PUBLISHED
    ).order_by(F("planned_start").desc(nulls_last=True), "title", "pk")
    shown = list(projects[: SHOWN + 1])
    count = len(shown) if len(shown) <= SHOWN else projects.count()
    return {
        "projects": shown[:SHOWN],
        "count": count,
        "all_url": f"{reverse('observatory:projects')}?{urlencode({'organisation': organisation.slug})}",
        "organisation": organisation,
        "reports": any(project.reporting_organisation_id == organisation.pk for project in shown),
    }
