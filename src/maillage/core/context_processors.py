from typing import Any

from django.conf import settings
from django.http import HttpRequest

from maillage.core.navigation import main_navigation


def network(request: HttpRequest) -> dict[str, Any]:
    """The network's identity, the main navigation and the platform's mode, for the shell."""
    return {
        "network_name": settings.MAILLAGE_NETWORK_NAME,
        "network_logo": settings.MAILLAGE_LOGO,
        "network_contact_email": settings.MAILLAGE_CONTACT_EMAIL,
        "main_navigation": main_navigation(request.path),
        "staff_mfa_relaxed": settings.MAILLAGE_STAFF_MFA == "relaxed",
    }
