"""Background work of the membership: calls for payment, reminders, receipts."""

from celery import shared_task

from maillage.membership.services import dues, payments


@shared_task
def dues_calls_send(dues_ids: list[int]) -> int:
    return sum(dues.dues_call_send(dues_id=dues_id) for dues_id in dues_ids)


@shared_task
def reminders_send() -> int:
    return dues.reminders_send()


@shared_task
def receipt_send(receipt_id: int) -> None:
    payments.receipt_send(receipt_id=receipt_id)
