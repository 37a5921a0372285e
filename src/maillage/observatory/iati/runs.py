"""The staff's IATI imports in two steps, recorded as ``IatiImport``: the upload is checked
(nothing written; the file waits in the private storage), then committed (the file deleted)."""

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.observatory.iati.importer import IatiOutcome, iati_check, iati_import, imports_purge
from maillage.observatory.models import IatiImport, Project


def _record(run: IatiImport, outcome: IatiOutcome) -> None:
    run.activities = outcome.activities
    run.created, run.updated = outcome.created, outcome.updated
    run.rejected = len(outcome.rejected)
    run.report = [
        {"identifier": r.identifier, "element": r.element, "line": r.line, "reason": r.reason}
        for r in outcome.rejected
    ]
    run.warnings = outcome.warnings
    run.error = outcome.error


def iati_upload(*, user: User, upload: UploadedFile) -> IatiImport:
    """Keep ``upload`` and check it: a run pending (or refused, then without its file)."""
    imports_purge()
    name = PurePath(upload.name or "iati.xml").name[:255]
    run = IatiImport(user=user, file_name=name, size=upload.size or 0)
    run.file.save(name, upload, save=False)
    with run.file.open("rb") as source:
        outcome = iati_check(source)
    _record(run, outcome)
    run.version = outcome.version
    if outcome.error:
        run.status = IatiImport.Status.REFUSED
        run.file.delete(save=False)
    run.save()
    return run


def iati_commit(*, run: IatiImport, user: User, valid_only: bool, publish: bool) -> IatiOutcome:
    """Import the file of a pending run; on success the run is committed and its file deleted."""
    with transaction.atomic():
        run = IatiImport.objects.select_for_update().get(pk=run.pk)
        if run.status != IatiImport.Status.PENDING or not run.file:
            return IatiOutcome(error=_("This file has already been imported or refused."))
        status = Project.Status.PUBLISHED if publish else Project.Status.SUBMITTED
        with run.file.open("rb") as source:
            outcome = iati_import(source, user=user, valid_only=valid_only, status=status)
        _record(run, outcome)
        run.valid_only = valid_only
        if outcome.committed:
            run.status = IatiImport.Status.COMMITTED
            run.committed_at = timezone.now()
            run.user = user
        elif outcome.error:
            run.status = IatiImport.Status.REFUSED
        run.save()
    if run.status != IatiImport.Status.PENDING:
        run.file.delete(save=True)
    return outcome
