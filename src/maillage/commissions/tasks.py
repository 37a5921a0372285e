"""Background work of the commissions: e-mails about new messages, and the digests (daily and
weekly, settings.CELERY_BEAT_SCHEDULE). Tasks take ids or nothing and are idempotent."""

from celery import shared_task

from maillage.commissions import services_threads


@shared_task
def post_notify(post_id: int) -> int:
    """E-mail a new message to those who want it at once or are mentioned in it."""
    return services_threads.post_notify(post_id=post_id)


@shared_task
def digests_send(frequency: str) -> int:
    """Send the ``daily`` or ``weekly`` digests; a second run in the same period sends nothing."""
    return services_threads.digests_send(frequency=frequency)
