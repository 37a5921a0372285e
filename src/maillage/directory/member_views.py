"""The member space of the directory: my organisations, adding one, claiming one, editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.directory import moderation
from maillage.directory.member_forms import ClaimForm, NewOrganisationForm, OrganisationProfileForm
from maillage.directory.models import Organisation
from maillage.directory.moderation_models import Decision


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    organisations = request.user.edited_organisations.prefetch_related("revisions").order_by("name")  # type: ignore[union-attr]
    rows = [
        (organisation, next((r for r in organisation.revisions.all() if r.status == Decision.PENDING), None))
        for organisation in organisations
    ]
    claims = request.user.organisation_claims.select_related("organisation")  # type: ignore[union-attr]
    return render(request, "directory/member/index.html", {"rows": rows, "claims": claims})


def _apply_errors(form: OrganisationProfileForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@login_required
def create(request: HttpRequest) -> HttpResponse:
    form = NewOrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = moderation.fields_from_values(form.values())
        if form.cleaned_data["logo"]:  # a record nobody sees before the staff: the logo goes in
            fields["logo"] = form.cleaned_data["logo"]
        try:
            moderation.organisation_submit_new(
                user=request.user,  # type: ignore[arg-type]
                college=form.cleaned_data["college"],
                category=form.cleaned_data["category"],
                **fields,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your organisation has been sent to the staff, who will publish it."))
            return redirect("directory_member:index")
    return render(request, "directory/member/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug, status=Organisation.Status.PUBLISHED)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.claim_submit(
                organisation=organisation,
                user=request.user,  # type: ignore[arg-type]
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your request has been sent to the staff."))
            return redirect("directory_member:index")
    return render(request, "directory/member/claim.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("directory.change_organisation", organisation):
        raise PermissionDenied
    initial = {
        "themes": list(organisation.themes.all()),
        "sdgs": list(organisation.sdgs.all()),
        "languages": organisation.languages,
    }
    pending = organisation.revisions.filter(status=Decision.PENDING).first()
    pending_logo = pending.proposed.get("logo") if pending else None  # None: no logo proposed
    form = OrganisationProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=Organisation.objects.get(pk=organisation.pk),
        initial=initial,
        has_logo=bool(organisation.logo or pending_logo),
    )
    if request.method == "POST" and form.is_valid():
        try:
            revision = moderation.organisation_propose(
                organisation=organisation,
                author=request.user,  # type: ignore[arg-type]
                values=form.values(),
                logo=form.cleaned_data["logo"],
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if revision is None:
                messages.success(request, _("The profile has been saved."))
            else:
                messages.success(
                    request,
                    _("Your changes were sent to the staff; the published profile stays online meanwhile."),
                )
            return redirect("directory_member:index")
    context = {
        "form": form,
        "organisation": organisation,
        "pending_logo": pending_logo,
        "pending_logo_url": default_storage.url(pending_logo) if pending_logo else None,
    }
    return render(request, "directory/member/edit.html", context)
