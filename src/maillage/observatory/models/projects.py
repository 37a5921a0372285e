"""A project of international cooperation, in the shape of an IATI 2.03 activity.

Codes follow the IATI codelists (``core/data/iati/``): the activity status, the organisation
roles and the transaction types are choices here; sectors, regions and document categories are
kept as codes (with their vocabulary) so that a code withdrawn from a codelist is kept, and
flagged in ``iati_warnings``, rather than lost. Amounts are ``Decimal`` with their currency."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from maillage.core.models import Sdg, SdgTarget, Theme, TimestampedModel
from maillage.directory.models import Organisation

PERCENTAGE = {
    "max_digits": 5,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}
AMOUNT = {"max_digits": 16, "decimal_places": 2}


class ActivityStatus(models.IntegerChoices):
    """IATI codelist ActivityStatus."""

    PIPELINE = 1, _("Identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, _("Closed")
    CANCELLED = 5, _("Cancelled")
    SUSPENDED = 6, _("Suspended")


class OrganisationRole(models.IntegerChoices):
    """IATI codelist OrganisationRole."""

    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class TransactionType(models.IntegerChoices):
    """IATI codelist TransactionType (forms offer the first four)."""

    INCOMING_FUNDS = 1, _("Incoming funds")
    COMMITMENT = 2, _("Outgoing commitment")
    DISBURSEMENT = 3, _("Disbursement")
    EXPENDITURE = 4, _("Expenditure")
    INTEREST_PAYMENT = 5, _("Interest payment")
    LOAN_REPAYMENT = 6, _("Loan repayment")
    REIMBURSEMENT = 7, _("Reimbursement")
    PURCHASE_OF_EQUITY = 8, _("Purchase of equity")
    SALE_OF_EQUITY = 9, _("Sale of equity")
    CREDIT_GUARANTEE = 10, _("Credit guarantee")
    INCOMING_COMMITMENT = 11, _("Incoming commitment")
    OUTGOING_PLEDGE = 12, _("Outgoing pledge")
    INCOMING_PLEDGE = 13, _("Incoming pledge")


class Project(TimestampedModel):
    """An IATI activity: who does what, where, with whom and with which money."""

    class Status(models.TextChoices):
        """Where the record stands in the staff's validation (not the activity's own status)."""

        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for validation")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Provenance(models.TextChoices):
        MANUAL = "manual", _("Entered in Maillage")
        SURVEY = "survey", _("Yearly survey")
        IMPORT = "import", _("Spreadsheet import")
        IATI = "iati", _("IATI file")

    iati_identifier = models.CharField(
        _("IATI identifier"),
        max_length=150,
        blank=True,
        help_text=_("The activity's iati-identifier, if it has one."),
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language of the title and description"), max_length=8, default="fr")
    narratives = models.JSONField(
        _("title and description in other languages"),
        default=dict,
        blank=True,
        help_text=_('{"title": {"en": "…"}, "description": {"en": "…"}}'),
    )
    reporting_organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="reported_projects",
        verbose_name=_("reporting organisation"),
    )
    organisations: "models.ManyToManyField[Organisation, Participation]" = models.ManyToManyField(
        Organisation,
        through="Participation",
        related_name="projects",
        verbose_name=_("participating organisations"),
    )
    activity_status = models.PositiveSmallIntegerField(
        _("activity status"),
        choices=ActivityStatus.choices,
        default=ActivityStatus.IMPLEMENTATION,
        null=True,
        blank=True,
        help_text=_("Empty only when an imported file gave a code outside the IATI codelist."),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    default_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers involved"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(Sdg, blank=True, related_name="projects", verbose_name=_("SDGs"))
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="projects", verbose_name=_("SDG targets")
    )
    provenance = models.CharField(
        _("provenance"), max_length=8, choices=Provenance.choices, default=Provenance.MANUAL
    )
    status = models.CharField(_("validation"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason sent back to the organisation"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)
    campaign = models.ForeignKey(
        "observatory.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("declared in the survey"),
    )
    iati_last_updated = models.DateTimeField(_("last updated in its IATI file"), null=True, blank=True)
    iati_warnings = models.JSONField(
        _("IATI warnings"),
        default=list,
        blank=True,
        help_text=_("Codes missing from the IATI codelists when the project was imported."),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[themes, sdgs, sdg_targets], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ("-planned_start", "title")
        indexes = [models.Index(fields=["status", "activity_status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="project_unique_iati_identifier",
                violation_error_message=_("Another project has this IATI identifier."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="project_planned_end_after_start",
                violation_error_message=_("The planned end comes before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="project_actual_end_after_start",
                violation_error_message=_("The actual end comes before the actual start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def start(self):  # type: ignore[no-untyped-def]
        return self.actual_start or self.planned_start

    @property
    def end(self):  # type: ignore[no-untyped-def]
        return self.actual_end or self.planned_end


class Participation(models.Model):
    """An organisation of the directory taking part in a project, in an IATI role."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="participations", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="project_roles", verbose_name=_("organisation")
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=OrganisationRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        ordering = ("role", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"],
                name="participation_unique",
                violation_error_message=_("This organisation already has this role in the project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class RecipientCountry(models.Model):
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="recipient_countries", verbose_name=_("project")
    )
    country = CountryField(_("country"))
    percentage = models.DecimalField(_("percentage"), **PERCENTAGE)  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")
        ordering = ("-percentage", "country")
        constraints = [
            models.UniqueConstraint(fields=["project", "country"], name="recipient_country_unique")
        ]

    def __str__(self) -> str:
        return str(self.country.name)


class RecipientRegion(models.Model):
    """A region of the IATI Region codelist (vocabulary 1, OECD DAC) or another vocabulary."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="recipient_regions", verbose_name=_("project")
    )
    vocabulary = models.CharField(_("vocabulary"), max_length=4, default="1")
    code = models.CharField(_("code"), max_length=100)
    percentage = models.DecimalField(_("percentage"), **PERCENTAGE)  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("recipient region")
        verbose_name_plural = _("recipient regions")
        ordering = ("-percentage", "code")
        constraints = [
            models.UniqueConstraint(fields=["project", "vocabulary", "code"], name="recipient_region_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Location(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="locations", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=255)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    admin_vocabulary = models.CharField(_("administrative vocabulary"), max_length=4, blank=True)
    admin_level = models.PositiveSmallIntegerField(_("administrative level"), null=True, blank=True)
    admin_code = models.CharField(_("administrative code"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.name


class ProjectSector(models.Model):
    """A sector: vocabulary 1 is the OECD DAC CRS 5-digit purpose code (``core.DacSector``)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="sectors", verbose_name=_("project"))
    vocabulary = models.CharField(_("vocabulary"), max_length=4, default="1")
    code = models.CharField(_("code"), max_length=100)
    percentage = models.DecimalField(_("percentage"), **PERCENTAGE)  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ("vocabulary", "-percentage", "code")
        constraints = [
            models.UniqueConstraint(fields=["project", "vocabulary", "code"], name="project_sector_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Budget(models.Model):
    class Kind(models.IntegerChoices):
        ORIGINAL = 1, _("Original")
        REVISED = 2, _("Revised")

    class State(models.IntegerChoices):
        INDICATIVE = 1, _("Indicative")
        COMMITTED = 2, _("Committed")

    project = models.ForeignKey(Project, models.CASCADE, related_name="budgets", verbose_name=_("project"))
    kind = models.PositiveSmallIntegerField(_("type"), choices=Kind.choices, default=Kind.ORIGINAL)
    state = models.PositiveSmallIntegerField(_("status"), choices=State.choices, default=State.INDICATIVE)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("amount"), **AMOUNT)  # type: ignore[arg-type]
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    value_date = models.DateField(_("value date"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ("period_start", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="budget_period_end_after_start",
                violation_error_message=_("The budget period ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y}: {self.value} {self.currency}"


class Transaction(models.Model):
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="transactions", verbose_name=_("project")
    )
    kind = models.PositiveSmallIntegerField(_("type"), choices=TransactionType.choices)
    date = models.DateField(_("date"))
    value = models.DecimalField(_("amount"), **AMOUNT)  # type: ignore[arg-type]
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    value_date = models.DateField(_("value date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    provider = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("provider")
    )
    provider_name = models.CharField(_("provider (name)"), max_length=300, blank=True)
    receiver = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("receiver")
    )
    receiver_name = models.CharField(_("receiver (name)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}: {self.value} {self.currency}"


class DocumentLink(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="documents", verbose_name=_("project"))
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(
        _("category"), max_length=4, blank=True, help_text=_("IATI DocumentCategory code")
    )
    format = models.CharField(_("format"), max_length=100, default="text/html")
    language = models.CharField(_("language"), max_length=8, blank=True)
    document_date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("document or link")
        verbose_name_plural = _("documents and links")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.title
