"""Applications for membership and the life of a membership: an organisation applies, staff
approve (and the Bureau ratifies, when the statutes ask for it), ask for more or refuse; a
membership ends by a recorded decision."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.directory import services as directory
from maillage.directory.models import Affiliation, Organisation, Person
from maillage.membership.models import Application, GoverningDocument, Membership, MembershipYear
from maillage.membership.notify import notify
from maillage.membership.selectors import representatives
from maillage.membership.services.dues import dues_ensure
from maillage.membership.status import current_membership


def document_current(kind: str, on: datetime.date | None = None) -> GoverningDocument | None:
    """The version of the statutes or of the charter in force at a date."""
    on = on or timezone.localdate()
    return (
        GoverningDocument.objects.filter(kind=kind, in_force_from__lte=on).order_by("-in_force_from").first()
    )


def _check_may_apply(organisation: Organisation) -> None:
    if organisation.kind != Organisation.Kind.REGIONAL:
        raise ValidationError(_("Only organisations of the region can become members."))
    if current_membership(organisation.pk, timezone.localdate()) is not None:
        raise ValidationError(_("%(name)s is already a member of the network.") % {"name": organisation.name})
    if Application.objects.filter(organisation=organisation, status__in=Application.OPEN).exists():
        raise ValidationError(_("This organisation has already applied; the application is being reviewed."))


@transaction.atomic
def application_submit(
    *,
    applicant: User,
    organisation: Organisation,
    size: Decimal,
    representative: Person,
    deputy: Person | None = None,
    statutes: GoverningDocument,
    charter: GoverningDocument,
    message: str = "",
) -> Application:
    """Record an organisation's application; the applicant and the staff are told by e-mail."""
    _check_may_apply(organisation)
    for document, kind in (
        (statutes, GoverningDocument.Kind.STATUTES),
        (charter, GoverningDocument.Kind.CHARTER),
    ):
        if document != document_current(kind):
            raise ValidationError(_("Accept the version of the statutes and of the charter in force."))
    application = Application(
        organisation=organisation,
        applicant=applicant,
        college=organisation.college,
        size=size,
        representative=representative,
        deputy=deputy,
        statutes=statutes,
        charter=charter,
        message=message.strip(),
    )
    application.full_clean()
    application.save()
    context = {"application": application, "organisation": organisation}
    notify(
        to=[applicant.email],
        template="application_received",
        context=context,
        key=f"application:{application.pk}:received",
    )
    staff_url = settings.MAILLAGE_SITE_URL + reverse("membership_staff:application", args=[application.pk])
    notify(
        to=[settings.MAILLAGE_CONTACT_EMAIL],
        template="application_to_review",
        context=context | {"url": staff_url},
        key=f"application:{application.pk}:to-review",
    )
    return application


@transaction.atomic
def application_update(*, application: Application, by: User, **fields: object) -> Application:
    """The applicant completes an application the staff sent back: it is submitted again."""
    if application.status not in (Application.Status.SUBMITTED, Application.Status.INCOMPLETE):
        raise ValidationError(_("This application has already been decided."))
    for name, value in fields.items():
        setattr(application, name, value)
    application.status = Application.Status.SUBMITTED
    application._change_reason = _("Completed by %(user)s") % {"user": by}  # type: ignore[attr-defined]
    application.full_clean()
    application.save()
    return application


def _decide(application: Application, *, by: User, status: str, reason: str = "") -> None:
    application.status = status
    application.reason = reason.strip()
    application.decided_by, application.decided_at = by, timezone.now()
    application.save()


def _tell_applicant(application: Application, template: str) -> None:
    if application.applicant is None:
        return
    notify(
        to=[application.applicant.email],
        template=template,
        context={"application": application, "organisation": application.organisation},
        key=f"application:{application.pk}:{template}:{application.history.count()}",
    )


@transaction.atomic
def application_request_info(*, application: Application, by: User, comment: str) -> Application:
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be sent back."))
    if not comment.strip():
        raise ValidationError({"reason": _("Say what is missing.")})
    _decide(application, by=by, status=Application.Status.INCOMPLETE, reason=comment)
    _tell_applicant(application, "application_incomplete")
    return application


@transaction.atomic
def application_refuse(*, application: Application, by: User, reason: str) -> Application:
    if application.status not in Application.OPEN:
        raise ValidationError(_("This application has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    _decide(application, by=by, status=Application.Status.REFUSED, reason=reason)
    _tell_applicant(application, "application_refused")
    return application


@transaction.atomic
def application_approve(
    *, application: Application, by: User, on: datetime.date | None = None
) -> Application:
    """Staff approve: the organisation becomes a member, or awaits the Bureau's ratification."""
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be approved."))
    if settings.MAILLAGE_MEMBERSHIP_RATIFICATION:
        _decide(application, by=by, status=Application.Status.APPROVED)
        _tell_applicant(application, "application_approved")
        return application
    _accept(application, by=by, on=on)
    return application


@transaction.atomic
def application_ratify(*, application: Application, by: User, on: datetime.date | None = None) -> Application:
    """The Bureau ratifies an application the staff approved."""
    if application.status != Application.Status.APPROVED:
        raise ValidationError(_("Only an approved application can be ratified."))
    _accept(application, by=by, on=on)
    return application


def _accept(application: Application, *, by: User, on: datetime.date | None) -> Membership:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("A membership cannot begin in the future."))
    organisation = application.organisation
    _decide(application, by=by, status=Application.Status.ACCEPTED, reason=application.reason)
    membership = Membership(
        organisation=organisation,
        application=application,
        college=application.college,
        size=application.size,
        member_since=on,
    )
    membership.full_clean()
    membership.save()
    representatives_set(
        membership=membership, representative=application.representative, deputy=application.deputy, on=on
    )
    if application.applicant is not None:
        directory.organisation_editor_add(organisation=organisation, user=application.applicant)
    directory.organisation_set_member(organisation=organisation, member=True)
    if organisation.status in (Organisation.Status.DRAFT, Organisation.Status.SUBMITTED):
        directory.organisation_set_status(organisation=organisation, status=Organisation.Status.PUBLISHED)
    year = MembershipYear.objects.filter(year=on.year).first()
    if year is not None and year.brackets.filter(college=membership.college).exists():
        dues_ensure(membership=membership, year=year)
    _tell_applicant(application, "welcome")
    return membership


@transaction.atomic
def representatives_set(
    *, membership: Membership, representative: Person, deputy: Person | None, on: datetime.date | None = None
) -> None:
    """Designate the member's titulaire and suppléant; those they replace end that day (see
    ``selectors.representatives``: an end is excluded)."""
    on = on or timezone.localdate()
    wanted = {Affiliation.Role.REPRESENTATIVE: representative, Affiliation.Role.DEPUTY: deputy}
    if deputy is not None and deputy == representative:
        raise ValidationError(_("The titulaire and the suppléant must be two different people."))
    current = {a.role: a for a in representatives(membership.organisation)}
    for role, person in wanted.items():
        affiliation = current.get(role)
        if affiliation is not None and affiliation.person == person:
            continue
        if affiliation is not None:
            directory.affiliation_end(affiliation=affiliation, on=max(affiliation.start or on, on))
        if person is not None:
            directory.affiliation_add(
                person=person, organisation=membership.organisation, role=role, start=on
            )


@transaction.atomic
def membership_end(
    *, membership: Membership, end: str, on: datetime.date, reason: str, by: User
) -> Membership:
    """Record a resignation or a striking off, with its date and reason."""
    if membership.ended_on is not None:
        raise ValidationError(_("This membership has already ended."))
    if on < membership.member_since:
        raise ValidationError({"ended_on": _("A membership cannot end before it began.")})
    if on > timezone.localdate():
        raise ValidationError({"ended_on": _("Record the end on the day it happens, not before.")})
    if not reason.strip():
        raise ValidationError({"end_reason": _("Give the reason.")})
    membership.ended_on, membership.end, membership.end_reason = on, Membership.End(end), reason.strip()
    membership._change_reason = _("Ended by %(user)s") % {"user": by}  # type: ignore[attr-defined]
    membership.full_clean()
    membership.save()
    directory.organisation_set_member(organisation=membership.organisation, member=False)
    return membership
