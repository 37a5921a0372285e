"""Bodies and mandates: the Bureau and the Grand Conseil by default, seats capped per
collège, three-year terms, co-optations ratified by the next assembly."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from maillage.directory.models import College, Organisation, Person
from maillage.governance.models import Assembly, Body, Mandate, Office, Vote

BODIES = (
    # slug, name, seats per collège (None: no cap), elected by, offices (slug, name, holders)
    ("grand-conseil", gettext_noop("Grand Conseil"), "GRAND_CONSEIL", None, ()),
    (
        "bureau",
        gettext_noop("Bureau"),
        None,
        "grand-conseil",
        (
            ("president", gettext_noop("Président·e"), 1),
            ("vice-president", gettext_noop("Vice-président·e"), 3),
            ("tresorier", gettext_noop("Trésorier·ère"), 1),
            ("secretaire", gettext_noop("Secrétaire"), 1),
        ),
    ),
)


def bodies_ensure() -> None:
    """Create the default bodies and offices if missing (never changes existing ones)."""
    for position, (slug, name, seats, elected_by, offices) in enumerate(BODIES):
        body, _created = Body.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "position": position,
                "term_years": settings.MAILLAGE_TERM_YEARS,
                "seats_per_college": settings.MAILLAGE_GRAND_CONSEIL_SEATS_PER_COLLEGE if seats else None,
                "elected_by": Body.objects.filter(slug=elected_by).first() if elected_by else None,
            },
        )
        for office_position, (office_slug, office_name, holders) in enumerate(offices):
            Office.objects.get_or_create(
                body=body,
                slug=office_slug,
                defaults={"name": office_name, "holders": holders, "position": office_position},
            )


def mandates_active(body: Body, on: datetime.date | None = None) -> QuerySet[Mandate]:
    on = on or timezone.localdate()
    return body.mandates.filter(state=Mandate.State.ACTIVE, start__lte=on, end__gt=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )


def seats_left(body: Body, college: str, on: datetime.date | None = None) -> int | None:
    """Seats of the collège not held by an active mandate (None: no cap)."""
    if body.seats_per_college is None:
        return None
    return body.seats_per_college - mandates_active(body, on).filter(college=college).count()


def _term_end(start: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for a 29 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


@transaction.atomic
def mandate_add(
    *,
    body: Body,
    person: Person,
    organisation: Organisation,
    start: datetime.date,
    office: Office | None = None,
    co_opted: bool = False,
    elected_at: Vote | None = None,
) -> Mandate:
    """A mandate for the body's term, within the collège's cap and the office's holders."""
    Body.objects.select_for_update().get(pk=body.pk)  # serialises the count below
    college = organisation.college
    if not college:
        raise ValidationError(_("Only a member organisation of the region can hold a mandate."))
    left = seats_left(body, college, start)
    if left is not None and left <= 0:
        raise ValidationError(
            _("All %(seats)s seats of the collège « %(college)s » in the %(body)s are held.")
            % {"seats": body.seats_per_college, "college": College(college).label, "body": body.name}
        )
    if office is not None:
        if office.body_id != body.pk:
            raise ValidationError(_("This office belongs to another body."))
        if mandates_active(body, start).filter(office=office).count() >= office.holders:
            raise ValidationError(_("The office « %(office)s » is already held.") % {"office": office.name})
    end = _term_end(start, body.term_years)
    mandate = Mandate(
        body=body,
        person=person,
        organisation=organisation,
        college=college,
        office=office,
        start=start,
        end=end,
        co_opted=co_opted,
        elected_at=elected_at,
    )
    mandate.full_clean()
    mandate.save()
    return mandate


@transaction.atomic
def mandate_end(*, mandate: Mandate, on: datetime.date, resigned: bool = False) -> Mandate:
    if mandate.state != Mandate.State.ACTIVE:
        raise ValidationError(_("This mandate has already ended."))
    if on < mandate.start:
        raise ValidationError(_("A mandate cannot end before it starts."))
    mandate.ended_on = on
    mandate.state = Mandate.State.RESIGNED if resigned else Mandate.State.ENDED
    mandate.save()
    return mandate


@transaction.atomic
def mandate_ratify(*, mandate: Mandate, assembly: Assembly) -> Mandate:
    """The assembly ratifies a co-optation."""
    if not mandate.co_opted or mandate.ratified_at_id is not None:
        raise ValidationError(_("Only a co-optation awaiting ratification can be ratified."))
    mandate.ratified_at = assembly
    mandate.save()
    return mandate


def mandates_ending(within_days: int = 60, on: datetime.date | None = None) -> QuerySet[Mandate]:
    """Active mandates whose term ends within the coming days (alerts)."""
    on = on or timezone.localdate()
    return (
        Mandate.objects.filter(state=Mandate.State.ACTIVE, ended_on__isnull=True, end__gt=on)
        .filter(end__lte=on + datetime.timedelta(days=within_days))
        .select_related("body", "person", "organisation", "office")
    )
