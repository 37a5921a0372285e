"""Staff pages require two-factor authentication."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from maillage.core.rules import is_back_office

# Every page under these prefixes is a staff page.
STAFF_PATH_PREFIXES = ("/gestion/", "/admin/")


class StaffMfaMiddleware:
    """A back-office user without a TOTP authenticator is sent to enrol one before reaching
    any staff page (unless the embedded demo relaxed it: MAILLAGE_STAFF_MFA=relaxed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.MAILLAGE_STAFF_MFA == "required"
            and request.path.startswith(STAFF_PATH_PREFIXES)
            and request.user.is_authenticated
            and (request.user.is_staff or is_back_office(request.user))
            and not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _("Staff pages require two-factor authentication. Set up an authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
