"""Reference data shared by every app: French territories, the UN Sustainable Development Goals,
the OECD DAC sectors and the network's thesaurus of cooperation themes.

Territories and codelists come from public sources and are loaded (and reloaded) by
``maillage load_reference`` (see ``maillage.core.reference``); they are read-only in the
administration. Themes are seeded from ``core/data/themes.json`` and then belong to the
administrators, who edit them with a change history."""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models.base import TimestampedModel

# Letters that do not decompose to ASCII, and the typographic apostrophes (« l’eau » → "l eau").
_EXTRA_LETTERS = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ß": "ss",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "\u2019": " ",
        "\u2018": " ",
        "\u02bc": " ",
    }
)
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """``text`` lower-cased, without accents or punctuation: "L'Haÿ-les-Roses" → "l hay les roses".

    Communes are stored with this key so that a prefix search is accent- and case-insensitive
    and can use a plain index on SQLite and PostgreSQL alike. Letters outside the Latin
    alphabet are dropped."""
    ascii_text = unicodedata.normalize("NFKD", text.lower().translate(_EXTRA_LETTERS)).encode(
        "ascii", "ignore"
    )
    return _NOT_ALPHANUMERIC.sub(" ", ascii_text.decode("ascii")).strip()


def active_language() -> str:
    """The two-letter code of the active language (the site's default outside a request)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


class LocalizedNameModel(TimestampedModel):
    """A model named in French and English (``name_fr``, ``name_en``): ``name``, and ``__str__``,
    give the name in the active language, falling back to French. (An abstract model rather than
    a mixin, so that migrations do not depend on it.)"""

    class Meta:
        abstract = True

    def localized(self, field: str) -> str:
        value = getattr(self, f"{field}_{active_language()}", "")
        return str(value or getattr(self, f"{field}_fr", ""))

    @property
    def name(self) -> str:
        return self.localized("name")

    def __str__(self) -> str:
        return self.name


class Zone(models.TextChoices):
    """Where a région or a département lies (the ``zone`` of the INSEE geography)."""

    METROPOLITAN = "metro", _("Metropolitan France")
    OVERSEAS_DEPARTMENT = "drom", _("Overseas department and region")
    OVERSEAS_COLLECTIVITY = "com", _("Overseas collectivity")


class Region(TimestampedModel):
    """A French région (or an overseas collectivity, which the INSEE geography treats as one)."""

    code = models.CharField(_("INSEE code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Departement(TimestampedModel):
    """A French département (or overseas collectivity), in one région."""

    code = models.CharField(_("INSEE code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("region")
    )
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(TimestampedModel):
    """A current French commune, with its municipal population, postal codes and a point inside it.

    ``search_name`` and ``postal_codes`` are indexed for an autocomplete by name prefix or
    postal-code prefix (see ``maillage.core.selectors.communes_matching``)."""

    code = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(
        _("search key"),
        max_length=100,
        db_index=True,
        help_text=_("The name in lower case, without accents or punctuation."),
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="communes", verbose_name=_("département")
    )
    population = models.PositiveIntegerField(_("municipal population"), null=True, blank=True)
    postal_codes = models.CharField(
        _("postal codes"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Separated by spaces; the first one is the main postal code."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ("name", "code")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__range=(-90, 90), longitude__range=(-180, 180)),
                name="core_commune_point_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()

    @property
    def postal_town(self) -> str:
        """The main postal code and the name, as on an envelope."""
        return " ".join([*self.postal_code_list[:1], self.name])


class Sdg(LocalizedNameModel):
    """One of the 17 UN Sustainable Development Goals (ODD in French)."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    class Meta:
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        ordering = ("number",)
        constraints = [
            models.CheckConstraint(condition=models.Q(number__range=(1, 17)), name="core_sdg_number_1_17"),
        ]


class SdgTarget(LocalizedNameModel):
    """A target of a Sustainable Development Goal ("6.1", "6.a"…)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    goal = models.ForeignKey(Sdg, on_delete=models.PROTECT, related_name="targets", verbose_name=_("goal"))
    name_fr = models.TextField(_("name (French)"))
    name_en = models.TextField(_("name (English)"))
    position = models.PositiveSmallIntegerField(_("position"), help_text=_("The order of the UN list."))

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ("position",)


class DacCategory(LocalizedNameModel):
    """An OECD DAC sector category (3 digits, IATI ``SectorCategory``), such as 140 “Water supply &
    sanitation”."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("False once withdrawn from the codelist.")
    )

    class Meta:
        verbose_name = _("DAC sector category")
        verbose_name_plural = _("DAC sector categories")
        ordering = ("code",)


class DacSector(LocalizedNameModel):
    """An OECD DAC CRS purpose code (5 digits, IATI ``Sector``), such as 14030 “Basic drinking
    water supply and basic sanitation”."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    category = models.ForeignKey(
        DacCategory, on_delete=models.PROTECT, related_name="sectors", verbose_name=_("category")
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("False once withdrawn from the codelist.")
    )

    class Meta:
        verbose_name = _("DAC sector")
        verbose_name_plural = _("DAC sectors")
        ordering = ("code",)


class Theme(LocalizedNameModel):
    """A theme of the network's thesaurus of international cooperation (water, health, ECSI…),
    mapped to DAC sector categories for the observatory's statistics. Edited by administrators;
    every change is kept in its history."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    dac_categories = models.ManyToManyField(
        DacCategory, blank=True, related_name="themes", verbose_name=_("DAC sector categories")
    )

    history = HistoricalRecords(m2m_fields=[dac_categories])

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ("position", "name_fr")

    @property
    def description(self) -> str:
        return self.localized("description")
