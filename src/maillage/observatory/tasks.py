"""Background work of the observatory (Celery tasks; the schedule is in settings)."""

from celery import shared_task


@shared_task
def survey_reminders_send() -> int:
    """Remind the invited organisations that have not answered (owned by the survey helper)."""
    from maillage.observatory.surveys import survey_reminders_send as send

    return send()


@shared_task
def imports_purge() -> int:
    """Delete the imports never committed after ``MAILLAGE_IMPORT_RETENTION_DAYS`` days, and
    their files (IATI files and spreadsheets)."""
    from maillage.observatory.atlas_imports import imports_purge as atlas_purge
    from maillage.observatory.iati.importer import imports_purge as iati_purge

    return iati_purge() + atlas_purge()
