"""Events and trainings: a public agenda of events co-organised by member organisations,
registrations with capacity (per ticket category) and a waiting list, check-in, advice sessions
booked by project holders, trainings with attendance per half-day, certificates and feedback.

Money is ``Decimal`` in euros. Seats are counted in attendees, not in registrations (a
registration may be for several people of one organisation)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel

MONEY = {"max_digits": 10, "decimal_places": 2}  # for forms and expressions on amounts


class Event(TimestampedModel):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        CONFERENCE = "conference", _("Conference")
        FESTIVAL = "festival", _("Festival")
        MEETING = "meeting", _("Meeting")
        ADVICE = "advice", _("Advice session")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for publication")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(_("address in the agenda"), max_length=220, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    commune = models.ForeignKey(
        "core.Commune", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    online_url = models.URLField(_("online link"), blank=True)
    themes = models.ManyToManyField("core.Theme", blank=True, related_name="events", verbose_name=_("themes"))
    organisers = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="events", verbose_name=_("co-organisers")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    registration = models.BooleanField(_("registration required"), default=True)
    registration_closes_at = models.DateTimeField(_("registrations close at"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed seat"), default=48, validators=[MinValueValidator(1)]
    )
    # Trainings
    duration_hours = models.DecimalField(
        _("duration (hours)"), null=True, blank=True, max_digits=10, decimal_places=2
    )
    objectives = models.TextField(_("objectives"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    history = HistoricalRecords(m2m_fields=[themes, organisers])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("starts_at", "pk")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TicketCategory(models.Model):
    """A category of seats (members / non-members…), with its own capacity and price."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="categories", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    members_only = models.BooleanField(_("for members of the network only"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    price = models.DecimalField(
        _("price (€)"), default=0, validators=[MinValueValidator(0)], max_digits=10, decimal_places=2
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        ordering = ("event", "position", "pk")

    def __str__(self) -> str:
        return f"{self.event} — {self.name}"


class Question(models.Model):
    """A question asked at registration (diet, accessibility needs…)."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="questions", verbose_name=_("event"))
    label = models.CharField(_("question"), max_length=250)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ("event", "position", "pk")

    def __str__(self) -> str:
        return self.label


class Registration(TimestampedModel):
    """One registration: for one person, or several people of one organisation. Confirmed, on
    the waiting list (in order of arrival), offered a freed seat until a deadline, or cancelled."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Seat offered")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.CONFIRMED, Status.OFFERED)  # these hold seats

    event = models.ForeignKey(Event, models.PROTECT, related_name="registrations", verbose_name=_("event"))
    category = models.ForeignKey(
        TicketCategory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("ticket category"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    offered_until = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    amount = models.DecimalField(_("amount due (€)"), default=0, max_digits=10, decimal_places=2)
    token = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("event", "created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_address",
                violation_error_message=_("This address is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offered_until__isnull=False),
                name="registration_offer_has_a_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.event}"


class Attendee(models.Model):
    """A person a registration brings: the seats counted, the people checked in."""

    registration = models.ForeignKey(
        Registration, models.CASCADE, related_name="attendees", verbose_name=_("registration")
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    feedback_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ("registration", "last_name", "first_name")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class HalfDay(models.Model):
    """A half-day of a training, for attendance."""

    class Period(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")

    event = models.ForeignKey(Event, models.CASCADE, related_name="half_days", verbose_name=_("training"))
    date = models.DateField(_("date"))
    period = models.CharField(_("half-day"), max_length=2, choices=Period.choices)
    hours = models.DecimalField(_("hours"), default=3.5, max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("half-day")
        verbose_name_plural = _("half-days")
        ordering = ("event", "date", "period")
        constraints = [models.UniqueConstraint(fields=["event", "date", "period"], name="half_day_once")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_period_display()}"


class Attendance(models.Model):
    half_day = models.ForeignKey(
        HalfDay, models.CASCADE, related_name="attendances", verbose_name=_("half-day")
    )
    attendee = models.ForeignKey(
        Attendee, models.CASCADE, related_name="attendances", verbose_name=_("attendee")
    )
    present = models.BooleanField(_("present"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["half_day", "attendee"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.attendee} — {self.half_day}"


class Feedback(models.Model):
    """A trainee's answer to the satisfaction questionnaire (once per attendee)."""

    attendee = models.OneToOneField(
        Attendee, models.CASCADE, related_name="feedback", verbose_name=_("attendee")
    )
    overall = models.PositiveSmallIntegerField(
        _("overall satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    content = models.PositiveSmallIntegerField(
        _("content"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    trainer = models.PositiveSmallIntegerField(
        _("trainer"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    organisation = models.PositiveSmallIntegerField(
        _("organisation"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return str(self.attendee)


class AdviceSlot(TimestampedModel):
    """A slot with a staff member (a permanence, a stop of the tour of the départements) that a
    project holder books."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="advice_slots", verbose_name=_("adviser")
    )
    event = models.ForeignKey(
        Event, models.CASCADE, null=True, blank=True, related_name="slots", verbose_name=_("advice session")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_bookings",
        verbose_name=_("booked by"),
    )
    topic = models.TextField(_("project and questions"), blank=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advice slot")
        verbose_name_plural = _("advice slots")
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.adviser} {self.starts_at:%Y-%m-%d %H:%M}"
