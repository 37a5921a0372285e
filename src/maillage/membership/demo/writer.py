"""Writing the planned members in bulk, as history.

The services (``application_submit``, ``application_approve``, ``payment_record``…) are made for
what happens now: they queue e-mails (welcome, receipt, call) in the outbox — which a seed must
not fill —, render a PDF per receipt after the commit (Celery runs eagerly without a broker),
date each receipt of the current year and refuse the closed year. The demo's records are past
events, so they are written directly with their own dates. The rule that matters is kept: the
receipts are numbered per year of issue from the ``ReceiptSequence`` rows, locked and advanced
by the number of receipts, so that the numbering stays gap-free and continues without collision
whatever was recorded before or after. Their PDFs are rendered on first download, as usual."""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from maillage.accounts.models import User
from maillage.directory.models import Affiliation, Organisation
from maillage.membership.demo.documents import FOUNDED
from maillage.membership.demo.plan import ApplicationPlan, Candidate, MemberPlan
from maillage.membership.models import (
    Application,
    Dues,
    GoverningDocument,
    Membership,
    MembershipYear,
    Payment,
    Receipt,
    ReceiptSequence,
    Reminder,
)

REASON = "demo data"


def aware(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _spread(slug: str, low: int, high: int) -> int:
    """A stable number in [low, high] for an organisation (so that dates do not all coincide)."""
    return low + int(hashlib.sha256(slug.encode()).hexdigest()[:8], 16) % (high - low + 1)


def _create(objs: Sequence[Model], model: type[Model]) -> list[Any]:
    created = list(bulk_create_with_history(objs, model, default_change_reason=REASON))
    assert all(obj.pk is not None for obj in created)  # noqa: S101 (PostgreSQL and SQLite ≥ 3.35)
    return created


def in_force(documents: list[GoverningDocument], kind: str, on: datetime.date) -> GoverningDocument:
    return max(
        (d for d in documents if d.kind == kind and d.in_force_from <= on),
        key=lambda d: d.in_force_from,
    )


@dataclass
class Representatives:
    representative: int
    deputy: int | None
    new: list[tuple[int, str]]  # (person, role) affiliations to add


def representatives(candidate: Candidate, preferred_deputy: int | None = None) -> Representatives:
    """The titulaire and suppléant among the organisation's people: those already designated,
    else its legal representative and another of its people (who then get the role)."""
    people = [pk for pk, _role in candidate.people]
    by_role: dict[str, int] = {}
    for pk, role in candidate.people:
        by_role.setdefault(role, pk)
    new: list[tuple[int, str]] = []
    titulaire = by_role.get("titulaire")
    if titulaire is None:
        titulaire = by_role.get("legal", people[0])
        new.append((titulaire, Affiliation.Role.REPRESENTATIVE))
    deputy = by_role.get("suppleant")
    if deputy == titulaire:
        deputy = None
    if deputy is None:
        others = [pk for pk in dict.fromkeys(people) if pk != titulaire]
        if preferred_deputy in others:
            others.insert(0, preferred_deputy)
        if others:
            deputy = others[0]
            new.append((deputy, Affiliation.Role.DEPUTY))
    return Representatives(titulaire, deputy, new)


@dataclass
class Written:
    applications: int = 0
    memberships: int = 0
    dues: int = 0
    payments: int = 0
    receipts: int = 0
    reminders: int = 0


class Writer:
    def __init__(
        self,
        *,
        documents: list[GoverningDocument],
        years: dict[int, MembershipYear],
        staff: User | None,
        editor: User | None,
        editor_organisation: int | None,
    ) -> None:
        self.documents = documents
        self.years = years
        self.staff = staff
        self.editor = editor
        self.editor_organisation = editor_organisation
        self.written = Written()

    def _representatives(self, candidate: Candidate) -> Representatives:
        preferred = None
        if self.editor is not None and candidate.pk == self.editor_organisation:
            preferred = next((pk for pk, role in candidate.people if role == "staff"), None)
            person = getattr(self.editor, "person", None)
            preferred = person.pk if person is not None else preferred
        return representatives(candidate, preferred)

    def members(self, plans: list[MemberPlan]) -> None:
        if not plans:
            return
        applications, affiliations, dates = [], [], []
        for plan in plans:
            slug = plan.candidate.slug
            submitted = plan.member_since  # the founders joined at the constitutive assembly
            if plan.member_since > FOUNDED:
                submitted -= datetime.timedelta(days=_spread(slug, 12, 45))
            chosen = self._representatives(plan.candidate)
            applications.append(
                Application(
                    organisation_id=plan.candidate.pk,
                    applicant=self.editor if plan.candidate.pk == self.editor_organisation else None,
                    college=plan.candidate.college,
                    size=plan.size,
                    representative_id=chosen.representative,
                    deputy_id=chosen.deputy,
                    statutes=in_force(self.documents, "statutes", submitted),
                    charter=in_force(self.documents, "charter", submitted),
                    status=Application.Status.ACCEPTED,
                    decided_by=self.staff,
                    decided_at=aware(plan.member_since, 18),
                )
            )
            affiliations += [
                Affiliation(
                    person_id=person, organisation_id=plan.candidate.pk, role=role, start=plan.member_since
                )
                for person, role in chosen.new
            ]
            dates.append(aware(submitted, 11))
        applications = _create(applications, Application)
        for application, created_at in zip(applications, dates, strict=True):
            application.created_at = created_at  # the day it was sent (bulk_create stamps now)
        Application.objects.bulk_update(applications, ["created_at"])
        _create(affiliations, Affiliation)
        memberships = _create(
            [
                Membership(
                    organisation_id=plan.candidate.pk,
                    application=application,
                    college=plan.candidate.college,
                    size=plan.size,
                    member_since=plan.member_since,
                    ended_on=plan.ended_on,
                    end=plan.end,
                    end_reason=plan.end_reason,
                )
                for plan, application in zip(plans, applications, strict=True)
            ],
            Membership,
        )
        self.written.applications += len(applications)
        self.written.memberships += len(memberships)
        self._dues(plans, memberships)
        current = [plan.candidate.pk for plan in plans if plan.ended_on is None]
        # The "Adhérent" badge, as ``directory.services.organisation_set_member`` sets it, with a
        # historical record each (in bulk: a save records the many-to-many links too, 80 ms each).
        organisations = list(Organisation.objects.filter(pk__in=current, is_member=False).order_by("pk"))
        now = timezone.now()
        for organisation in organisations:
            organisation.is_member, organisation.updated_at = True, now
        bulk_update_with_history(
            organisations, Organisation, ["is_member", "updated_at"], default_change_reason=REASON
        )

    def _dues(self, plans: list[MemberPlan], memberships: list[Membership]) -> None:
        dues_rows, plans_of_dues = [], []
        for plan, membership in zip(plans, memberships, strict=True):
            for dues in plan.dues:
                dues_rows.append(
                    Dues(
                        membership=membership,
                        year=self.years[dues.year],
                        scale_amount=dues.scale_amount,
                        amount=dues.amount,
                        override_reason=dues.override_reason,
                        called_at=aware(dues.called_on) if dues.called_on else None,
                    )
                )
                plans_of_dues.append(dues)
        dues_rows = _create(dues_rows, Dues)
        self.written.dues += len(dues_rows)
        payments: list[Payment] = []
        cancellations: list[Payment] = []
        reminders: list[Reminder] = []
        for row, dues in zip(dues_rows, plans_of_dues, strict=True):
            last: Payment | None = None
            for event in dues.payments:
                payment = Payment(
                    dues=row,
                    kind=event.kind,
                    amount=event.amount,
                    method=event.method,
                    received_on=event.received_on,
                    reference=event.reference,
                    note=event.note,
                    recorded_by=self.staff,
                )
                if event.kind == Payment.Kind.CANCELLATION:
                    payment.cancels = last
                    cancellations.append(payment)
                else:
                    payments.append(payment)
                    last = payment
            reminders += [Reminder(dues=row, offset_days=offset) for offset, _day in dues.reminders]
        created = Payment.objects.bulk_create(payments) + Payment.objects.bulk_create(cancellations)
        self.written.payments += len(created)
        self._receipts(created, {row.pk: row for row in dues_rows}, plans, dues_rows)
        reminders = Reminder.objects.bulk_create(reminders)
        days = {
            (row.pk, offset): day
            for row, dues in zip(dues_rows, plans_of_dues, strict=True)
            for offset, day in dues.reminders
        }
        for reminder in reminders:
            reminder.sent_at = aware(days[(reminder.dues_id, reminder.offset_days)], 7)
        Reminder.objects.bulk_update(reminders, ["sent_at"])
        self.written.reminders += len(reminders)

    def _receipts(
        self, payments: list[Payment], dues_by_pk: dict[int, Dues], plans: list[MemberPlan], rows: list[Dues]
    ) -> None:
        """One receipt per payment and credit note, numbered per year of issue in date order."""
        organisation_ids = {plan.candidate.pk for plan in plans}
        organisations = Organisation.objects.select_related("commune").in_bulk(organisation_ids)
        membership_organisation = {row.membership_id: row.membership.organisation_id for row in rows}
        by_year: dict[int, list[Payment]] = defaultdict(list)
        for payment in sorted(payments, key=lambda p: (p.received_on, p.pk)):
            by_year[payment.received_on.year].append(payment)
        receipts = []
        for year, issued in sorted(by_year.items()):
            ReceiptSequence.objects.get_or_create(year=year)
            sequence = ReceiptSequence.objects.select_for_update().get(year=year)
            ReceiptSequence.objects.filter(year=year).update(last=F("last") + len(issued))
            for number, payment in enumerate(issued, start=sequence.last + 1):
                organisation = organisations[
                    membership_organisation[dues_by_pk[payment.dues_id].membership_id]
                ]
                town = organisation.commune.postal_town if organisation.commune else ""
                receipt = Receipt(
                    payment=payment,
                    year=year,
                    number=number,
                    organisation_name=organisation.name,
                    address="\n".join(part for part in (organisation.address, town) if part),
                )
                receipts.append(receipt)
        receipts = Receipt.objects.bulk_create(receipts)
        for receipt in receipts:
            receipt.issued_at = aware(receipt.payment.received_on, 14, 5)
        Receipt.objects.bulk_update(receipts, ["issued_at"])
        self.written.receipts += len(receipts)

    def applications(self, plans: list[ApplicationPlan], applicant: User | None) -> None:
        """Open applications (and a refused one) in the staff's list. Their representatives get
        their roles when the application is accepted, as through the services."""
        today = timezone.localdate()
        rows = []
        for index, plan in enumerate(plans):
            chosen = representatives(plan.candidate)
            decided = plan.status in (Application.Status.INCOMPLETE, Application.Status.REFUSED)
            row = Application(
                organisation_id=plan.candidate.pk,
                applicant=applicant if index == 0 else None,
                college=plan.candidate.college,
                size=plan.size,
                representative_id=chosen.representative,
                deputy_id=chosen.deputy,
                statutes=in_force(self.documents, "statutes", plan.submitted_on),
                charter=in_force(self.documents, "charter", plan.submitted_on),
                message=plan.message,
                status=plan.status,
                reason=plan.reason,
                decided_by=self.staff if decided else None,
                decided_at=aware(min(plan.submitted_on + datetime.timedelta(days=2), today), 10)
                if decided
                else None,
            )
            rows.append(row)
        dates = [aware(plan.submitted_on, 16) for plan in plans]
        rows = _create(rows, Application)
        for row, created_at in zip(rows, dates, strict=True):
            row.created_at = created_at
        Application.objects.bulk_update(rows, ["created_at"])
        self.written.applications += len(rows)
