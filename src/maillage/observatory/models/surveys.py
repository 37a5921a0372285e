"""The yearly survey of actors ("enquête de l'observatoire").

Staff open a campaign for a year and choose the actors; each invited organisation gets a
personal link (a secret token, valid until the campaign's closing date, for that organisation
only) by which its contacts confirm its profile, declare its projects of the year and its key
figures. Closing the campaign freezes a ``Snapshot``: the published figures of the year."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel
from maillage.directory.models import Organisation


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Campaign(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year surveyed"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("message to the actors"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    closes_on = models.DateField(_("answers accepted until"))
    selection = models.JSONField(
        _("actors surveyed"),
        default=dict,
        blank=True,
        help_text=_("How the actors were chosen: all, members, or the filters of the directory."),
    )
    opened_at = models.DateTimeField(_("opened on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ("-year", "-created_at")

    def __str__(self) -> str:
        return self.title


class Invitation(TimestampedModel):
    """One organisation surveyed in a campaign, its personal link and its answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not sent")
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        ANSWERED = "answered", _("Answered")
        VALIDATED = "validated", _("Validated")

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="survey_invitations", verbose_name=_("organisation")
    )
    token = models.CharField(
        _("personal link"), max_length=64, unique=True, default=new_token, editable=False
    )
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened on"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminder on"), null=True, blank=True)
    profile_confirmed_at = models.DateTimeField(_("profile confirmed on"), null=True, blank=True)
    international_budget = models.DecimalField(
        _("international budget of the year (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    staff = models.PositiveIntegerField(_("staff working on international action"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers involved"), null=True, blank=True)
    awareness_actions = models.PositiveIntegerField(
        _("awareness-raising actions in the region"), null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ("organisation__name",)
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="invitation_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organisation}"


class Snapshot(TimestampedModel):
    """The figures of a year, frozen when its campaign closed. Never edited afterwards.

    ``organisations``: per surveyed organisation, its identity (name, collège, département) and
    key figures; ``projects``: the published projects active in the year, flattened (countries,
    sectors, themes, amounts as strings); ``totals``: the sums by collège and département."""

    campaign = models.OneToOneField(
        Campaign, models.PROTECT, related_name="snapshot", verbose_name=_("campaign")
    )
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    organisations = models.JSONField(_("organisations"), default=list)
    projects = models.JSONField(_("projects"), default=list)
    totals = models.JSONField(_("totals"), default=dict)

    class Meta:
        verbose_name = _("yearly snapshot")
        verbose_name_plural = _("yearly snapshots")
        ordering = ("-year",)

    def __str__(self) -> str:
        return str(self.year)
