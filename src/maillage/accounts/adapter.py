"""allauth adapter: its e-mails go through the outbox, in the background, in two parts."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives

from maillage.core.emails import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = None
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(body) for body, mime in message.alternatives if mime == "text/html"), None)
        if message.content_subtype == "html":  # allauth found only an HTML template
            html, text = str(message.body), ""
        else:
            text = str(message.body)
        email_queue(to=message.to, subject=message.subject, text=text, html=html)
