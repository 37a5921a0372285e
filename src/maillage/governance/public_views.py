"""The public side of governance (/gouvernance/): who sits in the Bureau and the Grand Conseil
today, and the assemblies whose minutes were approved.

The names of elected people and the members they represent are public (an association
publishes the composition of its governing bodies); their e-mail addresses and phones never are.
The approved minutes are published to the members (their editors and representatives) and
read by the back office and the elected: a visitor is sent to the login page, anyone else gets
a 403."""

import datetime
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from maillage.accounts.models import User
from maillage.directory.models import Affiliation, College, Organisation
from maillage.governance.models import Assembly, Body, Mandate
from maillage.membership.models import Membership
from maillage.membership.selectors import REPRESENTATIVE_ROLES

READ_ASSEMBLY_PERM = "governance.view_assembly"


def active_mandates(bodies: list[Body], on: datetime.date) -> QuerySet[Mandate]:
    """The active mandates of several bodies in one query (the rule of
    ``services.bodies.mandates_active``), with what the pages show."""
    return (
        Mandate.objects.filter(body__in=bodies, state=Mandate.State.ACTIVE, start__lte=on, end__gt=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("person", "organisation", "office")
        .order_by("office__position", "person__last_name", "person__first_name", "pk")
    )


def composition(body: Body, mandates: list[Mandate]) -> list[dict[str, Any]]:
    """A body's seats in groups: per collège (held / cap) when the body caps its collèges,
    per office otherwise (members without an office last)."""
    if body.seats_per_college is not None:
        by_college: dict[str, list[Mandate]] = defaultdict(list)
        for mandate in mandates:
            by_college[mandate.college].append(mandate)
        return [
            {
                "label": label,
                "mandates": by_college[value],
                "held": len(by_college[value]),
                "cap": body.seats_per_college,
            }
            for value, label in College.choices
        ]
    groups: dict[Any, dict[str, Any]] = {}
    for mandate in mandates:
        office = mandate.office
        key = office.pk if office else None
        label = office.name if office else _("Members")
        groups.setdefault(
            key, {"label": label, "mandates": [], "position": office.position if office else 1000}
        )
        groups[key]["mandates"].append(mandate)
    return sorted(groups.values(), key=lambda group: group["position"])


def _bodies_with_composition(bodies: list[Body], on: datetime.date) -> list[dict[str, Any]]:
    by_body: dict[int, list[Mandate]] = defaultdict(list)
    for mandate in active_mandates(bodies, on):
        by_body[mandate.body_id].append(mandate)
    return [
        {"body": body, "groups": composition(body, by_body[body.pk]), "count": len(by_body[body.pk])}
        for body in bodies
    ]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bodies = list(Body.objects.select_related("elected_by"))
    assemblies = Assembly.objects.filter(minutes_approved_on__isnull=False).exclude(minutes_pdf="")
    context = {
        "bodies": _bodies_with_composition(bodies, today),
        "assemblies": list(assemblies.order_by("-starts_at")),
        "today": today,
    }
    return render(request, "governance/index.html", context)


@require_safe
def body(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("elected_by"), slug=slug)
    today = timezone.localdate()
    entry = _bodies_with_composition([body], today)[0]
    return render(request, "governance/body.html", {**entry, "today": today})


def is_member_account(user: User) -> bool:
    """The account edits, or is a current representative of, a current member organisation."""
    today = timezone.localdate()
    members = (
        Membership.objects.filter(member_since__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values("organisation")
    )
    if Organisation.objects.filter(pk__in=members, editors=user).exists():
        return True
    return (
        Affiliation.objects.filter(person__user=user, role__in=REPRESENTATIVE_ROLES, organisation__in=members)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .filter(Q(start__isnull=True) | Q(start__lte=today))
        .exists()
    )


@require_safe
@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    assembly = get_object_or_404(Assembly, pk=pk)
    if assembly.minutes_approved_on is None or not assembly.minutes_pdf:
        raise Http404
    user = request.user
    if not (user.has_perm(READ_ASSEMBLY_PERM) or is_member_account(user)):  # type: ignore[arg-type]
        raise PermissionDenied
    return FileResponse(
        assembly.minutes_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"proces-verbal-{assembly.starts_at:%Y-%m-%d}.pdf",
    )
