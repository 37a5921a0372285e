"""The action log: everything that changes an outcome (opening or closing a vote, changing the
roll, entering counts, signing someone in) — who, when, what. Never holds a ballot's content."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionLog(models.Model):
    assembly = models.ForeignKey(
        "governance.Assembly",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="log",
        verbose_name=_("assembly"),
    )
    vote = models.ForeignKey(
        "governance.Vote", models.PROTECT, null=True, blank=True, related_name="log", verbose_name=_("vote")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=40)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
