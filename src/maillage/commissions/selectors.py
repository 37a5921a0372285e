"""Reads of the commissions' pages, with what they need joined or prefetched: the number of
queries of a list does not grow with its length."""

from typing import Any

from django.db.models import CharField, Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillage.commissions.models import Commission, Meeting, Member, Registration


def conveners_prefetch() -> Prefetch:
    conveners = Member.objects.filter(state=Member.State.ACTIVE, role=Member.Role.CONVENER)
    return Prefetch(
        "members", queryset=conveners.select_related("user").order_by("user__last_name"), to_attr="conveners"
    )


def commission_list() -> QuerySet[Commission]:
    """The active commissions with their conveners, number of members and next meeting."""
    members = (
        Member.objects.filter(commission=OuterRef("pk"), state=Member.State.ACTIVE)
        .order_by()
        .values("commission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    upcoming = Meeting.objects.filter(commission=OuterRef("pk"), starts_at__gt=timezone.now()).order_by(
        "starts_at"
    )
    return (
        Commission.objects.filter(active=True)
        .annotate(
            members_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
            next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
            next_meeting_title=Subquery(upcoming.values("title")[:1]),
        )
        .prefetch_related(conveners_prefetch())
        .order_by("kind", "name")
    )


def memberships_of(user: Any) -> QuerySet[Member]:
    """The commissions a user belongs to, or was invited to, or asked to join."""
    return (
        Member.objects.filter(user=user, state__in=("requested", "invited", "active"))
        .select_related("commission")
        .order_by("commission__name")
    )


def membership(commission: Commission, user: Any) -> Member | None:
    if not user.is_authenticated:
        return None
    return commission.members.filter(user=user, state__in=("requested", "invited", "active")).first()


def active_members(commission: Commission) -> QuerySet[Member]:
    return (
        commission.members.filter(state=Member.State.ACTIVE)
        .select_related("user", "organisation")
        .order_by("-role", "user__last_name", "user__first_name", "pk")
    )


def meetings_with_answer(commission: Commission, member: Member | None) -> QuerySet[Meeting]:
    """The commission's meetings, each with the member's answer (``my_answer``) when any."""
    meetings = commission.meetings.all()
    if member is None:
        return meetings.annotate(my_answer=Value(None, output_field=CharField()))
    answer = Registration.objects.filter(meeting=OuterRef("pk"), member=member).values("answer")[:1]
    return meetings.annotate(my_answer=Subquery(answer))


def public_minutes(commission: Commission) -> QuerySet[Meeting]:
    return (
        commission.meetings.filter(starts_at__lte=timezone.now(), minutes_public=True)
        .exclude(minutes="")
        .order_by("-starts_at")
    )


def registrations(meeting: Meeting) -> QuerySet[Registration]:
    return meeting.registrations.select_related("member__user").order_by(
        "member__user__last_name", "member__user__first_name", "pk"
    )
