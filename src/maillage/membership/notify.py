"""The membership's e-mails: ``membership/email/<template>.txt`` through the core's templated
outbox (``core.emails.email_queue_template``), in the network's language, never sent twice."""

from collections.abc import Sequence
from typing import Any

from maillage.core.emails import email_queue_template


def notify(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    key: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    email_queue_template(
        to=to, template=f"membership/email/{template}.txt", context=context, key=key, attachments=attachments
    )
