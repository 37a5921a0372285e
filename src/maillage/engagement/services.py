"""Writes on the agenda's events: create, update, propose, moderate, cancel. Every function
runs in a transaction and validates the event; e-mails go through ``core.emails``.

Registrations are in ``services_registrations.py``, trainings in ``services_trainings.py``."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core import ical
from maillage.core.emails import email_queue
from maillage.engagement.models import Event, Registration

M2M_FIELDS = ("themes", "organisers")
# A change of these moves the event in the calendars that have it: its SEQUENCE goes up.
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "commune_id", "online_url")
# Paths of the agenda that an event's address must not take (/agenda/<slug>/).
RESERVED_SLUGS = frozenset(
    {"mois", "carte", "proposer", "inscription", "creneau", "questionnaire", "attestation"}
)


def _unique_slug(title: str, starts_at: Any) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m-%d}")[:200] or "evenement"
    slug, suffix = base, 2
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _check(event: Event) -> None:
    errors: dict[str, list[str]] = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    if event.registration_closes_at and event.ends_at and event.registration_closes_at > event.ends_at:
        errors["registration_closes_at"] = [_("Registrations must close before the event ends.")]
    try:
        event.full_clean(exclude=["slug"] if not event.slug else None, validate_constraints=not errors)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _set_m2m(event: Event, m2m: dict[str, Iterable[Any]]) -> None:
    for name in M2M_FIELDS:
        if name in m2m:
            getattr(event, name).set(m2m[name])


@transaction.atomic
def event_create(*, proposed_by: Any = None, **fields: Any) -> Event:
    """A new event (a draft unless ``status`` is given); ``themes``/``organisers`` are lists."""
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    event = Event(proposed_by=proposed_by, **fields)
    if not event.slug and event.title and event.starts_at:
        event.slug = _unique_slug(event.title, event.starts_at)
    _check(event)
    event.save()
    _set_m2m(event, m2m)
    return event


@transaction.atomic
def event_update(*, event: Event, **fields: Any) -> Event:
    """Change an event; its calendar revision goes up when its time or place changes."""
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    before = {name: getattr(event, name) for name in CALENDAR_FIELDS}
    for name, value in fields.items():
        setattr(event, name, value)
    if any(getattr(event, name) != value for name, value in before.items()):
        event.sequence += 1
    _check(event)
    event.save()
    _set_m2m(event, m2m)
    return event


def may_propose_for(user: Any) -> Any:
    """The organisations a user may propose events for: those they edit."""
    from maillage.directory.models import Organisation

    return Organisation.objects.filter(editors=user)


@transaction.atomic
def event_propose(*, user: Any, **fields: Any) -> Event:
    """A member's editor proposes an event: submitted for moderation, with their organisations
    among the co-organisers."""
    if not user.has_perm("engagement.propose_event"):
        raise PermissionDenied
    fields["status"] = Event.Status.SUBMITTED
    return event_create(proposed_by=user, **fields)


def _event_url(event: Event) -> str:
    return ical.site_url(reverse("engagement:event", args=[event.slug]))


@transaction.atomic
def event_moderate(*, event: Event, user: Any, publish: bool, comment: str = "") -> Event:
    """Staff publish a submitted event, or send it back (a draft again) with a comment; the
    proposer is told by e-mail either way."""
    if not user.has_perm("engagement.change_event", event):
        raise PermissionDenied
    if event.status not in (Event.Status.SUBMITTED, Event.Status.DRAFT):
        raise ValidationError(_("Only a draft or a submitted event can be moderated."))
    if not publish and not comment.strip():
        raise ValidationError({"comment": [_("Say what should be changed.")]})
    event.status = Event.Status.PUBLISHED if publish else Event.Status.DRAFT
    event.save(update_fields=["status", "updated_at"])
    proposer = event.proposed_by
    if proposer is not None and proposer.email:
        if publish:
            subject = _("Your event « %(title)s » is published") % {"title": event.title}
            text = _("Your event « %(title)s » is now in the agenda:\n%(url)s") % {
                "title": event.title,
                "url": _event_url(event),
            }
        else:
            subject = _("Your event « %(title)s » needs changes") % {"title": event.title}
            text = _("Your event « %(title)s » was not published yet. The team’s comment:\n\n%(comment)s") % {
                "title": event.title,
                "comment": comment.strip(),
            }
        email_queue(to=[proposer.email], subject=subject, text=text)
    return event


# Called with (event, registrations) by ``event_cancel`` after the default notice: other
# modules (registrations: refunds, waiting list) append their own steps here.
CANCEL_HOOKS: list[Callable[[Event, list[Registration]], None]] = []


def event_cancel_notify(event: Event, registrations: Iterable[Registration]) -> None:
    """Tell each registrant that the event is cancelled (once per registration)."""
    subject = _("Cancelled: %(title)s") % {"title": event.title}
    when = timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M")
    text = _("We are sorry: the event « %(title)s » of %(when)s is cancelled.") % {
        "title": event.title,
        "when": when,
    }
    for registration in registrations:
        email_queue(
            to=[registration.email], subject=subject, text=text, key=f"event-cancelled-{registration.pk}"
        )


@transaction.atomic
def event_cancel(*, event: Event, user: Any) -> Event:
    """Cancel an event: it stays in the agenda marked cancelled, its calendar revision goes
    up, and every registrant who held or awaited a seat is told."""
    if not user.has_perm("engagement.change_event", event):
        raise PermissionDenied
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    registrations = list(event.registrations.exclude(status=Registration.Status.CANCELLED))
    event_cancel_notify(event, registrations)
    for hook in CANCEL_HOOKS:
        hook(event, registrations)
    return event
