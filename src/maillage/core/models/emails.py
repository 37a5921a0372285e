"""The outbox: every e-mail is recorded here, then delivered once by a background task."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models.base import TimestampedModel


class OutgoingEmail(TimestampedModel):
    """One e-mail to send, with its text and HTML parts; delivered at most once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(
        _("deduplication key"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Queuing twice with the same key sends one e-mail."),
    )
    from_email = models.CharField(_("sender"), max_length=254)
    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text part"))
    body_html = models.TextField(_("HTML part"))
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True, help_text=_("Files sent with the e-mail (base64).")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.subject
