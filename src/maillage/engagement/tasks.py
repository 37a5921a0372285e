"""Background work of the agenda."""

from celery import shared_task

from maillage.engagement import services_registrations, services_trainings


@shared_task
def offers_expire() -> int:
    """Hourly: offers of freed seats past their deadline are cancelled and passed on."""
    return services_registrations.offers_expire()


@shared_task
def feedback_requests_send() -> int:
    """Daily: the satisfaction questionnaires of the trainings just over (each sent once)."""
    return services_trainings.feedback_requests_due()
