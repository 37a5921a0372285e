"""Background work of the agenda."""

from celery import shared_task

from maillage.engagement import services_registrations


@shared_task
def offers_expire() -> int:
    """Hourly: offers of freed seats past their deadline are cancelled and passed on."""
    return services_registrations.offers_expire()
