"""Background tasks of the core. Tasks take ids, call services and are idempotent."""

import smtplib
import socket

from celery import shared_task

from maillage.core import emails


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def email_deliver(email_id: int) -> bool:
    return emails.email_deliver(email_id=email_id)


@shared_task
def ping() -> dict[str, str]:
    """Answer from whichever worker runs it: used to check that workers consume the queue."""
    return {"pong": socket.gethostname()}
