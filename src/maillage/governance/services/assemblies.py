"""General assemblies: convocation of the members, their answers and proxies, the door
sign-in and the live quorum."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.emails import email_queue_template
from maillage.governance.counting import fraction, quorum_required
from maillage.governance.models import Assembly, Participation, QuorumRecord, Vote
from maillage.governance.services.log import log
from maillage.membership.models import Membership
from maillage.membership.selectors import member_recipients, representatives
from maillage.membership.status import may_vote


def notice_warning(assembly: Assembly, on: datetime.date | None = None) -> str:
    """A warning when the statutory notice period is not met ('' when it is)."""
    on = on or timezone.localdate()
    days = (timezone.localdate(assembly.starts_at) - on).days
    if days < settings.MAILLAGE_CONVOCATION_NOTICE_DAYS:
        return _(
            "The statutes ask for a convocation %(notice)s days before the assembly; "
            "there are only %(days)s days left."
        ) % {"notice": settings.MAILLAGE_CONVOCATION_NOTICE_DAYS, "days": max(days, 0)}
    return ""


def _members_on(on: datetime.date) -> list[Membership]:
    return list(
        Membership.objects.filter(member_since__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("organisation")
    )


@transaction.atomic
def roll_refresh(*, assembly: Assembly, by: User | None) -> int:
    """Make the roll of the assembly: one participation per member organisation, with its
    voting right on the assembly's date (membership.status.may_vote). Returns the number of
    voting rights. Logged: it changes the outcome."""
    day = timezone.localdate(assembly.starts_at)
    voting = 0
    for membership in _members_on(day):
        organisation = membership.organisation
        right = may_vote(organisation.pk, day)
        participation, created = Participation.objects.get_or_create(
            assembly=assembly,
            organisation=organisation,
            defaults={
                "college": membership.college,
                "may_vote": right,
                "representative": _titulaire(organisation),
            },
        )
        if not created and participation.may_vote != right:
            participation.may_vote = right
            participation.save(update_fields=["may_vote", "updated_at"])
        voting += right
    log("roll_refresh", by=by, assembly=assembly, voting_rights=voting)
    return voting


def _titulaire(organisation):  # type: ignore[no-untyped-def]
    first = representatives(organisation).first()
    return first.person if first else None


@transaction.atomic
def assembly_convene(*, assembly: Assembly, by: User) -> list[str]:
    """Send the convocation to every member's representatives (once each); returns warnings."""
    if assembly.state not in (Assembly.State.DRAFT, Assembly.State.CONVENED):
        raise ValidationError(_("This assembly has already opened."))
    warnings = [w for w in [notice_warning(assembly)] if w]
    roll_refresh(assembly=assembly, by=by)
    if assembly.convened_at is None:
        assembly.convened_at = timezone.now()
    assembly.state = Assembly.State.CONVENED
    assembly.save()
    url = settings.MAILLAGE_SITE_URL + reverse("governance:assembly", args=[assembly.pk])
    for participation in assembly.participations.select_related("organisation"):
        email_queue_template(
            to=member_recipients(participation.organisation),
            template="governance/email/convocation.txt",
            context={"assembly": assembly, "participation": participation, "url": url},
            key=f"assembly:{assembly.pk}:convocation:{participation.organisation_id}",
        )
    log("convene", by=by, assembly=assembly, warnings=warnings)
    return warnings


def _check_answerable(participation: Participation) -> None:
    if participation.assembly.state not in (Assembly.State.DRAFT, Assembly.State.CONVENED):
        raise ValidationError(_("Answers are closed: the assembly has opened."))


@transaction.atomic
def participation_answer(
    *, participation: Participation, answer: str, by: User | None, proxy_holder: Participation | None = None
) -> Participation:
    """A member answers: will attend, excused, or gives a proxy to another member — within the
    statutes' rules: only members with a voting right give or hold proxies, a holder holds at
    most MAILLAGE_PROXY_CAP, of the same collège if MAILLAGE_PROXY_SAME_COLLEGE, and does not
    itself give its proxy."""
    participation = (
        Participation.objects.select_for_update().select_related("assembly").get(pk=participation.pk)
    )
    _check_answerable(participation)
    if answer == Participation.Answer.PROXY:
        if proxy_holder is None:
            raise ValidationError({"proxy_holder": _("Choose the member who will hold the proxy.")})
        holder = Participation.objects.select_for_update().get(pk=proxy_holder.pk)  # serialises the cap
        _check_proxy(participation, holder)
        participation.proxy_holder = holder
    else:
        participation.proxy_holder = None
    participation.answer = answer
    participation.full_clean()
    participation.save()
    log(
        "answer",
        by=by,
        assembly=participation.assembly,
        member=participation.organisation_id,
        answer=answer,
        proxy_holder=proxy_holder.organisation_id if proxy_holder else None,
    )
    return participation


def _check_proxy(giver: Participation, holder: Participation) -> None:
    if holder.assembly_id != giver.assembly_id or holder.pk == giver.pk:
        raise ValidationError({"proxy_holder": _("Choose another member of this assembly.")})
    if not giver.may_vote:
        raise ValidationError(_("Only a member with a voting right can give a proxy."))
    if not holder.may_vote:
        raise ValidationError({"proxy_holder": _("This member has no voting right and cannot hold a proxy.")})
    if holder.answer == Participation.Answer.PROXY:
        raise ValidationError({"proxy_holder": _("This member has itself given its proxy.")})
    if settings.MAILLAGE_PROXY_SAME_COLLEGE and holder.college != giver.college:
        raise ValidationError({"proxy_holder": _("The statutes ask for a proxy holder of the same collège.")})
    held = Participation.objects.filter(proxy_holder=holder).exclude(pk=giver.pk).count()
    if held >= settings.MAILLAGE_PROXY_CAP:
        raise ValidationError(
            {
                "proxy_holder": _("This member already holds %(cap)s proxies, the most the statutes allow.")
                % {"cap": settings.MAILLAGE_PROXY_CAP}
            }
        )


@transaction.atomic
def sign_in(*, participation: Participation, by: User | None, representative=None) -> Participation:  # type: ignore[no-untyped-def]
    """The door: the member's representative signs in (a member who had given a proxy and
    comes after all votes in person: its proxy is withdrawn, and logged)."""
    participation = (
        Participation.objects.select_for_update().select_related("assembly").get(pk=participation.pk)
    )
    if participation.assembly.state == Assembly.State.CLOSED:
        raise ValidationError(_("The assembly is closed."))
    if participation.present:
        raise ValidationError(_("%(member)s is already signed in.") % {"member": participation.organisation})
    if participation.answer == Participation.Answer.PROXY:
        participation.answer, participation.proxy_holder = Participation.Answer.ATTEND, None
    participation.arrived_at, participation.left_at = timezone.now(), None
    if representative is not None:
        participation.representative = representative
    participation.save()
    log("sign_in", by=by, assembly=participation.assembly, member=participation.organisation_id)
    return participation


@transaction.atomic
def sign_out(*, participation: Participation, by: User | None) -> Participation:
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if not participation.present:
        raise ValidationError(_("%(member)s is not signed in.") % {"member": participation.organisation})
    participation.left_at = timezone.now()
    participation.save()
    log("sign_out", by=by, assembly=participation.assembly, member=participation.organisation_id)
    return participation


@dataclass(frozen=True)
class Quorum:
    voting_members: int
    present: int
    represented: int
    required: int

    @property
    def met(self) -> bool:
        return self.present + self.represented >= self.required


def quorum_rule(assembly: Assembly) -> str:
    if assembly.second_convocation_of_id is not None:
        return settings.MAILLAGE_QUORUM_SECOND_CONVOCATION
    if assembly.kind == Assembly.Kind.EXTRAORDINARY:
        return settings.MAILLAGE_QUORUM_EXTRAORDINARY
    return settings.MAILLAGE_QUORUM_ORDINARY


def quorum(assembly: Assembly) -> Quorum:
    """Members with a voting right present, and represented by a present holder (two queries)."""
    voting = assembly.participations.filter(may_vote=True)
    here = Q(arrived_at__isnull=False, left_at__isnull=True)
    present = voting.filter(here).count()
    represented = (
        voting.filter(
            answer=Participation.Answer.PROXY,
            proxy_holder__arrived_at__isnull=False,
            proxy_holder__left_at__isnull=True,
            proxy_holder__may_vote=True,
        )
        .exclude(here)
        .count()
    )
    total = voting.count()
    return Quorum(total, present, represented, quorum_required(total, fraction(quorum_rule(assembly))))


def quorum_record(*, assembly: Assembly, vote: Vote | None = None) -> QuorumRecord:
    state = quorum(assembly)
    return QuorumRecord.objects.create(
        assembly=assembly,
        vote=vote,
        voting_members=state.voting_members,
        present=state.present,
        represented=state.represented,
        required=state.required,
        met=state.met,
    )


@transaction.atomic
def assembly_open(*, assembly: Assembly, by: User) -> Assembly:
    if assembly.state != Assembly.State.CONVENED:
        raise ValidationError(_("Convene the assembly before opening it."))
    assembly.state, assembly.opened_at = Assembly.State.OPEN, timezone.now()
    assembly.save()
    quorum_record(assembly=assembly)
    log("open", by=by, assembly=assembly)
    return assembly


@transaction.atomic
def assembly_close(*, assembly: Assembly, by: User) -> Assembly:
    if assembly.state != Assembly.State.OPEN:
        raise ValidationError(_("Only an assembly in session can be closed."))
    if assembly.votes.filter(state=Vote.State.OPEN).exists():
        raise ValidationError(_("Close the open votes first."))
    assembly.state, assembly.closed_at = Assembly.State.CLOSED, timezone.now()
    assembly.save()
    quorum_record(assembly=assembly)
    log("close", by=by, assembly=assembly)
    return assembly


@transaction.atomic
def second_convocation(*, assembly: Assembly, starts_at: datetime.datetime, by: User) -> Assembly:
    """Re-convene an assembly whose quorum was not met, under the second convocation's rule."""
    if quorum(assembly).met:
        raise ValidationError(_("The quorum is met: no second convocation is needed."))
    second = Assembly.objects.create(
        title=_("%(title)s (second convocation)") % {"title": assembly.title},
        kind=assembly.kind,
        mode=assembly.mode,
        starts_at=starts_at,
        place=assembly.place,
        online_url=assembly.online_url,
        agenda=assembly.agenda,
        second_convocation_of=assembly,
    )
    log("second_convocation", by=by, assembly=assembly, second=second.pk)
    return second
