"""Set-based reads of the membership for the staff's lists and dashboard.

``status.membership_status`` answers for one membership with a few queries: fine for a page
about one member, far too slow for a list of hundreds. ``memberships_with_status`` computes the
same answer for any number of memberships in one query: the dues of the year and of the year
before, and what was received for each up to the date, are subqueries; the status is a ``CASE``
over them. The grace period's end is the same for every member that has dues of the year (it
runs from the year's call), so it is computed once in Python. tests/membership/test_dashboard.py
checks that both agree in every case."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillage.core.models.reference import active_language
from maillage.directory.models import College
from maillage.membership.models import MONEY, Dues, Membership, MembershipYear, Payment
from maillage.membership.status import Status

MONEY_FIELD: DecimalField = DecimalField(
    max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"]
)
LATE_STATUSES = (Status.LATE, Status.LAPSED)


def _zero() -> Value:
    return Value(Decimal("0.00"), output_field=MONEY_FIELD)


def _dues_of(year: int, field: str) -> Subquery:
    dues = Dues.objects.filter(membership=OuterRef("pk"), year__year=year)
    return Subquery(dues.values(field)[:1])


def _received(year: int, on: datetime.date | None) -> Coalesce:
    """What was received for the member's dues of ``year`` (up to ``on``), 0 when nothing."""
    payments = Payment.objects.filter(dues__membership=OuterRef("pk"), dues__year__year=year)
    if on is not None:
        payments = payments.filter(received_on__lte=on)
    total = payments.order_by().values("dues__membership").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY_FIELD), _zero())


def grace_end(year: int, *, launched: datetime.datetime | None) -> datetime.date:
    """The last day of the grace period of ``year`` (as ``status._grace_end`` computes it)."""
    start = timezone.localdate(launched) if launched else datetime.date(year, 1, 1)
    return start + datetime.timedelta(days=settings.MAILLAGE_MEMBERSHIP_GRACE_DAYS)


def memberships_with_status(
    queryset: QuerySet[Membership] | None = None, on: datetime.date | None = None
) -> QuerySet[Membership]:
    """Memberships annotated, in one query, with their ``status`` at ``on`` (today by default),
    ``dues_id``, ``due`` and ``received`` (the dues of the year, all payments so far) and
    ``balance`` (what is still due for the year; None when the year has no dues)."""
    on = on or timezone.localdate()
    queryset = Membership.objects.all() if queryset is None else queryset
    year, previous = on.year, on.year - 1
    launched = MembershipYear.objects.filter(year=year).values_list("call_launched_at", flat=True).first()
    after_call = Status.PENDING if on <= grace_end(year, launched=launched) else Status.LATE
    before_call = Status.PENDING if on <= grace_end(year, launched=None) else Status.LATE
    return (
        queryset.annotate(
            dues_id=_dues_of(year, "pk"),
            due=_dues_of(year, "amount"),
            due_before=_dues_of(previous, "amount"),
            received_on_date=_received(year, on),
            received_before=_received(previous, on),
            received=_received(year, None),
        )
        .annotate(
            paid_up=Case(
                When(Q(due__isnull=False, received_on_date__gte=F("due")), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            paid_up_before=Case(
                When(Q(due_before__isnull=False, received_before__gte=F("due_before")), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            balance=F("due") - F("received"),
        )
        .annotate(
            status=Case(
                When(ended_on__lte=on, then=F("end")),
                When(member_since__gt=on, then=Value(Status.NOT_MEMBER.value)),
                When(paid_up=True, then=Value(Status.UP_TO_DATE.value)),
                When(
                    Q(member_since__lt=datetime.date(year, 1, 1), paid_up_before=False),
                    then=Value(Status.LAPSED.value),
                ),
                When(due__isnull=False, then=Value(after_call.value)),
                default=Value(before_call.value),
                output_field=CharField(),
            )
        )
    )


def current_memberships(on: datetime.date | None = None) -> QuerySet[Membership]:
    """The memberships running at a date (begun, not ended)."""
    on = on or timezone.localdate()
    return Membership.objects.filter(member_since__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )


def late_members(on: datetime.date | None = None) -> QuerySet[Membership]:
    """The members late or lapsed at a date, with their balance, largest debts first."""
    return (
        memberships_with_status(current_memberships(on), on)
        .filter(status__in=[s.value for s in LATE_STATUSES])  # type: ignore[misc]
        .select_related("organisation")
        .order_by(F("balance").desc(nulls_last=True), "organisation__name")
    )


@dataclass(frozen=True)
class Breakdown:
    label: str
    count: int


def members_by(on: datetime.date | None = None) -> dict[str, list[Breakdown]]:
    """Current members counted by collège, category and département (three queries)."""
    members = current_memberships(on).order_by()
    colleges = members.values("college").annotate(count=Count("pk")).order_by("college")
    name = f"organisation__category__name_{active_language()}"
    categories = (
        members.values("organisation__category__name_fr", name)
        .annotate(count=Count("pk"))
        .order_by("-count", "organisation__category__name_fr")
    )
    code, label = "organisation__commune__departement__code", "organisation__commune__departement__name"
    departements = members.values(code, label).annotate(count=Count("pk")).order_by(code)
    return {
        "college": [Breakdown(str(College(row["college"]).label), row["count"]) for row in colleges],
        "category": [
            Breakdown(row[name] or row["organisation__category__name_fr"] or "—", row["count"])
            for row in categories
        ],
        "departement": [
            Breakdown(f"{row[label]} ({row[code]})" if row[code] else "—", row["count"])
            for row in departements
        ],
    }


@dataclass(frozen=True)
class YearTotals:
    year: int
    members: int
    expected: Decimal
    received: Decimal

    @property
    def balance(self) -> Decimal:
        return self.expected - self.received

    @property
    def rate(self) -> int:
        """The share received, in percent (rounded down)."""
        return int(self.received * 100 / self.expected) if self.expected else 0


def dues_by_year(years: int = 3, on: datetime.date | None = None) -> list[YearTotals]:
    """Dues expected and received for the last ``years`` years, oldest first (two queries)."""
    on = on or timezone.localdate()
    wanted = list(range(on.year - years + 1, on.year + 1))
    expected = {
        row["year__year"]: row
        for row in Dues.objects.filter(year__year__in=wanted)
        .values("year__year")
        .annotate(expected=Sum("amount"), members=Count("pk"))
        .order_by()
    }
    received = dict(
        Payment.objects.filter(dues__year__year__in=wanted)
        .values("dues__year__year")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("dues__year__year", "total")
    )
    zero = Decimal("0.00")
    return [
        YearTotals(
            year=year,
            members=expected.get(year, {}).get("members", 0),
            expected=expected.get(year, {}).get("expected") or zero,
            received=received.get(year) or zero,
        )
        for year in wanted
    ]
