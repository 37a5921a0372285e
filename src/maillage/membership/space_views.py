"""The member space (/compte/adhesion/): for each organisation the account edits, its
membership's status and what to do next, its representatives, its dues with their calls and
receipts, and its applications in progress. Downloads are the member's own only: anyone else
gets a 404, so that the numbers of other members' dues and receipts tell nothing."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.directory.models import Affiliation, Organisation, Person
from maillage.directory.services import person_create
from maillage.membership.forms_space import RepresentativesForm
from maillage.membership.models import Application, Dues, Membership, Payment, Receipt
from maillage.membership.reports import grace_end
from maillage.membership.selectors import dues_with_balance
from maillage.membership.selectors import representatives as current_representatives
from maillage.membership.services import dues as dues_services
from maillage.membership.services import payments as payment_services
from maillage.membership.services.applications import representatives_set
from maillage.membership.status import Status, membership_status

RENEW = (Status.LATE, Status.LAPSED)
ENDED = (Status.RESIGNED, Status.STRUCK_OFF)


@dataclass
class MemberCard:
    """What the space shows of one organisation."""

    organisation: Organisation
    membership: Membership | None
    status: Status | None
    grace_end: Any = None
    dues: list[Dues] = field(default_factory=list)
    representatives: list[Affiliation] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)

    @property
    def unpaid(self) -> list[Dues]:
        return [dues for dues in self.dues if dues.balance > 0 and not dues.year.closed]  # type: ignore[attr-defined]

    @property
    def amount_due(self) -> Decimal:
        return sum((dues.balance for dues in self.unpaid), Decimal("0.00"))  # type: ignore[attr-defined]

    @property
    def renew(self) -> bool:
        return self.status in RENEW

    @property
    def may_apply_again(self) -> bool:
        return self.status in ENDED and not self.applications

    @property
    def may_change_representatives(self) -> bool:
        return self.membership is not None and self.status not in ENDED


def _card(organisation: Organisation) -> MemberCard:
    membership = organisation.memberships.order_by("-member_since").first()
    applications = [a for a in organisation.applications.all() if a.status in Application.OPEN]
    if membership is None:
        return MemberCard(organisation, None, None, applications=applications)
    today = timezone.localdate()
    dues = list(
        dues_with_balance(membership.dues.all())
        .select_related("year")
        .prefetch_related(
            Prefetch(
                "payments", queryset=Payment.objects.select_related("receipt").order_by("received_on", "pk")
            )
        )
        .order_by("-year__year")
    )
    this_year = next((d for d in dues if d.year.year == today.year), None)
    return MemberCard(
        organisation,
        membership,
        membership_status(membership, today),
        grace_end=grace_end(today.year, launched=this_year.year.call_launched_at if this_year else None),
        dues=dues,
        representatives=list(current_representatives(organisation)),
        applications=applications,
    )


@require_safe
@login_required
def space(request: HttpRequest) -> HttpResponse:
    organisations = request.user.edited_organisations.prefetch_related("applications").order_by("name")  # type: ignore[union-attr]
    cards = [_card(organisation) for organisation in organisations]
    return render(request, "membership/space.html", {"cards": cards, "today": timezone.localdate()})


def _people(organisation: Organisation) -> Any:
    return (
        Person.objects.filter(affiliations__organisation=organisation)
        .distinct()
        .order_by("last_name", "first_name")
    )


def _chosen(form: RepresentativesForm, role: str) -> Person | None:
    details = form.new_person(role)
    if details is None:
        return form.cleaned_data.get(role)
    return person_create(
        first_name=details["first_name"],
        last_name=details["last_name"],
        email=details["email"],
        phone=details["phone"],
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def representatives(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("membership.change_representatives", membership):
        raise PermissionDenied
    if membership.ended_on is not None:
        raise Http404
    organisation = membership.organisation
    current = {a.role: a.person for a in current_representatives(organisation)}
    initial = {
        "representative": current.get(Affiliation.Role.REPRESENTATIVE),
        "deputy": current.get(Affiliation.Role.DEPUTY),
    }
    data = request.POST if request.method == "POST" else None
    form = RepresentativesForm(data, people=_people(organisation), initial_people=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                representatives_set(
                    membership=membership,
                    representative=_chosen(form, "representative"),  # type: ignore[arg-type]
                    deputy=_chosen(form, "deputy"),
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("The representatives of %(name)s have been saved.") % {"name": organisation}
            )
            return redirect("membership:space")
    return render(
        request,
        "membership/space_representatives.html",
        {"form": form, "membership": membership, "organisation": organisation},
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def dues_call_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    dues = get_object_or_404(Dues.objects.select_related("membership__organisation", "year"), pk=pk)
    if not request.user.has_perm("membership.view_dues", dues.membership):
        raise Http404
    return _pdf(dues_services.dues_call_pdf(dues), f"appel-cotisation-{dues.year.year}.pdf")


@require_safe
@login_required
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = get_object_or_404(
        Receipt.objects.select_related("payment__dues__membership__organisation"), pk=pk
    )
    if not request.user.has_perm("membership.view_receipt", receipt.payment.dues.membership):
        raise Http404
    return _pdf(payment_services.receipt_pdf(receipt), f"recu-{receipt.label}.pdf")
