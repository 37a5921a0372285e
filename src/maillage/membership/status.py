"""The status of a membership at a date, computed from its dates, dues and payments — never
typed by hand — and the voting rights that follow from it (used by governance).

At a date D of year Y, a membership is:
- ``resigned`` / ``struck_off`` from the date of the recorded decision;
- ``up_to_date`` when the dues of Y are paid (payments received on or before D);
- ``pending`` when they are not, but the grace period of Y is not over (it runs
  ``MAILLAGE_MEMBERSHIP_GRACE_DAYS`` from the year's call, or from 1 January before the call) and
  the member was up to date for Y − 1 (or joined in Y);
- ``late`` after the grace period;
- ``lapsed`` when the dues of Y − 1 were not paid either."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.membership.models import ZERO, Dues, Membership


class Status(models.TextChoices):
    NOT_MEMBER = "not_member", _("Not a member")
    PENDING = "pending", _("Dues pending")
    UP_TO_DATE = "up_to_date", _("Up to date")
    LATE = "late", _("Late")
    LAPSED = "lapsed", _("Lapsed")
    RESIGNED = "resigned", _("Resigned")
    STRUCK_OFF = "struck_off", _("Struck off")


def voting_statuses() -> frozenset[Status]:
    """Up to date, and within the grace period too when the statutes say so."""
    if settings.MAILLAGE_VOTING_DURING_GRACE:
        return frozenset({Status.UP_TO_DATE, Status.PENDING})
    return frozenset({Status.UP_TO_DATE})


def paid(dues: Dues, on: datetime.date | None = None) -> Decimal:
    """What has been received for these dues (payments minus credit notes), up to a date."""
    payments = dues.payments.all()
    if on is not None:
        payments = payments.filter(received_on__lte=on)
    return payments.aggregate(total=Sum("amount"))["total"] or ZERO


def _paid_up(membership: Membership, year: int, on: datetime.date) -> bool:
    dues = membership.dues.filter(year__year=year).first()
    return dues is not None and paid(dues, on) >= dues.amount


def _grace_end(membership: Membership, year: int) -> datetime.date:
    dues = membership.dues.filter(year__year=year).select_related("year").first()
    launched = dues.year.call_launched_at if dues else None
    start = timezone.localdate(launched) if launched else datetime.date(year, 1, 1)
    return start + datetime.timedelta(days=settings.MAILLAGE_MEMBERSHIP_GRACE_DAYS)


def membership_status(membership: Membership, on: datetime.date | None = None) -> Status:
    on = on or timezone.localdate()
    if membership.ended_on is not None and membership.ended_on <= on:
        return Status(membership.end)
    if on < membership.member_since:
        return Status.NOT_MEMBER
    if _paid_up(membership, on.year, on):
        return Status.UP_TO_DATE
    if membership.member_since.year < on.year and not _paid_up(membership, on.year - 1, on):
        return Status.LAPSED
    return Status.PENDING if on <= _grace_end(membership, on.year) else Status.LATE


def current_membership(organisation_id: int, on: datetime.date) -> Membership | None:
    """The membership of an organisation that had begun at a date (the latest one)."""
    return (
        Membership.objects.filter(organisation_id=organisation_id, member_since__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .order_by("-member_since")
        .first()
    )


def organisation_status(organisation_id: int, on: datetime.date | None = None) -> Status:
    on = on or timezone.localdate()
    membership = current_membership(organisation_id, on)
    return membership_status(membership, on) if membership else Status.NOT_MEMBER


def may_vote(organisation_id: int, meeting_on: datetime.date) -> bool:
    """May the organisation vote at a meeting on this date? It must be a member on the day and
    up to date (or within its grace period, if the statutes say so) at the statutes' cutoff."""
    if current_membership(organisation_id, meeting_on) is None:
        return False
    cutoff = meeting_on - datetime.timedelta(days=settings.MAILLAGE_VOTING_CUTOFF_DAYS)
    return organisation_status(organisation_id, cutoff) in voting_statuses()
