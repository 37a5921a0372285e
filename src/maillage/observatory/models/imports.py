"""The record of each import of projects: an IATI file, or a spreadsheet in the Atlas layout."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimestampedModel
from maillage.core.storage import private_storage
from maillage.directory.import_models import BaseImportRun


class IatiImport(TimestampedModel):
    """One IATI activity file, from its upload (validated, nothing written) to its commit.

    The file waits in the private storage between the two steps and is deleted at the commit.
    ``report`` lists each rejected activity: ``{"identifier", "element", "line", "reason"}``;
    ``warnings`` the codes missing from a codelist, which do not prevent the import."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Checked, not imported yet")
        REFUSED = "refused", _("Refused")
        COMMITTED = "committed", _("Imported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="iati_imports",
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), storage=private_storage, upload_to="observatory/iati/", blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    version = models.CharField(_("IATI version"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("reason of the refusal"), blank=True)
    valid_only = models.BooleanField(_("valid activities only"), default=False)
    activities = models.PositiveIntegerField(_("activities in the file"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    report = models.JSONField(_("rejected activities"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    committed_at = models.DateTimeField(_("imported on"), null=True, blank=True)

    class Meta:
        verbose_name = _("IATI import")
        verbose_name_plural = _("IATI imports")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.file_name


class ProjectImportRun(BaseImportRun):
    """One import of a CSV or XLSX file of projects in the layout of the decentralised
    cooperation Atlas."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_imports",
        verbose_name=_("imported by"),
    )

    class Meta(BaseImportRun.Meta):
        verbose_name = _("import of projects")
        verbose_name_plural = _("imports of projects")
