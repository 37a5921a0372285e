"""The directory of actors: organisations of the region in three collèges, partners abroad,
the people who work with them, and the links between the two."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from maillage.core.models import Commune, DacSector, Sdg, Theme, TimestampedModel
from maillage.core.models.reference import LocalizedNameModel
from maillage.directory import validators


class College(models.TextChoices):
    PUBLIC = "public", _("Public bodies")
    ASSOCIATIVE = "associative", _("Associations")
    ECONOMIC = "economic", _("Economic actors")


class Category(LocalizedNameModel):
    """A category of organisation within a collège (association, université, PME…);
    administrators may add categories."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    college = models.CharField(_("collège"), max_length=12, choices=College.choices)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("college", "position", "name_fr")


class Tag(TimestampedModel):
    """A label the staff put on organisations for their own work (« Festisol 2026 »,
    « À relancer »): never shown to the public, never in the public export."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("identifier"), max_length=90, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tag_unique_name",
                violation_error_message=_("A tag with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(TimestampedModel):
    """An actor of international cooperation: a member or not of the network, in the region
    (with a collège and a commune) or abroad (a partner, with a country — none for an
    international organisation such as a multilateral agency)."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional actor")
        PARTNER = "partner", _("Partner abroad")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by the staff")
        SELF = "self", _("Declared by the organisation")
        IMPORT = "import", _("Imported")
        SURVEY = "survey", _("Yearly survey")

    class Staff(models.TextChoices):
        NONE = "0", _("None")
        FEW = "1-5", _("1 to 5")
        SOME = "6-20", _("6 to 20")
        MANY = "21-50", _("21 to 50")
        LOTS = "51+", _("More than 50")

    class Budget(models.TextChoices):
        TINY = "<10k", _("Less than €10,000")
        SMALL = "10k-50k", _("€10,000 to €50,000")
        MEDIUM = "50k-200k", _("€50,000 to €200,000")
        LARGE = "200k-1m", _("€200,000 to €1 million")
        HUGE = ">1m", _("More than €1 million")

    LANGUAGES = (
        ("fr", _("French")),
        ("en", _("English")),
        ("es", _("Spanish")),
        ("pt", _("Portuguese")),
        ("ar", _("Arabic")),
        ("wo", _("Wolof")),
        ("mg", _("Malagasy")),
        ("de", _("German")),
        ("it", _("Italian")),
    )

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGIONAL)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("address in the directory"), max_length=220, unique=True)
    college = models.CharField(_("collège"), max_length=12, choices=College.choices, blank=True)
    category = models.ForeignKey(
        Category,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("category"),
    )
    legal_form = models.CharField(_("legal form"), max_length=100, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validators.validate_siren])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validators.validate_siret])
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, validators=[validators.validate_rna])
    iati_identifier = models.CharField(_("IATI organisation identifier"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validators.validate_phone])
    address = models.CharField(_("address"), max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("commune"),
    )
    country = CountryField(
        _("country"),
        default="FR",
        blank=True,
        help_text=_("Empty for an international organisation abroad that has no single country."),
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    logo = models.ImageField(
        _("logo"), upload_to="logos/%Y/", blank=True, validators=[validators.validate_logo_size]
    )
    countries = CountryField(_("countries of intervention"), multiple=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="organisations", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(Sdg, blank=True, related_name="organisations", verbose_name=_("SDGs"))
    dac_sectors = models.ManyToManyField(
        DacSector, blank=True, related_name="organisations", verbose_name=_("DAC sectors")
    )
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    staff = models.CharField(_("employees"), max_length=8, choices=Staff.choices, blank=True)
    volunteers = models.CharField(_("volunteers"), max_length=8, choices=Staff.choices, blank=True)
    budget = models.CharField(_("annual budget"), max_length=10, choices=Budget.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("data source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_organisations",
        verbose_name=_("editors"),
        help_text=_("The accounts that may edit this organisation's profile."),
    )
    # Staff labels: for the back office only (see Tag).
    tags = models.ManyToManyField(Tag, blank=True, related_name="organisations", verbose_name=_("tags"))
    # Kept by the membership's services (the directory does not know the membership's rules).
    is_member = models.BooleanField(_("member of the network"), default=False, editable=False, db_index=True)
    # Name, acronym, commune and description folded (lower case, no accents): what the search
    # reads, indexed on PostgreSQL (see directory.search). Derived: set by the services.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[themes, sdgs, dac_sectors, tags], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["kind", "status", "college"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="regional") & ~Q(college="")) | (Q(kind="partner") & Q(college="")),
                name="organisation_college_iff_regional",
                violation_error_message=_(
                    "A regional actor belongs to a collège; a partner abroad does not."
                ),
            ),
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="organisation_unique_siret",
                violation_error_message=_("Another organisation of the directory has this SIRET number."),
            ),
            models.UniqueConstraint(
                fields=["rna"],
                condition=~Q(rna=""),
                name="organisation_unique_rna",
                violation_error_message=_("Another organisation of the directory has this RNA number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Person(TimestampedModel):
    """Someone who works with organisations of the directory; their contact details are shown
    to the public only with their recorded consent."""

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validators.validate_phone])
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    public_consent_at = models.DateTimeField(_("consent to publication given on"), null=True, blank=True)
    public_consent_wording = models.TextField(_("wording of the consent"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ("last_name", "first_name")
        constraints = [
            models.CheckConstraint(
                condition=Q(public_consent_at__isnull=True) | ~Q(public_consent_wording=""),
                name="person_consent_has_wording",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Affiliation(TimestampedModel):
    """A person's role in an organisation, from a date and possibly until another."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal", _("Legal representative")
        REPRESENTATIVE = "titulaire", _("Representative to the network (titulaire)")
        DEPUTY = "suppleant", _("Deputy representative to the network (suppléant)")
        STAFF = "staff", _("Employee")
        VOLUNTEER = "volunteer", _("Volunteer")
        CONTACT = "contact", _("Contact")

    person = models.ForeignKey(Person, models.CASCADE, related_name="affiliations", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="affiliations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ("organisation", "role", "person")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="affiliation_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation} ({self.get_role_display()})"


# The moderation's models live beside, in their own module (see moderation_models.py).
from maillage.directory.import_models import ImportRun  # noqa: E402, F401
from maillage.directory.moderation_models import Claim, Revision  # noqa: E402, F401
