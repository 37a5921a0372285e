"""Moderation of the directory: an account claims an organisation; an editor proposes changes
to a published profile. Staff decide; the published version stays online meanwhile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for the staff")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")


class Decided(TimestampedModel):
    """Something the staff decide on: approved, or sent back with a comment."""

    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(_("staff comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        abstract = True


class Claim(Decided):
    """An account asks to edit an organisation's profile (its own organisation)."""

    organisation = models.ForeignKey(
        "directory.Organisation", models.CASCADE, related_name="claims", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="organisation_claims",
        verbose_name=_("account"),
    )
    message = models.TextField(_("message to the staff"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim of an organisation")
        verbose_name_plural = _("claims of organisations")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="claim_one_pending_per_user_and_organisation",
                violation_error_message=_("You have already asked to edit this organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class Revision(Decided):
    """Changes an editor proposes to an organisation's profile, applied once approved."""

    organisation = models.ForeignKey(
        "directory.Organisation", models.CASCADE, related_name="revisions", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    proposed = models.JSONField(_("proposed values"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"
