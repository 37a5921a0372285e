"""The demo governance: the Grand Conseil and the Bureau in office, a co-optation awaiting
ratification, a term ending soon, last June's ordinary assembly (attendance, proxies, quorum
records, two resolutions — one by show of hands, one by secret ballot —, a complementary
election of the Grand Conseil per collège) with its approved minutes, and an ordinary assembly
in three weeks, convened, with answers and a few proxies.

Built from the demo's current members (membership's demo); with none, nothing is made. The
votes go through ``services.votes`` (so the voter roll and the ballots agree, and ``maillage
tally`` recounts the published ballot boxes); the services stamp "now", so the seed then moves
the times of last June's assembly to its day. No e-mail is sent: the convocations and the
minutes' notice are what ``assembly_convene`` and ``minutes_approve`` would send, so the seed
sets the same fields directly instead (see ``_upcoming_assembly`` and ``_past_assembly``).

Deterministic (members in the order of their slug, choices drawn from seeded ``random.Random``;
only the ballots' trackers are random, as they must be) and idempotent: the mandates are made
once, when the Grand Conseil has none; each assembly once, keyed on its title."""

import datetime
import random
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.seeding import DemoReport
from maillage.directory.models import College, Organisation, Person
from maillage.governance.models import (
    ActionLog,
    Assembly,
    Body,
    Candidacy,
    Mandate,
    Office,
    Participation,
    QuorumRecord,
    Vote,
)
from maillage.governance.services.assemblies import (
    assembly_close,
    assembly_open,
    participation_answer,
    quorum,
    roll_refresh,
    sign_in,
    sign_out,
)
from maillage.governance.services.bodies import bodies_ensure, mandate_add
from maillage.governance.services.minutes import minutes_store
from maillage.governance.services.votes import (
    ballot_cast,
    candidacy_decide,
    candidacy_submit,
    hand_counts_enter,
    vote_close,
    vote_create,
    vote_open,
)
from maillage.membership.models import Membership
from maillage.membership.selectors import representatives

STAFF_EMAIL = "equipe@demo.maillage.test"
# Seats of the Grand Conseil: elected two years ago, and at last June's complementary election.
ELECTED_TWO_YEARS_AGO = {College.ASSOCIATIVE: 9, College.PUBLIC: 4, College.ECONOMIC: 3}
ELECTED_LAST_JUNE = {College.ASSOCIATIVE: 2, College.PUBLIC: 1, College.ECONOMIC: 1}
BUREAU = ("president", "vice-president", "vice-president", "tresorier", "secretaire")
AGENDA = (
    "1. Rapport moral et d’activité\n2. Rapport financier et approbation des comptes\n"
    "3. Élection complémentaire au Grand Conseil\n4. Questions diverses"
)
PLACE = "Maison des associations, 12 rue de la Solidarité, Toulouse"


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def last_june(today: datetime.date) -> datetime.date:
    """The 20th of June of this year when it is past (by a week at least), else last year's."""
    june = datetime.date(today.year, 6, 20)
    return june if june <= today - datetime.timedelta(days=7) else june.replace(year=today.year - 1)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _members() -> dict[str, list[tuple[Organisation, Person]]]:
    """Per collège, the current members with their titulaire, in the order of their slug."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(member_since__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("organisation")
        .order_by("organisation__slug")
    )
    found: dict[str, list[tuple[Organisation, Person]]] = {college: [] for college in College.values}
    for membership in memberships:
        first = representatives(membership.organisation).first()
        if first is not None and membership.organisation.college:
            found[membership.organisation.college].append((membership.organisation, first.person))
    return found


def _take(pools: dict[str, Iterator[tuple[Organisation, Person]]], college: str, count: int) -> list[Any]:
    return [member for member, _index in zip(pools[college], range(count), strict=False)]


def _add(report: DemoReport, **fields: Any) -> Mandate | None:
    try:
        mandate = mandate_add(**fields)
    except ValidationError:
        return None  # a cap or an office held: the demo simply has one seat less
    report.count("mandates", True)
    return mandate


def _bodies_in_office(report: DemoReport, pools: dict[str, Any], today: datetime.date) -> None:
    """The Grand Conseil elected two years ago, its Bureau, a term ending soon, a co-optation."""
    grand_conseil = Body.objects.get(slug="grand-conseil")
    elected_on = _years_before(last_june(today), 2)
    elected = []
    for college, count in ELECTED_TWO_YEARS_AGO.items():
        for organisation, person in _take(pools, college, count):
            mandate = _add(
                report, body=grand_conseil, person=person, organisation=organisation, start=elected_on
            )
            if mandate is not None:
                elected.append(mandate)
    # A term ending within the alerts' 60 days: a seat won at the elections before.
    for organisation, person in _take(pools, College.ASSOCIATIVE, 1):
        start = _years_before(today + datetime.timedelta(days=40), 3)
        _add(report, body=grand_conseil, person=person, organisation=organisation, start=start)
    # A co-optation two months ago, to be ratified by the coming assembly.
    for organisation, person in _take(pools, College.PUBLIC, 1):
        start = today - datetime.timedelta(days=60)
        _add(report, body=grand_conseil, person=person, organisation=organisation, start=start, co_opted=True)
    # The Bureau, elected by the Grand Conseil among its members a fortnight after the elections.
    bureau = Body.objects.get(slug="bureau")
    offices = {office.slug: office for office in Office.objects.filter(body=bureau)}
    order = sorted(elected, key=lambda m: (m.college != College.ASSOCIATIVE, m.pk))
    for mandate, slug in zip(order, BUREAU, strict=False):
        _add(
            report,
            body=bureau,
            person=mandate.person,
            organisation=mandate.organisation,
            office=offices[slug],
            start=elected_on + datetime.timedelta(days=14),
        )


def _answer(participation: Participation, answer: str, holder: Participation | None = None) -> bool:
    try:
        participation_answer(participation=participation, answer=answer, proxy_holder=holder, by=None)
    except ValidationError:
        return False  # a proxy the statutes refuse (cap, collège): the demo leaves it unanswered
    return True


def _answers(
    assembly: Assembly, rng: random.Random, attend: float, excused: float, proxies: int
) -> list[Participation]:
    """Members answer: attend, excused, and ``proxies`` proxies to attending members with a
    voting right (through the service, so the statutes' rules hold). Returns who attends."""
    participations = list(
        assembly.participations.select_related("organisation").order_by("organisation__slug")
    )
    attending, others = [], []
    for participation in participations:
        draw = rng.random()
        if draw < attend:
            _answer(participation, Participation.Answer.ATTEND)
            attending.append(participation)
        elif draw < attend + excused:
            _answer(participation, Participation.Answer.EXCUSED)
        else:
            others.append(participation)
    holders = [p for p in attending if p.may_vote]
    givers = [p for p in others if p.may_vote]
    given = 0
    for giver in givers:
        if given >= proxies or not holders:
            break
        holder = holders[given % len(holders)]
        given += _answer(giver, Participation.Answer.PROXY, holder)
    return attending


def _rights(assembly: Assembly) -> list[Participation]:
    """The voting rights in the room now: present members, and members whose holder is present."""
    voting = assembly.participations.filter(may_vote=True)
    present = list(
        voting.filter(arrived_at__isnull=False, left_at__isnull=True).order_by("organisation__slug")
    )
    represented = voting.filter(
        answer=Participation.Answer.PROXY, proxy_holder__in=present, arrived_at__isnull=True
    ).order_by("organisation__slug")
    return present + list(represented)


def _resolutions(assembly: Assembly, rng: random.Random, staff: User | None, year: int) -> list[Vote]:
    by: Any = staff
    moral = vote_create(
        assembly=assembly,
        title="Approbation du rapport moral et d’activité",
        text="L’assemblée générale approuve le rapport moral et d’activité de l’année écoulée.",
        position=1,
        mode=Vote.Mode.HANDS,
    )
    moral = vote_open(vote=moral, by=by)
    state = quorum(assembly)
    rights = state.present + state.represented
    choices = {choice.kind: choice.pk for choice in moral.choices.all()}
    against, abstain = min(1, rights), min(2, max(rights - 1, 0))
    counts = {
        choices["for"]: rights - against - abstain,
        choices["against"]: against,
        choices["abstain"]: abstain,
    }
    hand_counts_enter(vote=moral, counts=counts, by=by)
    moral = vote_close(vote=moral, by=by)

    accounts = vote_create(
        assembly=assembly,
        title=f"Approbation des comptes de l’exercice {year - 1}",
        text="L’assemblée générale approuve les comptes et donne quitus au Bureau.",
        position=2,
        mode=Vote.Mode.SECRET,
        majority=Vote.Majority.ABSOLUTE,
    )
    accounts = vote_open(vote=accounts, by=by)
    choices = {choice.kind: choice.pk for choice in accounts.choices.all()}
    for right in _rights(assembly):
        draw = rng.random()
        kind = "for" if draw < 0.8 else "against" if draw < 0.9 else "abstain"
        ballot_cast(vote=accounts, right=right, choice_ids=[choices[kind]] if draw < 0.97 else [], user=None)
    accounts = vote_close(vote=accounts, by=by)
    return [moral, accounts]


def _elections(
    report: DemoReport, assembly: Assembly, pools: dict[str, Any], rng: random.Random, staff: User | None
) -> list[Vote]:
    """The complementary election of the Grand Conseil, per collège: one candidate more than the
    seats; the elected get their mandate from the assembly's day."""
    by: Any = staff
    grand_conseil = Body.objects.get(slug="grand-conseil")
    day = timezone.localdate(assembly.starts_at)
    votes = []
    for position, (college, seats) in enumerate(ELECTED_LAST_JUNE.items(), start=3):
        candidates = _take(pools, college, seats + 1)
        if not candidates:
            continue
        vote = vote_create(
            assembly=assembly,
            kind=Vote.Kind.ELECTION,
            title=f"Élection complémentaire au Grand Conseil — {College(college).label}",
            position=position,
            mode=Vote.Mode.SECRET,
            body=grand_conseil,
            college=college,
            seats=seats,
            tie_seed=f"demo-{day.year}-{college}",
        )
        for organisation, person in candidates:
            candidacy = candidacy_submit(
                vote=vote, person=person, organisation=organisation, statement="Candidature au Grand Conseil."
            )
            candidacy_decide(candidacy=candidacy, by=by, accept=True)
        vote = vote_open(vote=vote, by=by)
        ids = list(vote.choices.order_by("position", "pk").values_list("pk", flat=True))
        weights = [len(ids) - index for index in range(len(ids))]  # the first candidates get more votes
        for right in _rights(assembly):
            picked: list[int] = []
            while len(picked) < min(seats, len(ids)) and rng.random() < 0.9:
                pick = rng.choices(ids, weights)[0]
                if pick not in picked:
                    picked.append(pick)
            ballot_cast(vote=vote, right=right, choice_ids=picked, user=None)
        vote = vote_close(vote=vote, by=by)
        elected = {int(key) for key in (vote.result or {}).get("elected", [])}
        winners = Candidacy.objects.filter(choice__vote=vote, choice__pk__in=elected).order_by("pk")
        for candidacy in winners.select_related("person", "organisation"):
            _add(
                report,
                body=grand_conseil,
                person=candidacy.person,
                organisation=candidacy.organisation,
                start=day,
                elected_at=vote,
            )
        votes.append(vote)
    return votes


def _move_to_the_day(
    assembly: Assembly, votes: list[Vote], attending: list[Participation], leaver: int | None
) -> None:
    """The services stamped "now": put every time of the assembly on its day, in order."""
    starts = assembly.starts_at
    convened = assembly.convened_at or starts
    closes = starts + datetime.timedelta(minutes=40 + 30 * len(votes))
    Assembly.objects.filter(pk=assembly.pk).update(opened_at=starts, closed_at=closes)
    for index, participation in enumerate(attending):
        arrived = starts - datetime.timedelta(minutes=45) + datetime.timedelta(minutes=index % 40)
        left = starts + datetime.timedelta(minutes=95) if participation.pk == leaver else None
        Participation.objects.filter(pk=participation.pk).update(arrived_at=arrived, left_at=left)
    for index, vote in enumerate(votes):
        opened = starts + datetime.timedelta(minutes=20 + 30 * index)
        Vote.objects.filter(pk=vote.pk).update(
            opened_at=opened,
            closed_at=opened + datetime.timedelta(minutes=15),
            candidacy_deadline=starts - datetime.timedelta(days=7)
            if vote.kind == Vote.Kind.ELECTION
            else None,
        )
        QuorumRecord.objects.filter(vote=vote).update(at=opened)
        entries = ActionLog.objects.filter(vote=vote)
        entries.filter(action="candidacy").update(at=starts - datetime.timedelta(days=8))
        entries.filter(action__in=("vote_open", "hand_counts")).update(at=opened)
        entries.filter(action="vote_close").update(at=opened + datetime.timedelta(minutes=15))
    records = QuorumRecord.objects.filter(assembly=assembly, vote__isnull=True).order_by("pk")
    first, last = records.first(), records.last()
    if first is not None:
        QuorumRecord.objects.filter(pk=first.pk).update(at=starts)
    if last is not None and last.pk != getattr(first, "pk", None):
        QuorumRecord.objects.filter(pk=last.pk).update(at=closes)
    entries = ActionLog.objects.filter(assembly=assembly, vote__isnull=True)
    entries.filter(action="roll_refresh").update(at=convened - datetime.timedelta(hours=1))
    entries.filter(action="answer").update(at=convened + datetime.timedelta(days=3))
    entries.filter(action="sign_in").update(at=starts - datetime.timedelta(minutes=20))
    entries.filter(action="sign_out").update(at=starts + datetime.timedelta(minutes=95))
    entries.filter(action="open").update(at=starts)
    entries.filter(action="close").update(at=closes)


def _past_assembly(
    report: DemoReport, pools: dict[str, Any], staff: User | None, today: datetime.date
) -> None:
    day = last_june(today)
    title = f"Assemblée générale ordinaire {day.year}"
    if Assembly.objects.filter(title=title).exists():
        return
    by: Any = staff
    rng = random.Random(f"governance:{title}")  # noqa: S311 — a reproducible demo, not a secret
    starts = _aware(day, 9, 30)
    assembly = Assembly.objects.create(
        title=title,
        kind=Assembly.Kind.ORDINARY,
        mode=Assembly.Mode.HYBRID,
        starts_at=starts,
        place=PLACE,
        agenda=AGENDA,
    )
    report.count("assemblies", True)
    # Convened 21 days before: the roll and the state as ``assembly_convene`` makes them,
    # without its e-mails (a demo sends none).
    roll_refresh(assembly=assembly, by=by)
    assembly.state, assembly.convened_at = Assembly.State.CONVENED, starts - datetime.timedelta(days=21)
    assembly.save()
    attending = _answers(assembly, rng, attend=0.55, excused=0.15, proxies=12)
    for participation in attending:
        sign_in(participation=participation, by=by)
    assembly_open(assembly=assembly, by=by)
    votes = _resolutions(assembly, rng, staff, day.year)
    leaver = next((p.pk for p in reversed(attending) if not p.proxies_held.exists()), None)
    if leaver is not None:
        sign_out(participation=Participation.objects.get(pk=leaver), by=by)
    votes += _elections(report, assembly, pools, rng, staff)
    assembly_close(assembly=assembly, by=by)
    for _vote in votes:
        report.count("votes", True)
    _move_to_the_day(assembly, votes, attending, leaver)
    # Approved by the Bureau a month later: stored as ``minutes_approve`` does, without the
    # members' e-mail.
    assembly.refresh_from_db()
    minutes_store(assembly, min(day + datetime.timedelta(days=30), today))


def _upcoming_assembly(report: DemoReport, staff: User | None, today: datetime.date) -> None:
    day = today + datetime.timedelta(days=21)
    if Assembly.objects.filter(state=Assembly.State.CONVENED, starts_at__date__gt=today).exists():
        return
    starts = _aware(day, 14)
    title = "Assemblée générale ordinaire d’automne" if day.month >= 9 else "Assemblée générale ordinaire"
    assembly = Assembly.objects.create(
        title=f"{title} {day.year}",
        kind=Assembly.Kind.ORDINARY,
        mode=Assembly.Mode.HYBRID,
        starts_at=starts,
        place=PLACE,
        online_url="https://visio.demo.maillage.test/ag",
        agenda=(
            "1. Ratification de la cooptation au Grand Conseil\n2. Orientations et budget\n"
            "3. Questions diverses"
        ),
    )
    report.count("assemblies", True)
    # Convened two days ago: ``assembly_convene`` would e-mail every member's representatives;
    # the demo makes the same roll and state and sends nothing.
    roll_refresh(assembly=assembly, by=staff)
    assembly.state, assembly.convened_at = (
        Assembly.State.CONVENED,
        _aware(today - datetime.timedelta(days=2), 10),
    )
    assembly.save()
    rng = random.Random(f"governance:{assembly.title}")  # noqa: S311 — a reproducible demo
    _answers(assembly, rng, attend=0.3, excused=0.1, proxies=5)


def seed(report: DemoReport) -> None:
    today = timezone.localdate()
    bodies_ensure()
    members = _members()
    if not any(members.values()):
        return  # no members yet: no bodies' members, no assemblies
    pools = {college: iter(found) for college, found in members.items()}
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if not Mandate.objects.filter(body__slug="grand-conseil").exists():
        _bodies_in_office(report, pools, today)
        _past_assembly(report, pools, staff, today)
    _upcoming_assembly(report, staff, today)
