"""The membership's e-mails: a text template rendered in the network's language (the HTML part
is the text in the e-mail layout), queued in the outbox with a key so it is never sent twice."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from maillage.core.emails import email_queue


def notify(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    key: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Queue ``membership/email/<template>.txt`` (first line: the subject) to ``to``."""
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "network_name": settings.MAILLAGE_NETWORK_NAME,
            "site_url": settings.MAILLAGE_SITE_URL,
            **context,
        }
        subject, _, text = (
            render_to_string(f"membership/email/{template}.txt", context).strip().partition("\n")
        )
        email_queue(to=to, subject=subject, text=text.strip() + "\n", key=key, attachments=attachments)
