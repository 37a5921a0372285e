"""Background tasks of the directory. Tasks take ids or nothing, call services and are idempotent."""

from celery import shared_task

from maillage.directory.imports import import_purge


@shared_task
def imports_purge() -> int:
    """Delete the imports never committed past their retention (see ``imports.import_purge``),
    daily (settings.CELERY_BEAT_SCHEDULE). Returns how many were deleted."""
    return import_purge()
