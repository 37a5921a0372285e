"""Applying for membership (/adhesion/) and completing an application the staff sent back.

Everything an application writes — a new organisation, its representatives, the application —
happens in one transaction: when any step refuses, nothing is left half-written and the form
comes back with the reason."""

from collections.abc import Callable
from itertools import groupby
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.accounts.models import User
from maillage.directory import moderation
from maillage.directory.models import College, Organisation, Person
from maillage.directory.services import person_create
from maillage.membership.forms import (
    ApplicationForm,
    ApplicationUpdateForm,
    ApplyOrganisationForm,
    DeputyForm,
    RepresentativeForm,
)
from maillage.membership.models import SIZE_MEASURE, Application, GoverningDocument, MembershipYear
from maillage.membership.services.applications import application_submit, application_update, document_current

T = TypeVar("T")


class _Refused(Exception):
    """A service refused a step: the form its message belongs to, and the message."""

    def __init__(self, form: forms.BaseForm, error: ValidationError) -> None:
        super().__init__(error)
        self.form, self.error = form, error


def _step(form: forms.BaseForm, call: Callable[[], T]) -> T:
    try:
        return call()
    except ValidationError as error:
        raise _Refused(form, error) from error


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _scale() -> tuple[MembershipYear | None, list[tuple[Any, list[Any]]]]:
    """This year's fee scale, per collège (empty when none is defined)."""
    year = MembershipYear.objects.filter(year=timezone.localdate().year).first()
    if year is None:
        return None, []
    brackets = year.brackets.order_by("college", "size_from")
    tables = [
        (College(college).label, list(rows)) for college, rows in groupby(brackets, lambda b: b.college)
    ]
    return year, tables


def _public_context() -> dict[str, Any]:
    year, scale = _scale()
    statutes = document_current(GoverningDocument.Kind.STATUTES)
    charter = document_current(GoverningDocument.Kind.CHARTER)
    return {
        "colleges": [(College(c).label, SIZE_MEASURE[College(c)].label) for c in College.values],
        "year": year,
        "scale": scale,
        "statutes": statutes,
        "charter": charter,
        "documents": [document for document in (statutes, charter) if document is not None],
    }


def _submit(
    user: User,
    form: ApplicationForm,
    new: ApplyOrganisationForm,
    representative: RepresentativeForm,
    deputy: DeputyForm,
) -> Application:
    """Create what is new, then the application; raise ``_Refused`` (the transaction is undone)."""
    data = form.cleaned_data
    organisation: Organisation | None = data["organisation"]
    if organisation is None:
        organisation = _step(
            new,
            lambda: moderation.organisation_submit_new(
                user=user,
                college=new.cleaned_data["category"].college,
                category=new.cleaned_data["category"],
                **moderation.fields_from_values(new.values()),
            ),
        )
    titulaire = _step(representative, lambda: person_create(**representative.values()))
    suppleant: Person | None = None
    if deputy.given():
        suppleant = _step(deputy, lambda: person_create(**deputy.values()))
    return _step(
        form,
        lambda: application_submit(
            applicant=user,
            organisation=organisation,
            size=data["size"],
            representative=titulaire,
            deputy=suppleant,
            statutes=data["statutes"],
            charter=data["charter"],
            message=data["message"],
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """What membership is, and the application form for a logged-in user."""
    context = _public_context()
    statutes, charter = context["statutes"], context["charter"]
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "membership/apply.html", context)
    if statutes is None or charter is None:  # nothing to accept yet: applications are closed
        return render(request, "membership/apply.html", context)
    user = request.user
    if not user.has_perm("membership.add_application"):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, user=user, statutes=statutes, charter=charter)
    new = ApplyOrganisationForm(data, prefix="new")
    representative = RepresentativeForm(data, prefix="titulaire")
    deputy = DeputyForm(data, prefix="suppleant")
    if data is not None:
        valid = [form.is_valid(), representative.is_valid(), deputy.is_valid()]
        if "organisation" in form.cleaned_data and form.cleaned_data["organisation"] is None:
            valid.append(new.is_valid())
        else:  # an organisation of the directory: the new one's fields are not checked
            new = ApplyOrganisationForm(prefix="new", initial=_unbound(new, data))
        if all(valid):
            try:
                with transaction.atomic():
                    application = _submit(user, form, new, representative, deputy)
            except _Refused as refused:
                _add_errors(refused.form, refused.error)
            else:
                messages.success(
                    request,
                    _(
                        "The application of %(name)s has been sent. The staff will study it and "
                        "tell you their decision by e-mail."
                    )
                    % {"name": application.organisation.name},
                )
                return redirect("membership:space")
    forms_ = [form, new, representative, deputy]
    context |= {
        "form": form,
        "new": new,
        "representative": representative,
        "deputy": deputy,
        "all_forms": forms_,
        "has_errors": any(f.is_bound and f.errors for f in forms_),
    }
    return render(request, "membership/apply.html", context)


def _unbound(form: forms.BaseForm, data: Any) -> dict[str, Any]:
    """What was typed in a form left unchecked, to show it again."""
    return {name: data.get(form.add_prefix(name)) for name in form.fields}


def _person_changed(person: Person | None, form: RepresentativeForm) -> bool:
    values = form.values()
    if person is None:
        return True
    return any(getattr(person, field) != value for field, value in values.items())


def _person_initial(person: Person | None) -> dict[str, str]:
    if person is None:
        return {}
    return {field: getattr(person, field) for field in RepresentativeForm.Meta.fields}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant completes an application the staff sent back; it is submitted again."""
    application = get_object_or_404(
        Application.objects.select_related("organisation", "representative", "deputy"), pk=pk
    )
    if not request.user.has_perm("membership.change_application", application):
        raise PermissionDenied
    if application.status != Application.Status.INCOMPLETE:
        messages.info(request, _("This application is not waiting for more information."))
        return redirect("membership:space")
    user = cast(User, request.user)
    data = request.POST if request.method == "POST" else None
    form = ApplicationUpdateForm(
        data, application=application, initial={"size": application.size, "message": application.message}
    )
    representative = RepresentativeForm(
        data, prefix="titulaire", initial=_person_initial(application.representative)
    )
    deputy = DeputyForm(data, prefix="suppleant", initial=_person_initial(application.deputy))
    if data is not None and all([form.is_valid(), representative.is_valid(), deputy.is_valid()]):
        try:
            with transaction.atomic():
                titulaire = application.representative
                if _person_changed(titulaire, representative):
                    titulaire = _step(representative, lambda: person_create(**representative.values()))
                suppleant = application.deputy if deputy.given() else None
                if deputy.given() and _person_changed(suppleant, deputy):
                    suppleant = _step(deputy, lambda: person_create(**deputy.values()))
                _step(
                    form,
                    lambda: application_update(
                        application=application,
                        by=user,
                        size=form.cleaned_data["size"],
                        representative=titulaire,
                        deputy=suppleant,
                        message=form.cleaned_data["message"].strip(),
                    ),
                )
        except _Refused as refused:
            application.refresh_from_db()
            _add_errors(refused.form, refused.error)
        else:
            messages.success(request, _("Your application has been sent to the staff again."))
            return redirect("membership:space")
    forms_ = [form, representative, deputy]
    context = {
        "application": application,
        "form": form,
        "representative": representative,
        "deputy": deputy,
        "all_forms": forms_,
        "has_errors": any(f.is_bound and f.errors for f in forms_),
    }
    return render(request, "membership/application_edit.html", context)
