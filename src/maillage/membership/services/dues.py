"""Fees and dues: the year's scale gives each member's fee; staff launch the year's call, which
sends each member its call for payment once; reminders follow at the configured offsets."""

import datetime
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.pdf import render_pdf
from maillage.directory.models import College
from maillage.membership.models import Dues, FeeBracket, Membership, MembershipYear, Reminder
from maillage.membership.notify import notify
from maillage.membership.selectors import dues_with_balance, member_recipients

BATCH = 50


def fee_compute(*, year: MembershipYear, college: str, size: Decimal) -> Decimal:
    """The fee of the year's scale for an organisation of this collège and size figure."""
    bracket = (
        FeeBracket.objects.filter(year=year, college=college, size_from__lte=size)
        .filter(Q(size_to__isnull=True) | Q(size_to__gt=size))
        .order_by("-size_from")
        .first()
    )
    if bracket is None:
        raise ValidationError(
            _("The fee scale of %(year)s has no bracket for %(college)s with a size figure of %(size)s.")
            % {"year": year.year, "college": College(college).label, "size": size}
        )
    return bracket.amount


@transaction.atomic
def brackets_check(*, year: MembershipYear) -> None:
    """A scale's brackets of one collège must not overlap."""
    for college in College.values:
        previous: FeeBracket | None = None
        for bracket in year.brackets.filter(college=college).order_by("size_from"):
            if previous is not None and (previous.size_to is None or previous.size_to > bracket.size_from):
                raise ValidationError(
                    _("Two brackets of %(college)s overlap from %(size)s.")
                    % {"college": College(college).label, "size": bracket.size_from}
                )
            previous = bracket


@transaction.atomic
def dues_ensure(*, membership: Membership, year: MembershipYear) -> Dues:
    """The member's dues for the year, at the scale's fee (created once)."""
    existing = Dues.objects.filter(membership=membership, year=year).first()
    if existing is not None:
        return existing
    fee = fee_compute(year=year, college=membership.college, size=membership.size)
    return Dues.objects.create(membership=membership, year=year, scale_amount=fee, amount=fee)


@transaction.atomic
def dues_set_amount(*, dues: Dues, amount: Decimal, reason: str, by: User) -> Dues:
    """Staff set an amount other than the scale's, with the reason (kept in the history)."""
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if amount != dues.scale_amount and not reason.strip():
        raise ValidationError(
            {"override_reason": _("Give the reason for an amount that differs from the scale.")}
        )
    dues.amount = amount
    dues.override_reason = "" if amount == dues.scale_amount else reason.strip()
    dues._change_reason = _("Amount set by %(user)s") % {"user": by}  # type: ignore[attr-defined]
    dues.full_clean()
    dues.save()
    return dues


def members_of_year(year: MembershipYear) -> list[Membership]:
    """The memberships that run during the year."""
    first, last = datetime.date(year.year, 1, 1), datetime.date(year.year, 12, 31)
    return list(
        Membership.objects.filter(member_since__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first))
        .select_related("organisation")
    )


@transaction.atomic
def dues_call_launch(*, year: MembershipYear, by: User) -> int:
    """Create every member's dues for the year and send the calls in the background, in
    batches. Launching again sends only the calls not sent yet (e.g. to new members)."""
    if year.closed:
        raise ValidationError(_("The year %(year)s is closed.") % {"year": year.year})
    ids = [dues_ensure(membership=m, year=year).pk for m in members_of_year(year)]
    if year.call_launched_at is None:
        year.call_launched_at = timezone.now()
        year._change_reason = _("Dues call launched by %(user)s") % {"user": by}  # type: ignore[attr-defined]
        year.save()
    pending = list(
        Dues.objects.filter(pk__in=ids, called_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    from maillage.membership.tasks import dues_calls_send

    for start in range(0, len(pending), BATCH):
        transaction.on_commit(partial(dues_calls_send.delay, pending[start : start + BATCH]))
    return len(pending)


def dues_call_pdf(dues: Dues) -> bytes:
    dues = (
        dues_with_balance(Dues.objects.filter(pk=dues.pk))
        .select_related("membership__organisation__commune", "year")
        .get()
    )
    return render_pdf(
        "membership/pdf/dues_call.html",
        {
            "dues": dues,
            "organisation": dues.membership.organisation,
            "today": timezone.localdate(),
            "postal_address": settings.MAILLAGE_POSTAL_ADDRESS,
        },
    )


def dues_call_send(*, dues_id: int) -> bool:
    """Send one member its call for payment, once: the conditional update claims it, and the
    outbox's key stops a second e-mail even if the claim were lost."""
    with transaction.atomic():
        claimed = Dues.objects.filter(pk=dues_id, called_at__isnull=True).update(called_at=timezone.now())
        if not claimed:
            return False
        dues = Dues.objects.select_related("membership__organisation", "year").get(pk=dues_id)
        organisation = dues.membership.organisation
        notify(
            to=member_recipients(organisation),
            template="dues_call",
            context={"dues": dues, "organisation": organisation},
            key=f"dues:{dues.pk}:call",
            attachments=[(f"appel-cotisation-{dues.year.year}.pdf", dues_call_pdf(dues), "application/pdf")],
        )
    return True


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the members whose called dues are still unpaid at each offset after the call.
    Each (dues, offset) is reminded once: the unique Reminder row is the claim."""
    today = today or timezone.localdate()
    sent = 0
    for offset in sorted(settings.MAILLAGE_MEMBERSHIP_REMINDER_DAYS):
        limit = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=offset), datetime.time.max)
        )
        unpaid = (
            dues_with_balance(
                Dues.objects.filter(
                    called_at__lte=limit, year__closed=False, membership__ended_on__isnull=True
                ).exclude(reminders__offset_days=offset)
            )
            .filter(balance__gt=0)  # type: ignore[misc]  # annotated by dues_with_balance
            .select_related("membership__organisation", "year")
        )
        for dues in unpaid:
            try:
                with transaction.atomic():
                    Reminder.objects.create(dues=dues, offset_days=offset)
                    organisation = dues.membership.organisation
                    notify(
                        to=member_recipients(organisation),
                        template="dues_reminder",
                        context={
                            "dues": dues,
                            "organisation": organisation,
                            "offset": offset,
                            "balance": dues.balance,  # type: ignore[attr-defined]
                        },
                        key=f"dues:{dues.pk}:reminder:{offset}",
                    )
            except IntegrityError:
                continue  # another worker reminded it
            sent += 1
    return sent
