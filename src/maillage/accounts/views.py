"""Pages of one's own account."""

import copy

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.accounts import services
from maillage.accounts.forms import EraseAccountForm, ProfileForm
from maillage.core.privacy import personal_data_erase, personal_data_export


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    # A copy of the user, so that an invalid form leaves the page header untouched.
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def personal_data(request: HttpRequest) -> HttpResponse:
    """The page that explains what we hold; ``?format=json`` downloads it all."""
    if request.GET.get("format") == "json":
        response = JsonResponse(
            personal_data_export(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-maillage.json"'
        return response
    return render(request, "accounts/personal_data.html")


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request: HttpRequest) -> HttpResponse:
    form = EraseAccountForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        user = request.user
        personal_data_erase(user)
        logout(request)
        messages.success(request, _("Your account and your personal data have been erased."))
        return redirect("core:home")
    return render(request, "accounts/erase.html", {"form": form})
