"""Sending e-mail: queue it in the outbox (with a text and an HTML part), deliver it once in
the background. Every e-mail of the platform goes through ``email_queue``."""

import base64
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from maillage.core.models import OutgoingEmail


def email_queue(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    key: str | None = None,
    from_email: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Record an e-mail and deliver it after the transaction commits.

    Without ``html``, the HTML part is the text in the network's e-mail layout. With ``key``,
    queuing the same key again returns the first e-mail and sends nothing more. ``attachments``
    are (file name, content, MIME type), kept with the e-mail until it is delivered; ``headers``
    are added to the message (List-Unsubscribe…)."""
    if html is None:
        context = {"text": text, "subject": subject, "network_name": settings.MAILLAGE_NETWORK_NAME}
        html = render_to_string("core/email/layout.html", context)
    fields = {
        "to": list(to),
        "subject": " ".join(subject.splitlines()),
        "body_text": text,
        "body_html": html,
        "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
        "headers": headers or {},
        "attachments": [
            {"filename": name, "content": base64.b64encode(content).decode(), "mimetype": mimetype}
            for name, content, mimetype in attachments
        ],
    }
    with transaction.atomic():
        if key is None:
            email = OutgoingEmail.objects.create(**fields)
        else:
            email, created = OutgoingEmail.objects.get_or_create(key=key, defaults=fields)
            if not created:
                return email
        from maillage.core.tasks import email_deliver

        email_deliver.delay_on_commit(email.pk)  # type: ignore[attr-defined]
    return email


def email_queue_template(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    key: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> OutgoingEmail | None:
    """Queue the text template ``template``, whose first line is the subject, rendered in
    ``language`` (the network's by default) with the network's name and the site's address in
    its context. Nothing is queued without a recipient."""
    if not to:
        return None
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "network_name": settings.MAILLAGE_NETWORK_NAME,
            "site_url": settings.MAILLAGE_SITE_URL,
            **context,
        }
        subject, _newline, text = render_to_string(template, context).strip().partition("\n")
        return email_queue(
            to=to,
            subject=subject.strip(),
            text=text.strip() + "\n",
            key=key,
            attachments=attachments,
            headers=headers,
        )


def email_deliver(*, email_id: int) -> bool:
    """Send one queued e-mail. Returns False when it was sent (or is being sent) already.

    The conditional update claims the e-mail, so two workers never both send it."""
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]
    ).update(status=OutgoingEmail.Status.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now())
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=email.to,
        headers=email.headers,
    )
    message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    try:
        message.send()
    except Exception as exc:
        email.status = OutgoingEmail.Status.FAILED
        email.last_error = f"{type(exc).__name__}: {exc}"
        email.save(update_fields=["status", "last_error", "updated_at"])
        raise
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    return True
