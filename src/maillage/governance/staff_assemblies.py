"""Staff pages of the general assemblies (under /gestion/gouvernance/assemblees/): the list,
preparation, convocation, the roll, the state's buttons, the door's sign-in sheet, the
projector's live quorum and the action log.

The back office and the elected read (``governance.view_assembly``); the team acts
(``governance.manage_assembly``). Every write goes through services.assemblies, which logs it;
a refused action shows the service's message and writes nothing."""

import uuid
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.accounts.models import User
from maillage.core.exports import export_response
from maillage.core.models.reference import search_key
from maillage.core.permissions import permission_required
from maillage.directory.search import MAX_WORDS
from maillage.governance.forms_assemblies import (
    AssemblyFilterForm,
    AssemblyForm,
    DocumentForm,
    DoorTokenForm,
    SecondConvocationForm,
)
from maillage.governance.models import ActionLog, Assembly, AssemblyDocument, Participation, Vote
from maillage.governance.services import assemblies as services
from maillage.membership.models import Membership

READ_PERM = "governance.view_assembly"
MANAGE_PERM = "governance.manage_assembly"
LOG_PERM = "governance.view_log"
PER_PAGE = 30
LOG_PER_PAGE = 100
DOOR_RESULTS = 20


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, str(message))


# --- List and creation -----------------------------------------------------------------------------


@require_safe
@permission_required(READ_PERM)
def assembly_list(request: HttpRequest) -> HttpResponse:
    form = AssemblyFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    when = data.get("when") or "upcoming"
    assemblies = Assembly.objects.annotate(members=Count("participations"))
    today_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if when == "upcoming":
        assemblies = assemblies.filter(starts_at__gte=today_start).order_by("starts_at")
    elif when == "past":
        assemblies = assemblies.filter(starts_at__lt=today_start).order_by("-starts_at")
    else:
        assemblies = assemblies.order_by("-starts_at")
    if data.get("state"):
        assemblies = assemblies.filter(state=data["state"])
    if data.get("kind"):
        assemblies = assemblies.filter(kind=data["kind"])
    page = Paginator(assemblies, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "governance/staff/assembly_list.html", {"page": page, "form": form, "when": when})


def _documents_add(assembly: Assembly, uploads: list[Any]) -> None:
    for upload in uploads:
        AssemblyDocument.objects.create(assembly=assembly, title=upload.name.rsplit(".", 1)[0], file=upload)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE_PERM)
def assembly_create(request: HttpRequest) -> HttpResponse:
    form = AssemblyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            assembly = form.save()
            _documents_add(assembly, form.cleaned_data["documents"])
        messages.success(request, _("The assembly is being prepared. Check the roll, then convene it."))
        return redirect("governance_staff:assembly", assembly.pk)
    return render(request, "governance/staff/assembly_form.html", {"form": form})


# --- One assembly ----------------------------------------------------------------------------------


def _roll(assembly: Assembly) -> QuerySet[Participation]:
    """The roll in three queries, whatever its length: participations with their member,
    representative and holder, and the proxies each holds."""
    return (
        assembly.participations.select_related("organisation", "representative", "proxy_holder__organisation")
        .prefetch_related(
            Prefetch(
                "proxies_held",
                queryset=Participation.objects.select_related("organisation").order_by("organisation__name"),
            )
        )
        .order_by("organisation__name")
    )


def _members_count(assembly: Assembly) -> int:
    """Members on the assembly's date: each receives one convocation."""
    day = timezone.localdate(assembly.starts_at)
    return (
        Membership.objects.filter(member_since__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values("organisation")
        .distinct()
        .count()
    )


@require_safe
@permission_required(READ_PERM)
def assembly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = get_object_or_404(Assembly.objects.select_related("second_convocation_of"), pk=pk)
    roll = list(_roll(assembly))
    colleges = dict(Membership._meta.get_field("college").choices or [])
    for participation in roll:
        participation.college_label = colleges.get(participation.college, participation.college)  # type: ignore[attr-defined]
    state = services.quorum(assembly)
    answers = {value: 0 for value, _label in Participation.Answer.choices}
    for participation in roll:
        answers[participation.answer] += 1
    context = {
        "assembly": assembly,
        "roll": roll,
        "quorum": state,
        "answers": [(label, answers[value]) for value, label in Participation.Answer.choices],
        "voting": sum(p.may_vote for p in roll),
        "warning": services.notice_warning(assembly) if assembly.state == Assembly.State.DRAFT else "",
        "documents": list(assembly.documents.all()),
        "votes": list(assembly.votes.order_by("pk")),
        "second_form": SecondConvocationForm(),
        "document_form": DocumentForm(),
        "second": Assembly.objects.filter(second_convocation_of=assembly).first(),
        "may_manage": request.user.has_perm(MANAGE_PERM),
    }
    return render(request, "governance/staff/assembly_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE_PERM)
def convene(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (the notice warning, how many e-mails leave), then the convocation."""
    assembly = get_object_or_404(Assembly, pk=pk)
    if request.method == "POST":
        try:
            warnings = services.assembly_convene(assembly=assembly, by=_user(request))
        except ValidationError as exc:
            _error(request, exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("The convocation is on its way to the members."))
        return redirect("governance_staff:assembly", assembly.pk)
    context = {
        "assembly": assembly,
        "warning": services.notice_warning(assembly),
        "emails": _members_count(assembly),
    }
    return render(request, "governance/staff/assembly_convene.html", context)


@require_POST
@permission_required(MANAGE_PERM)
def assembly_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The buttons of the assembly's page: refresh the roll, open, close, second convocation,
    add documents."""
    assembly = get_object_or_404(Assembly, pk=pk)
    action, by = request.POST.get("action"), _user(request)
    try:
        if action == "refresh":
            rights = services.roll_refresh(assembly=assembly, by=by)
            messages.success(
                request, _("The roll is up to date: %(count)s voting rights.") % {"count": rights}
            )
        elif action == "open":
            services.assembly_open(assembly=assembly, by=by)
            messages.success(request, _("The assembly is in session."))
        elif action == "close":
            services.assembly_close(assembly=assembly, by=by)
            messages.success(request, _("The assembly is closed."))
        elif action == "second":
            form = SecondConvocationForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(request, str(message))
                return redirect("governance_staff:assembly", assembly.pk)
            second = services.second_convocation(
                assembly=assembly, starts_at=form.cleaned_data["starts_at"], by=by
            )
            messages.success(request, _("The second convocation is prepared: check it, then convene it."))
            return redirect("governance_staff:assembly", second.pk)
        elif action == "documents":
            document_form = DocumentForm(request.POST, request.FILES)
            if document_form.is_valid():
                _documents_add(assembly, document_form.cleaned_data["documents"])
                messages.success(request, _("The documents are added."))
            else:
                for errors in document_form.errors.values():
                    for message in errors:
                        messages.error(request, str(message))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("governance_staff:assembly", assembly.pk)


# --- The door --------------------------------------------------------------------------------------


def _door_search(assembly: Assembly, q: str) -> list[Participation]:
    """By the member's name or acronym, the representative's name — or the QR code's token,
    when a scanner typed it into the search field."""
    participations = _roll(assembly)
    try:
        return list(participations.filter(token=uuid.UUID(q)))
    except ValueError:
        pass
    for word in q.split()[:MAX_WORDS]:
        folded = search_key(word)  # "beta" finds « Bêta »: the directory's folded text
        participations = participations.filter(
            Q(organisation__name__icontains=word)
            | (Q(organisation__search_text__contains=f" {folded}") if folded else Q(pk__in=[]))
            | Q(organisation__acronym__icontains=word)
            | Q(representative__first_name__icontains=word)
            | Q(representative__last_name__icontains=word)
        )
    return list(participations[:DOOR_RESULTS])


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE_PERM)
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet at the door: find a member by name or by its QR code's token, sign
    its representative in or out. Works with a scanner typing the token, and without JS."""
    assembly = get_object_or_404(Assembly, pk=pk)
    q = request.GET.get("q", "").strip()[:100]
    token_form = DoorTokenForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "token":
            token_form = DoorTokenForm(request.POST)
            participation = None
            if token_form.is_valid():
                participation = assembly.participations.filter(token=token_form.cleaned_data["token"]).first()
                if participation is None:
                    token_form.add_error("token", _("No member of this assembly has this code."))
            if participation is not None:
                return _door_act(request, assembly, participation, "sign_in")
        elif action in ("sign_in", "sign_out"):
            participation = get_object_or_404(assembly.participations, pk=request.POST.get("participation"))
            return _door_act(request, assembly, participation, action, q=request.POST.get("q", ""))
    results = _door_search(assembly, q) if q else []
    present = list(
        _roll(assembly).filter(arrived_at__isnull=False, left_at__isnull=True).order_by("-arrived_at")
    )
    context = {
        "assembly": assembly,
        "q": q,
        "results": results,
        "present": present,
        "token_form": token_form,
        "quorum": services.quorum(assembly),
    }
    return render(request, "governance/staff/door.html", context, status=400 if token_form.errors else 200)


def _door_act(
    request: HttpRequest, assembly: Assembly, participation: Participation, action: str, q: str = ""
) -> HttpResponse:
    name = participation.organisation.name
    try:
        if action == "sign_in":
            done = services.sign_in(participation=participation, by=_user(request))
            messages.success(
                request,
                _("%(member)s signed in at %(time)s.")
                % {"member": name, "time": timezone.localtime(done.arrived_at).strftime("%H:%M")},
            )
        else:
            done = services.sign_out(participation=participation, by=_user(request))
            messages.success(
                request,
                _("%(member)s signed out at %(time)s.")
                % {"member": name, "time": timezone.localtime(done.left_at).strftime("%H:%M")},
            )
    except ValidationError as exc:
        _error(request, exc)
    return redirect(request.path + (f"?{urlencode({'q': q[:100]})}" if q else ""))


# --- The projector ---------------------------------------------------------------------------------


def _projector_context(assembly: Assembly) -> dict[str, Any]:
    return {
        "assembly": assembly,
        "quorum": services.quorum(assembly),
        "vote": assembly.votes.filter(state=Vote.State.OPEN).order_by("pk").first(),
    }


@require_safe
@permission_required(READ_PERM)
def projector(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = get_object_or_404(Assembly, pk=pk)
    return render(request, "governance/staff/projector.html", _projector_context(assembly))


@require_safe
@permission_required(READ_PERM)
def projector_quorum(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment htmx swaps every 5 seconds."""
    assembly = get_object_or_404(Assembly, pk=pk)
    return render(request, "governance/staff/projector_quorum.html", _projector_context(assembly))


# --- The action log --------------------------------------------------------------------------------


ACTIONS = {
    "roll_refresh": gettext_lazy("Roll refreshed"),
    "convene": gettext_lazy("Convocation sent"),
    "answer": gettext_lazy("Answer of a member"),
    "sign_in": gettext_lazy("Signed in"),
    "sign_out": gettext_lazy("Signed out"),
    "open": gettext_lazy("Assembly opened"),
    "close": gettext_lazy("Assembly closed"),
    "second_convocation": gettext_lazy("Second convocation"),
}
MEMBER_KEYS = ("member", "proxy_holder")


@require_safe
@permission_required(LOG_PERM)
def action_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The log as a table, or as CSV (?export=csv); members are named, not numbered."""
    assembly = get_object_or_404(Assembly, pk=pk)
    names = dict(assembly.participations.values_list("organisation_id", "organisation__name"))
    entries = ActionLog.objects.filter(assembly=assembly).select_related("actor", "vote").order_by("at", "pk")
    if request.GET.get("export") == "csv":
        rows = (
            (
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor.email if entry.actor else "",
                ACTIONS.get(entry.action, entry.action),
                entry.vote.title if entry.vote else "",
                _detail(entry.detail, names),
            )
            for entry in entries.iterator()
        )
        headers = [_("At"), _("By"), _("Action"), _("Vote"), _("Detail")]
        download = export_response(
            "csv", rows=rows, headers=headers, filename=f"journal-assemblee-{assembly.pk}"
        )
        return cast(HttpResponse, download)  # streamed: a StreamingHttpResponse
    page = Paginator(entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.label = ACTIONS.get(entry.action, entry.action)
        entry.detail_text = _detail(entry.detail, names)
    return render(request, "governance/staff/log.html", {"assembly": assembly, "page": page})


def _detail(detail: dict[str, Any], names: dict[int, str]) -> str:
    parts = []
    for key, value in sorted(detail.items()):
        if key in MEMBER_KEYS and value is not None:
            value = names.get(value, value)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)
