"""PDF documents (calls for payment, receipts, minutes, certificates) rendered by WeasyPrint
from HTML templates that extend ``core/pdf/base.html``."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF of a template; the network's name is in every document's context."""
    from weasyprint import HTML  # imported when needed: it takes a while and most processes never do

    html = render_to_string(template_name, {"network_name": settings.MAILLAGE_NETWORK_NAME, **context})
    pdf: bytes = HTML(string=html).write_pdf()  # without a target: the bytes
    return pdf
