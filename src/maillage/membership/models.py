"""Membership of organisations: applications, membership years with their fee scales, dues,
payments and their receipts. Members are organisations, never people.

Money is ``Decimal`` in euros. Nothing here is deleted: a payment is cancelled by a credit note,
a membership ends by a recorded decision, and the statuses are computed (``status.py``)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel
from maillage.core.storage import private_storage
from maillage.directory.models import College

MONEY = {"max_digits": 12, "decimal_places": 2}  # for forms and expressions on amounts


class SizeMeasure(models.TextChoices):
    """What the fee scale of each collège is computed from."""

    POPULATION = "population", _("population")
    BUDGET = "budget", _("annual budget (€)")
    STAFF = "staff", _("number of employees")


SIZE_MEASURE = {
    College.PUBLIC: SizeMeasure.POPULATION,
    College.ASSOCIATIVE: SizeMeasure.BUDGET,
    College.ECONOMIC: SizeMeasure.STAFF,
}


class GoverningDocument(TimestampedModel):
    """A version of the statutes or of the charter, which an applicant accepts."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", _("Statutes")
        CHARTER = "charter", _("Charter")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    in_force_from = models.DateField(_("in force from"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("governing document")
        verbose_name_plural = _("governing documents")
        ordering = ("kind", "-in_force_from")
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="document_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Application(TimestampedModel):
    """An organisation asks to become a member; staff decide, the Bureau may ratify."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INCOMPLETE = "incomplete", _("More information asked")
        APPROVED = "approved", _("Approved, awaiting ratification")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    OPEN = (Status.SUBMITTED, Status.INCOMPLETE, Status.APPROVED)

    organisation = models.ForeignKey(
        "directory.Organisation", models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("applicant")
    )
    college = models.CharField(_("collège"), max_length=12, choices=College.choices)
    size = models.DecimalField(
        _("size figure"), validators=[MinValueValidator(0)], max_digits=12, decimal_places=2
    )
    representative = models.ForeignKey(
        "directory.Person", models.PROTECT, related_name="+", verbose_name=_("representative (titulaire)")
    )
    deputy = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy representative (suppléant)"),
    )
    statutes = models.ForeignKey(
        GoverningDocument, models.PROTECT, related_name="+", verbose_name=_("statutes accepted")
    )
    charter = models.ForeignKey(
        GoverningDocument, models.PROTECT, related_name="+", verbose_name=_("charter accepted")
    )
    message = models.TextField(_("message to the staff"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(_("staff comment or reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["submitted", "incomplete", "approved"]),
                name="application_one_open_per_organisation",
                violation_error_message=_(
                    "This organisation has already applied; the application is being reviewed."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"


class Membership(TimestampedModel):
    """An organisation is a member from a date, until a recorded decision ends it."""

    class End(models.TextChoices):
        RESIGNED = "resigned", _("Resigned")
        STRUCK_OFF = "struck_off", _("Struck off")

    organisation = models.ForeignKey(
        "directory.Organisation", models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    application = models.OneToOneField(
        Application,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="membership",
        verbose_name=_("application"),
    )
    college = models.CharField(_("collège"), max_length=12, choices=College.choices)
    size = models.DecimalField(
        _("size figure"), validators=[MinValueValidator(0)], max_digits=12, decimal_places=2
    )
    member_since = models.DateField(_("member since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end = models.CharField(_("end"), max_length=10, choices=End.choices, blank=True)
    end_reason = models.TextField(_("reason for the end"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("organisation__name",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_per_organisation",
                violation_error_message=_("This organisation is already a member."),
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end="")) | (Q(ended_on__isnull=False) & ~Q(end="")),
                name="membership_end_has_a_kind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class MembershipYear(TimestampedModel):
    """A membership year (a calendar year by default) with its fee scale. A closed year takes
    no more payments (the accounts of that year are closed)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    call_launched_at = models.DateTimeField(_("dues call launched on"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership year")
        verbose_name_plural = _("membership years")
        ordering = ("-year",)

    def __str__(self) -> str:
        return str(self.year)


class FeeBracket(models.Model):
    """One line of a year's fee scale: for a collège, the fee of the organisations whose size
    figure is at least ``size_from`` and below ``size_to`` (no upper bound when empty)."""

    year = models.ForeignKey(MembershipYear, models.CASCADE, related_name="brackets", verbose_name=_("year"))
    college = models.CharField(_("collège"), max_length=12, choices=College.choices)
    size_from = models.DecimalField(
        _("from"), validators=[MinValueValidator(0)], max_digits=12, decimal_places=2
    )
    size_to = models.DecimalField(
        _("up to (excluded)"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    amount = models.DecimalField(
        _("fee (€)"), validators=[MinValueValidator(0)], max_digits=12, decimal_places=2
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee bracket")
        verbose_name_plural = _("fee brackets")
        ordering = ("year", "college", "size_from")
        constraints = [
            models.UniqueConstraint(fields=["year", "college", "size_from"], name="bracket_unique_start"),
            models.CheckConstraint(
                condition=Q(size_to__isnull=True) | Q(size_to__gt=models.F("size_from")),
                name="bracket_bounds_in_order",
                violation_error_message=_("The upper bound must be above the lower bound."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bracket_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_college_display()} ≥ {self.size_from}: {self.amount} €"


class Dues(TimestampedModel):
    """What a member owes for a year: the fee of the scale, or an amount staff set with a reason."""

    membership = models.ForeignKey(
        Membership, models.PROTECT, related_name="dues", verbose_name=_("membership")
    )
    year = models.ForeignKey(MembershipYear, models.PROTECT, related_name="dues", verbose_name=_("year"))
    scale_amount = models.DecimalField(_("fee of the scale (€)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(
        _("amount due (€)"), validators=[MinValueValidator(0)], max_digits=12, decimal_places=2
    )
    override_reason = models.TextField(_("reason for the amount set by hand"), blank=True)
    called_at = models.DateTimeField(_("call sent on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dues of a year")
        verbose_name_plural = _("dues")
        ordering = ("-year__year", "membership__organisation__name")
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="dues_one_per_member_and_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dues_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount=models.F("scale_amount")) | ~Q(override_reason=""),
                name="dues_override_has_a_reason",
                violation_error_message=_("Give the reason for an amount that differs from the scale."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} — {self.year}"


class Reminder(models.Model):
    """A reminder of unpaid dues, sent once per offset (days after the call)."""

    dues = models.ForeignKey(Dues, models.CASCADE, related_name="reminders", verbose_name=_("dues"))
    offset_days = models.PositiveSmallIntegerField(_("days after the call"))
    sent_at = models.DateTimeField(_("sent on"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["dues", "offset_days"], name="reminder_once_per_offset")
        ]

    def __str__(self) -> str:
        return f"{self.dues} +{self.offset_days}"


class Payment(TimestampedModel):
    """Money received for dues (positive), or a credit note cancelling a payment or refunding an
    overpayment (negative). Never changed nor deleted once recorded."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        CHEQUE = "cheque", _("Cheque")
        CASH = "cash", _("Cash")
        CARD = "card", _("Card")
        HELLOASSO = "helloasso", _("HelloAsso")

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CANCELLATION = "cancellation", _("Cancellation (credit note)")
        REFUND = "refund", _("Refund of an overpayment")

    dues = models.ForeignKey(Dues, models.PROTECT, related_name="payments", verbose_name=_("dues"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PAYMENT)
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    received_on = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    source_key = models.CharField(
        _("imported line"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Fingerprint of the bank or HelloAsso line this payment comes from."),
    )
    cancels = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelled_by",
        verbose_name=_("cancels"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Empty for a payment imported by a background task."),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("-received_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="payment") & Q(amount__gt=0)) | (~Q(kind="payment") & Q(amount__lt=0)),
                name="payment_sign_follows_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="cancellation", cancels__isnull=False)
                | (~Q(kind="cancellation") & Q(cancels__isnull=True)),
                name="payment_cancellation_names_its_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} € — {self.dues}"


class ReceiptSequence(models.Model):
    """The last receipt number given in a year; its row lock serialises the numbering."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Receipt(models.Model):
    """The receipt of a payment (or the credit note of a cancellation), numbered per year
    without gaps. What it says is frozen when issued; so is its PDF, once rendered."""

    payment = models.OneToOneField(Payment, models.PROTECT, related_name="receipt", verbose_name=_("payment"))
    year = models.PositiveSmallIntegerField(_("year of issue"))
    number = models.PositiveIntegerField(_("number"))
    issued_at = models.DateTimeField(_("issued on"), auto_now_add=True)
    organisation_name = models.CharField(_("organisation"), max_length=300)
    address = models.TextField(_("address"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="receipts/%Y/", storage=private_storage, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ("-year", "-number")
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="receipt_unique_number")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year}-{self.number:05d}"


ZERO = Decimal("0.00")
