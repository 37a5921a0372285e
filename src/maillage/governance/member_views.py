"""A member's side of an assembly (/gouvernance/assemblees/…): the assembly's details, agenda
and documents, and for each organisation the account represents its participation — voting
right (and why not), its answer (attend, excused, proxy), the « Pouvoir » to print, the badge
with the QR code shown at the door.

Who: the editors and current representatives of the member (``governance.answer_participation``
on the participation), and the back office, which reads. Anyone else gets a 403 on the assembly
and a 404 on a participation, so that participations' numbers tell nothing."""

from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillage.accounts.models import User
from maillage.core.pdf import render_pdf
from maillage.governance.forms_assemblies import AnswerForm
from maillage.governance.models import Assembly, Participation
from maillage.governance.services.assemblies import participation_answer
from maillage.membership.selectors import REPRESENTATIVE_ROLES
from maillage.membership.status import organisation_status

ANSWER_PERM = "governance.answer_participation"
READ_PERM = "governance.view_assembly"
ANSWERABLE = (Assembly.State.DRAFT, Assembly.State.CONVENED)


def _represented(assembly: Assembly, user: User) -> list[Participation]:
    """The participations of the organisations the account edits or represents (one query;
    each is confirmed by the permission)."""
    candidates = (
        assembly.participations.filter(
            Q(organisation__editors=user)
            | Q(
                organisation__affiliations__person__user=user,
                organisation__affiliations__role__in=REPRESENTATIVE_ROLES,
                organisation__affiliations__end__isnull=True,
            )
        )
        .distinct()
        .select_related("organisation", "proxy_holder__organisation", "representative")
        .order_by("organisation__name")
    )
    return [p for p in candidates if user.has_perm(ANSWER_PERM, p)]


def _participation(request: HttpRequest, pk: int) -> Participation:
    participation = get_object_or_404(
        Participation.objects.select_related(
            "assembly", "organisation", "proxy_holder__organisation", "representative"
        ),
        pk=pk,
    )
    if not request.user.has_perm(ANSWER_PERM, participation):
        raise Http404
    if participation.assembly.state == Assembly.State.DRAFT and not request.user.has_perm(READ_PERM):
        raise Http404
    return participation


def _card(participation: Participation, form: AnswerForm | None = None) -> dict[str, Any]:
    open_for_answers = participation.assembly.state in ANSWERABLE
    card: dict[str, Any] = {"participation": participation, "open": open_for_answers}
    if not participation.may_vote:
        day = timezone.localdate(participation.assembly.starts_at)
        card["status"] = organisation_status(participation.organisation_id, day).label
    if open_for_answers:
        card["form"] = form or AnswerForm(
            participation=participation,
            initial={"answer": participation.answer or None, "proxy_holder": participation.proxy_holder_id},
        )
    return card


def _render(
    request: HttpRequest, assembly: Assembly, cards: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    context = {"assembly": assembly, "cards": cards, "documents": list(assembly.documents.all())}
    return render(request, "governance/member/assembly.html", context, status=status)


@require_safe
@login_required
def assembly(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = get_object_or_404(Assembly, pk=pk)
    back_office = request.user.has_perm(READ_PERM)
    participations = _represented(assembly, cast(User, request.user))
    if assembly.state == Assembly.State.DRAFT and not back_office:
        participations = []  # in preparation: not yet the members' business
    if not participations and not back_office:
        raise PermissionDenied
    return _render(request, assembly, [_card(p) for p in participations])


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer of one member; the service's refusals are shown on the form, nothing written."""
    participation = _participation(request, pk)
    assembly = participation.assembly
    form = AnswerForm(request.POST, participation=participation)
    if form.is_valid():
        try:
            participation_answer(
                participation=participation,
                answer=form.cleaned_data["answer"],
                proxy_holder=form.cleaned_data.get("proxy_holder"),
                by=cast(User, request.user),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("governance:assembly", assembly.pk)
    others = [p for p in _represented(assembly, cast(User, request.user)) if p.pk != participation.pk]
    cards = [_card(participation, form)] + [_card(p) for p in others]
    return _render(request, assembly, cards, status=400)


@require_safe
@login_required
def proxy_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The « Pouvoir » to sign, only when the member gives its proxy."""
    participation = _participation(request, pk)
    if participation.answer != Participation.Answer.PROXY or participation.proxy_holder is None:
        raise Http404
    context = {
        "participation": participation,
        "assembly": participation.assembly,
        "holder": participation.proxy_holder,
        "today": timezone.localdate(),
    }
    pdf = render_pdf("governance/pdf/proxy.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="pouvoir-{participation.assembly_id}-{participation.pk}.pdf"'
    )
    return response


@require_safe
@login_required
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of the participation's token, to show (or print) at the door."""
    participation = _participation(request, pk)
    label = _("Sign-in QR code of %(member)s") % {"member": participation.organisation.name}
    svg = segno.make(str(participation.token), error="m").svg_inline(scale=8, title=None)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    context = {"participation": participation, "assembly": participation.assembly, "qr": mark_safe(svg)}  # noqa: S308 — segno's SVG, our escaped label
    return render(request, "governance/member/badge.html", context)
