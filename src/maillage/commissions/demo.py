"""The demo commissions: the network's six commissions and country groups, each with conveners
and members (the demo accounts, and a few more accounts made here), two past meetings with
their attendance, minutes, decisions and actions (some still open, so that they carry over),
and a meeting in the coming weeks with a few answers.

Deterministic (fixed lists, dates counted from today) and idempotent: commissions are keyed on
their slug, members on (commission, account), meetings on (commission, title). No e-mail is
sent: the members are written as accepted, which is what the invitations would lead to. The
documents and threads of the demo come from ``demo_threads`` (helper module) when present."""

import datetime
import importlib
import importlib.util

from allauth.account.models import EmailAddress
from django.utils import timezone

from maillage.accounts.models import User
from maillage.commissions import services
from maillage.commissions.models import Commission, Member, Outcome, Registration
from maillage.core.seeding import DEMO_PASSWORD, DemoReport
from maillage.directory.models import Organisation

# More accounts to people the commissions (not printed in the list of demo logins).
EXTRA_ACCOUNTS = [
    ("awa.diop@demo.maillage.test", "Awa", "Diop"),
    ("lucas.martin@demo.maillage.test", "Lucas", "Martin"),
    ("nathalie.rakoto@demo.maillage.test", "Nathalie", "Rakotomalala"),
    ("pierre.gaillard@demo.maillage.test", "Pierre", "Gaillard"),
    ("fatou.sow@demo.maillage.test", "Fatou", "Sow"),
    ("helene.vidal@demo.maillage.test", "Hélène", "Vidal"),
    ("thomas.bonnet@demo.maillage.test", "Thomas", "Bonnet"),
    ("marie.andrianarisoa@demo.maillage.test", "Marie", "Andrianarisoa"),
]

# (slug, name, kind, country, purpose, conveners, members) — people by the start of their e-mail.
COMMISSIONS = [
    (
        "formation",
        "Formation",
        "thematic",
        "",
        "Construire l’offre de formation du réseau : recenser les besoins des acteurs, partager "
        "les pratiques pédagogiques et coordonner les sessions proposées en Occitanie.",
        ["helene.vidal"],
        ["personne", "editrice", "lucas.martin", "awa.diop"],
    ),
    (
        "education-au-developpement",
        "Éducation au développement",
        "thematic",
        "",
        "Promouvoir l’éducation à la citoyenneté et à la solidarité internationale (ECSI) : "
        "outils, interventions en milieu scolaire, Festival des solidarités.",
        ["lucas.martin"],
        ["helene.vidal", "fatou.sow", "thomas.bonnet"],
    ),
    (
        "volontariat",
        "Volontariat",
        "thematic",
        "",
        "Accompagner les structures d’accueil et d’envoi de volontaires (service civique, VSI, "
        "réciprocité) et valoriser l’engagement des jeunes.",
        ["thomas.bonnet"],
        ["personne", "awa.diop", "pierre.gaillard"],
    ),
    (
        "agir-au-senegal",
        "Agir au Sénégal",
        "country",
        "SN",
        "Réunir les acteurs d’Occitanie engagés au Sénégal pour partager l’information, "
        "coordonner les projets et dialoguer avec les partenaires sénégalais.",
        ["fatou.sow"],
        ["awa.diop", "editrice", "pierre.gaillard"],
    ),
    (
        "agir-a-madagascar",
        "Agir à Madagascar",
        "country",
        "MG",
        "Espace d’échange des acteurs engagés à Madagascar : veille sur le contexte, "
        "mutualisation des missions et forum interactif entre membres.",
        ["nathalie.rakoto"],
        ["marie.andrianarisoa", "personne", "helene.vidal"],
    ),
    (
        "mobilisation-acteurs-economiques",
        "Mobilisation des acteurs économiques",
        "thematic",
        "",
        "Associer les entreprises, l’économie sociale et solidaire et les chambres consulaires "
        "aux projets de coopération : rencontres, partenariats et mécénat de compétences.",
        ["pierre.gaillard"],
        ["lucas.martin", "thomas.bonnet"],
    ),
]

PAST_AGENDA = (
    "1. Tour de table\n2. Bilan des actions en cours\n3. Calendrier du semestre\n4. Questions diverses"
)
MINUTES = (
    "<h2>Tour de table</h2><p>Chaque membre présente ses actualités depuis la dernière réunion.</p>"
    "<h2>Points abordés</h2><ul><li>Bilan des actions en cours</li><li>Calendrier du semestre</li></ul>"
    "<p>Prochaine réunion : date proposée par les animateurs.</p>"
)


def _accounts(report: DemoReport) -> dict[str, User]:
    for email, first_name, last_name in EXTRA_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password", "updated_at"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        report.count("accounts", created)
    users = User.objects.filter(email__endswith="@demo.maillage.test")
    return {user.email.split("@")[0]: user for user in users}


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _members(
    commission: Commission,
    users: dict[str, User],
    conveners: list[str],
    others: list[str],
    organisations: list[Organisation],
    start: datetime.date,
    report: DemoReport,
) -> list[Member]:
    members = []
    for index, (name, role) in enumerate(
        [(n, Member.Role.CONVENER) for n in conveners] + [(n, Member.Role.MEMBER) for n in others]
    ):
        user = users.get(name)
        if user is None:
            continue
        edited = user.edited_organisations.order_by("name").first()
        organisation = edited or (
            organisations[(index * 7 + len(commission.slug)) % len(organisations)] if organisations else None
        )
        member, created = Member.objects.get_or_create(
            commission=commission,
            user=user,
            state=Member.State.ACTIVE,
            defaults={
                "role": role,
                "organisation": organisation,
                "start": start,
                "notify": Member.Notify.WEEKLY,
            },
        )
        report.count("commission members", created)
        members.append(member)
    return members


def _past_meeting(
    commission: Commission, members: list[Member], number: int, day: datetime.date, report: DemoReport
) -> None:
    title = f"Réunion n° {number}"
    if commission.meetings.filter(title=title).exists():
        report.count("meetings", False)
        return
    meeting = services.meeting_create(
        commission=commission,
        title=title,
        starts_at=_aware(day, 14),
        ends_at=_aware(day, 16),
        place="Maison des associations, Toulouse" if number % 2 else "",
        video_url="https://visio.demo.maillage.test/" + commission.slug,
        agenda=PAST_AGENDA,
    )
    report.count("meetings", True)
    for index, member in enumerate(members):
        answer = Registration.Answer.EXCUSED if index % 4 == 3 else Registration.Answer.ATTENDING
        Registration.objects.create(meeting=meeting, member=member, answer=answer)
    present = [m for index, m in enumerate(members) if index % 4 != 3 and index % 5 != 4]
    services.attendance_mark(meeting=meeting, present=present)
    services.minutes_save(meeting=meeting, minutes=MINUTES, public=number == 1)
    services.outcome_add(
        meeting=meeting,
        kind=Outcome.Kind.DECISION,
        text=f"Adopter le programme de travail {day.year} de la commission.",
    )
    owner = members[number % len(members)] if members else None
    first = services.outcome_add(
        meeting=meeting,
        kind=Outcome.Kind.ACTION,
        text="Recenser les projets des membres et les partager avant la prochaine réunion.",
        owner=owner,
        due_on=day + datetime.timedelta(days=30),
    )
    services.outcome_add(
        meeting=meeting,
        kind=Outcome.Kind.ACTION,
        text="Préparer une fiche de présentation de la commission pour le site du réseau.",
        owner=members[0] if members else None,
        due_on=day + datetime.timedelta(days=60),
    )
    if number == 1:  # the first meeting's first action is done; the others carry over
        services.outcome_set_status(outcome=first, status=Outcome.Status.DONE)


def _upcoming_meeting(
    commission: Commission, members: list[Member], day: datetime.date, report: DemoReport
) -> None:
    title = "Prochaine réunion"
    if commission.meetings.filter(title=title).exists():
        report.count("meetings", False)
        return
    meeting = services.meeting_create(
        commission=commission,
        title=title,
        starts_at=_aware(day, 10),
        ends_at=_aware(day, 12),
        place="",
        video_url="https://visio.demo.maillage.test/" + commission.slug,
        agenda="1. Suivi des actions\n2. Propositions pour l’assemblée générale\n3. Questions diverses",
    )
    report.count("meetings", True)
    for index, member in enumerate(members[:3]):
        answer = Registration.Answer.EXCUSED if index == 2 else Registration.Answer.ATTENDING
        services.registration_set(meeting=meeting, member=member, answer=answer)


def seed(report: DemoReport) -> None:
    today = timezone.localdate()
    users = _accounts(report)
    organisations = list(
        Organisation.objects.filter(status=Organisation.Status.PUBLISHED).order_by("slug")[:60]
    )
    for position, (slug, name, kind, country, purpose, conveners, others) in enumerate(COMMISSIONS):
        commission, created = Commission.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "country": country, "purpose": purpose}
        )
        report.count("commissions", created)
        members = _members(
            commission, users, conveners, others, organisations, today - datetime.timedelta(days=400), report
        )
        _past_meeting(commission, members, 1, today - datetime.timedelta(days=120 + position), report)
        _past_meeting(commission, members, 2, today - datetime.timedelta(days=40 + position), report)
        _upcoming_meeting(commission, members, today + datetime.timedelta(days=14 + position), report)
    if importlib.util.find_spec("maillage.commissions.demo_threads") is not None:
        importlib.import_module("maillage.commissions.demo_threads").seed(report)
