"""The demo membership: the statutes and the charter, three membership years (this year and the
two before, the oldest closed) with their fee scales, about 150 members chosen among the demo's
regional organisations across the three collèges, their dues, payments, credit notes, receipts
and reminders, and a few applications waiting for the staff.

Deterministic (each organisation draws from a ``random.Random`` seeded with its slug; the dates
follow today's date) and idempotent: documents and years are keyed on their version and year,
members on their organisation — an organisation that already applied or is a member is left
alone. The demo editor's organisation is a member with paid dues, so that her member space shows
calls and receipts. Why the records are written directly rather than through the services: see
``writer.py``."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from maillage.accounts.models import User
from maillage.core.seeding import DemoReport
from maillage.directory.demo import EDITOR_EMAIL
from maillage.directory.models import Affiliation, Organisation
from maillage.membership.demo.documents import DOCUMENTS
from maillage.membership.demo.plan import (
    OPEN_APPLICATIONS,
    SCALES,
    TARGETS,
    Candidate,
    Planner,
    order_key,
    scale_amount,
)
from maillage.membership.demo.writer import REASON, Writer, aware
from maillage.membership.models import Application, FeeBracket, GoverningDocument, Membership, MembershipYear

STAFF_EMAIL = "equipe@demo.maillage.test"
APPLICANT_EMAIL = "personne@demo.maillage.test"


def _tally(report: DemoReport, kind: str, created: int, existing: int = 0) -> None:
    for _index in range(created):
        report.count(kind, True)
    for _index in range(existing):
        report.count(kind, False)


def _documents(report: DemoReport) -> list[GoverningDocument]:
    documents = []
    for kind, version, title, body, in_force_from in DOCUMENTS:
        document, created = GoverningDocument.objects.get_or_create(
            kind=kind,
            version=version,
            defaults={
                "title": title,
                "body": body % {"network": settings.MAILLAGE_NETWORK_NAME},
                "in_force_from": in_force_from,
            },
        )
        report.count("governing documents", created)
        documents.append(document)
    return documents


def _years(planner: Planner, report: DemoReport) -> dict[int, MembershipYear]:
    """The three years with their scales; the oldest one's accounts are closed."""
    years = {}
    for year in planner.years:
        launched = planner.launched(year)
        membership_year, created = MembershipYear.objects.get_or_create(
            year=year,
            defaults={
                "call_launched_at": aware(launched) if launched else None,
                "closed": year == planner.years[0],
            },
        )
        report.count("membership years", created)
        if created:
            brackets = [
                FeeBracket(
                    year=membership_year,
                    college=college,
                    size_from=Decimal(size_from),
                    size_to=None if size_to is None else Decimal(size_to),
                    amount=scale_amount(college, amount, current=year == planner.year),
                )
                for college, rows in SCALES.items()
                for size_from, size_to, amount in rows
            ]
            bulk_create_with_history(brackets, FeeBracket, default_change_reason=REASON)
            _tally(report, "fee brackets", len(brackets))
        years[year] = membership_year
    return years


def candidates() -> list[Candidate]:
    """The published regional organisations with their people, in the demo's stable order."""
    rows = Organisation.objects.filter(kind="regional", status="published").values_list(
        "pk", "slug", "name", "acronym", "college", "category__slug", "commune__population", "budget", "staff"
    )
    people: dict[int, list[tuple[int, str]]] = {}
    affiliations = Affiliation.objects.filter(organisation__in=[row[0] for row in rows], end__isnull=True)
    for organisation, person, role in affiliations.order_by("start", "pk").values_list(
        "organisation_id", "person_id", "role"
    ):
        people.setdefault(organisation, []).append((person, role))
    result = [
        Candidate(
            pk,
            slug,
            name,
            acronym,
            college,
            category or "",
            population or 0,
            budget,
            staff,
            tuple(people[pk]),
        )
        for pk, slug, name, acronym, college, category, population, budget, staff in rows
        if people.get(pk)
    ]
    return sorted(result, key=lambda candidate: order_key(candidate.slug))


def seed(report: DemoReport) -> None:
    today = timezone.localdate()
    planner = Planner(today, list(settings.MAILLAGE_MEMBERSHIP_REMINDER_DAYS))
    documents = _documents(report)
    years = _years(planner, report)
    users = {
        user.email: user
        for user in User.objects.filter(email__in=[STAFF_EMAIL, EDITOR_EMAIL, APPLICANT_EMAIL])
    }
    editor = users.get(EDITOR_EMAIL)
    editor_organisation = (
        Organisation.objects.filter(editors=editor, kind="regional")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        if editor is not None
        else None
    )
    pool = candidates()
    chosen = [c for c in pool if c.pk == editor_organisation]
    for college, target in TARGETS.items():
        wanted = target - sum(1 for c in chosen if c.college == college)
        chosen += [c for c in pool if c.college == college and c.pk != editor_organisation][:wanted]
    chosen.sort(key=lambda c: (c.pk != editor_organisation, order_key(c.slug)))
    members = [planner.member(c, story="editor" if c.pk == editor_organisation else "prompt") for c in chosen]
    planner.tell(members)
    statuses = list(OPEN_APPLICATIONS)
    if settings.MAILLAGE_MEMBERSHIP_RATIFICATION:
        statuses.insert(0, Application.Status.APPROVED)
    taken = {c.pk for c in chosen}
    applying = [c for c in pool if c.pk not in taken][: len(statuses)]
    applications = [
        planner.application(c, status, i)
        for i, (c, status) in enumerate(zip(applying, statuses, strict=False))
    ]

    done = set(Application.objects.values_list("organisation_id", flat=True)) | set(
        Membership.objects.values_list("organisation_id", flat=True)
    )
    writer = Writer(
        documents=documents,
        years=years,
        staff=users.get(STAFF_EMAIL),
        editor=editor,
        editor_organisation=editor_organisation,
    )
    new_members = [m for m in members if m.candidate.pk not in done]
    writer.members(new_members)
    writer.applications([a for a in applications if a.candidate.pk not in done], users.get(APPLICANT_EMAIL))
    written = writer.written
    _tally(report, "memberships", written.memberships, len(members) - len(new_members))
    _tally(report, "membership applications", written.applications)
    _tally(report, "dues", written.dues)
    _tally(report, "payments", written.payments)
    _tally(report, "receipts", written.receipts)
    _tally(report, "reminders", written.reminders)
