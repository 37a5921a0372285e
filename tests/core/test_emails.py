"""The outbox: every e-mail has a text and an HTML part, goes out after commit, and only once."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core import mail

from maillage.core.emails import email_deliver, email_queue
from maillage.core.models import OutgoingEmail


class _Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on the loopback, and the platform configured to use it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def test_an_email_reaches_a_real_smtp_server_with_text_and_html_parts(
    db, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = email_queue(
            to=["awa@example.org"], subject="Bienvenue", text="Bonjour Awa,\nhttps://exemple.fr/a"
        )

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["To"] == "awa@example.org"
    assert received.get_content_type() == "multipart/alternative"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode() for part in received.get_payload()
    }
    assert "Bonjour Awa," in parts["text/plain"]
    assert '<a href="https://exemple.fr/a"' in parts["text/html"]
    queued.refresh_from_db()
    assert queued.status == OutgoingEmail.Status.SENT and queued.sent_at is not None


def test_nothing_is_sent_before_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_queue(to=["awa@example.org"], subject="Rappel", text="Texte")
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_same_key_or_a_second_delivery_never_sends_twice(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = email_queue(to=["awa@example.org"], subject="Appel", text="Texte", key="dues-call:2026:42")
        again = email_queue(to=["awa@example.org"], subject="Appel", text="Texte", key="dues-call:2026:42")
    assert again.pk == first.pk
    assert email_deliver(email_id=first.pk) is False  # already sent
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.count() == 1


def test_a_failed_delivery_is_recorded_then_retried(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    queued = email_queue(to=["awa@example.org"], subject="Sujet", text="Texte")
    with pytest.raises(OSError):
        email_deliver(email_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == OutgoingEmail.Status.FAILED
    assert "ConnectionRefusedError" in queued.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_deliver(email_id=queued.pk) is True
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == (OutgoingEmail.Status.SENT, 2, "")
    assert len(mail.outbox) == 1
