"""Demo agenda: a year of events around today — the Festival des Solidarités (November,
co-organised by members), three sessions of the project methodology training with
registrations, a waiting list and attendance, an Agora, ECSI meetings, a tour of the
départements with advice slots. Idempotent (records keyed by slug), deterministic from the
date, and sends no e-mail (written directly, not through the e-mailing services)."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.models import Commune, Theme
from maillage.core.seeding import DemoReport
from maillage.directory.models import Organisation
from maillage.engagement.models import (
    AdviceSlot,
    Attendance,
    Attendee,
    Event,
    HalfDay,
    Registration,
    TicketCategory,
)

TRAINING = {
    "summary": "Deux jours pour construire un projet de solidarité internationale solide.",
    "objectives": "Formuler un diagnostic partagé avec les partenaires ; construire un cadre logique ; "
    "établir un budget et un plan de suivi.",
    "trainer": "Claire Montagut",
    "programme": "Jour 1 : diagnostic, parties prenantes, objectifs.\nJour 2 : cadre logique, budget, suivi.",
}
TOUR = ("Rodez", "Albi", "Perpignan", "Cahors", "Tarbes")
FIRST_NAMES = ("Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jules")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


def _commune(name: str) -> Commune | None:
    return Commune.objects.filter(name=name).order_by("-population").first()


def _event(report: DemoReport, slug: str, **fields: Any) -> tuple[Event, bool]:
    categories = fields.pop("categories", [("Entrée libre", False, None, Decimal(0))])
    organisers = fields.pop("organisers", ())
    themes = fields.pop("themes", ())
    fields.setdefault("status", Event.Status.PUBLISHED)
    event, created = Event.objects.get_or_create(slug=slug, defaults=fields)
    report.count("events", created)
    if created:
        for position, (name, members_only, capacity, price) in enumerate(categories):
            TicketCategory.objects.create(
                event=event,
                name=name,
                members_only=members_only,
                capacity=capacity,
                price=price,
                position=position,
            )
        event.organisers.set(organisers)
        event.themes.set(themes)
    return event, created


def _register(event: Event, index: int, status: str, report: DemoReport, people: int = 1) -> Registration:
    name = FIRST_NAMES[index % len(FIRST_NAMES)]
    email = f"{name.lower()}.{index}@demo.maillage.test".replace("ë", "e").replace("é", "e")
    registration, created = Registration.objects.get_or_create(
        event=event,
        email=email,
        defaults={"status": status, "category": event.categories.first()},
    )
    report.count("registrations", created)
    if created:
        for person in range(people):
            Attendee.objects.create(
                registration=registration,
                first_name=name,
                last_name=f"Participant {index}-{person + 1}",
                email=email,
            )
    return registration


def _training(
    report: DemoReport, number: int, first_day: datetime.date, commune: Commune | None, capacity: int
) -> Event:
    event, _created = _event(
        report,
        f"formation-methodologie-de-projet-{first_day:%Y-%m}",
        title=f"Formation « Méthodologie de projet » — session {number}",
        kind=Event.Kind.TRAINING,
        starts_at=_at(first_day, 9),
        ends_at=_at(first_day + datetime.timedelta(days=1), 17),
        place="Maison des associations",
        commune=commune,
        capacity=capacity,
        duration_hours=Decimal(14),
        accessibility="Salle de plain-pied, accessible en fauteuil.",
        **TRAINING,
    )
    for offset in (0, 1):
        for period in (HalfDay.Period.MORNING, HalfDay.Period.AFTERNOON):
            HalfDay.objects.get_or_create(
                event=event, date=first_day + datetime.timedelta(days=offset), period=period,
                defaults={"hours": Decimal("3.5")},
            )  # fmt: skip
    return event


def seed(report: DemoReport) -> None:
    today = timezone.localdate()
    toulouse, montpellier = _commune("Toulouse"), _commune("Montpellier")
    members = list(Organisation.objects.filter(is_member=True).order_by("slug")[:6])
    themes = list(Theme.objects.order_by("pk")[:3])
    staff = User.objects.filter(email="equipe@demo.maillage.test").first()

    # The Festival des Solidarités: every November (this year's and last year's).
    for year in (today.year - 1, today.year) if today.month >= 11 else (today.year - 1,):
        november = datetime.date(year, 11, 14)
        _event(
            report,
            f"festival-des-solidarites-{year}",
            title=f"Festival des Solidarités {year}",
            kind=Event.Kind.FESTIVAL,
            summary="Deux semaines de rencontres, de films et d’ateliers partout en Occitanie.",
            description="Le Festival des Solidarités réunit chaque année les associations, collectivités "
            "et citoyens autour de la solidarité internationale.",
            starts_at=_at(november, 10),
            ends_at=_at(november + datetime.timedelta(days=16), 18),
            place="Dans toute la région",
            commune=toulouse,
            capacity=None,
            registration=False,
            organisers=members[:4],
            themes=themes,
        )
    next_festival = datetime.date(today.year + (1 if today.month >= 11 else 0), 11, 13)
    _event(
        report,
        f"festival-des-solidarites-{next_festival.year}",
        title=f"Festival des Solidarités {next_festival.year}",
        kind=Event.Kind.FESTIVAL,
        summary="Deux semaines de rencontres, de films et d’ateliers partout en Occitanie.",
        starts_at=_at(next_festival, 10),
        ends_at=_at(next_festival + datetime.timedelta(days=16), 18),
        place="Dans toute la région",
        commune=toulouse,
        capacity=None,
        registration=False,
        organisers=members[:4],
        themes=themes,
    )

    # Three sessions of the training: one past (with attendance), one coming, one full.
    past = _training(report, 1, today - datetime.timedelta(days=60), toulouse, 12)
    coming = _training(report, 2, today + datetime.timedelta(days=30), montpellier, 12)
    full = _training(report, 3, today + datetime.timedelta(days=90), toulouse, 4)
    for index in range(6):
        _register(past, index, Registration.Status.CONFIRMED, report)
        _register(coming, index + 10, Registration.Status.CONFIRMED, report)
    for index in range(4):
        _register(full, index + 20, Registration.Status.CONFIRMED, report)
    for index in range(2):
        _register(full, index + 30, Registration.Status.WAITING, report)
    for half_day in past.half_days.all():
        for number, attendee in enumerate(Attendee.objects.filter(registration__event=past).order_by("pk")):
            _attendance, created = Attendance.objects.get_or_create(
                half_day=half_day,
                attendee=attendee,
                defaults={
                    "present": number != 0 or half_day.period == HalfDay.Period.MORNING,
                    "marked_by": staff,
                },
            )
            report.count("attendances", created)

    # An Agora (paying, members' rate), ECSI meetings, an online conference.
    agora_day = today + datetime.timedelta(days=75)
    _event(
        report,
        f"agora-{agora_day.year}",
        title=f"Agora régionale de la coopération {agora_day.year}",
        kind=Event.Kind.CONFERENCE,
        summary="La journée régionale des acteurs de la coopération internationale.",
        programme="9 h 30 : accueil\n10 h : plénière\n14 h : ateliers\n16 h 30 : clôture",
        accessibility="Boucle magnétique, interprétation en LSF sur demande.",
        starts_at=_at(agora_day, 9, 30),
        ends_at=_at(agora_day, 17, 30),
        place="Hôtel de Région",
        commune=toulouse,
        capacity=200,
        categories=[
            ("Membres du réseau", True, 150, Decimal(0)),
            ("Non-membres", False, 50, Decimal("15.00")),
        ],
        organisers=members[:2],
        themes=themes[:1],
    )
    for offset in (-100, -20, 45, 140):
        day = today + datetime.timedelta(days=offset)
        _event(
            report,
            f"rencontre-ecsi-{day:%Y-%m-%d}",
            title="Rencontre des acteurs de l’ECSI",
            kind=Event.Kind.MEETING,
            summary="Échanges de pratiques en éducation à la citoyenneté et à la solidarité internationale.",
            starts_at=_at(day, 14),
            ends_at=_at(day, 17),
            place="" if offset % 2 else "Maison de la solidarité",
            commune=None if offset % 2 else montpellier,
            online_url="https://visio.demo.maillage.test/ecsi" if offset % 2 else "",
            capacity=30,
            organisers=members[2:3],
        )

    # The tour of the départements: an advice session per stop, with slots.
    for stop, name in enumerate(TOUR):
        day = today + datetime.timedelta(days=10 + 21 * stop)
        commune = _commune(name)
        event, created = _event(
            report,
            f"tour-des-departements-{day:%Y-%m-%d}",
            title=f"Tour des départements : permanence à {name}",
            kind=Event.Kind.ADVICE,
            summary="Rendez-vous individuels pour les porteurs de projet.",
            starts_at=_at(day, 9),
            ends_at=_at(day, 17),
            place="Mairie",
            commune=commune,
            registration=False,
            capacity=None,
            categories=[],
        )
        if created and staff is not None:
            for hour in (9, 10, 11, 14, 15, 16):
                AdviceSlot.objects.create(
                    adviser=staff,
                    event=event,
                    starts_at=_at(day, hour),
                    ends_at=_at(day, hour, 45),
                    place="Mairie",
                )
                report.count("advice slots", True)
