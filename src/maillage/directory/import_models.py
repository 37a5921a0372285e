"""The record of each import of organisations: who, when, which file, what it did. The rows read
from the file wait here (JSON) between the steps of the import, never on disk."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimestampedModel


class BaseImportRun(TimestampedModel):
    """One import of a CSV or XLSX file, from its upload to its commit (organisations here,
    projects in the observatory).

    ``rows`` holds the file's cells until the commit, then is emptied (the people's contact
    details need not stay twice in the database); ``report`` keeps the outcome of each row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not imported yet")
        COMMITTED = "committed", _("Imported")

    file_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    headers = models.JSONField(_("column headers"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    mapping = models.JSONField(_("columns mapping"), default=dict, blank=True)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    report = models.JSONField(_("report"), default=list, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    committed_at = models.DateTimeField(_("imported on"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.file_name


class ImportRun(BaseImportRun):
    """One import of a CSV or XLSX file of organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisation_imports",
        verbose_name=_("imported by"),
    )

    class Meta(BaseImportRun.Meta):
        verbose_name = _("import of organisations")
        verbose_name_plural = _("imports of organisations")
