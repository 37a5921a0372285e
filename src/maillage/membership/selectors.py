"""Reads of the membership: members' addresses, the dues and their balances."""

from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillage.directory.models import Affiliation, Organisation
from maillage.membership.models import Dues

REPRESENTATIVE_ROLES = (Affiliation.Role.REPRESENTATIVE, Affiliation.Role.DEPUTY)


def representatives(organisation: Organisation) -> QuerySet[Affiliation]:
    """The organisation's current titulaire and suppléant. A designation runs from its start
    until its end, excluded: the day one is replaced, the other is the representative."""
    today = timezone.localdate()
    return (
        Affiliation.objects.filter(organisation=organisation, role__in=REPRESENTATIVE_ROLES)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .filter(Q(start__isnull=True) | Q(start__lte=today))
        .select_related("person")
        .order_by("-role", "person__last_name")  # titulaire first
    )


def member_recipients(organisation: Organisation) -> list[str]:
    """Where the member's mail goes: its representatives' addresses, else the organisation's."""
    addresses = [a.person.email for a in representatives(organisation) if a.person.email]
    if not addresses and organisation.email:
        addresses = [organisation.email]
    return list(dict.fromkeys(addresses))


def dues_with_balance(queryset: QuerySet[Dues] | None = None) -> QuerySet[Dues]:
    """Dues with ``received`` (payments minus credit notes) and ``balance`` (what is still due;
    negative when overpaid), in the same query."""
    queryset = Dues.objects.all() if queryset is None else queryset
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
    return queryset.annotate(received=Coalesce(Sum("payments__amount"), zero)).annotate(
        balance=F("amount") - F("received")
    )
