"""The demo documents and discussions of the commissions (called by ``demo.seed`` once the
commissions, members and meetings exist): two small PDF documents per commission, rendered by
WeasyPrint and stored in the private storage like any upload, and three threads with French
messages among the commission's members, dated in the past weeks.

Idempotent (documents keyed on (commission, title), threads on (commission, title)) and silent:
messages are written directly, marked as notified, so that no e-mail leaves."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maillage.commissions import services_documents
from maillage.commissions.models import Commission, Document, Member, Post, Thread
from maillage.commissions.services import minutes_clean
from maillage.core.pdf import render_pdf
from maillage.core.seeding import DemoReport

# (title, tags, file name, paragraphs) — "{name}" is the commission's name.
DOCUMENTS = [
    (
        "Feuille de route {year}",
        "feuille de route, programme",
        "feuille-de-route-{year}.pdf",
        [
            "Ce document présente les priorités de la commission « {name} » pour l’année {year}.",
            "Trois axes de travail ont été retenus en réunion : partager l’information entre les membres, "
            "construire des actions communes et faire remonter les propositions au Bureau du réseau.",
            "Chaque axe est suivi par un binôme de membres volontaires, qui rend compte à chaque réunion.",
        ],
    ),
    (
        "Compte rendu de la réunion de rentrée",
        "compte rendu, réunion",
        "compte-rendu-rentree.pdf",
        [
            "Réunion de la commission « {name} » : tour de table, bilan des actions et calendrier.",
            "Décisions : le calendrier du semestre est adopté ; un groupe de travail prépare la "
            "prochaine rencontre régionale.",
            "Actions : diffuser la liste des contacts aux membres ; proposer deux dates de réunion.",
        ],
    ),
]

# (title, messages) — a message may mention "{mention}", another member of the commission.
THREADS = [
    (
        "Présentations des nouveaux membres",
        [
            "Bonjour à toutes et à tous,\n\nBienvenue aux structures qui ont rejoint la commission "
            "cette année ! Pouvez-vous présenter en quelques lignes votre association et vos projets ?",
            "Merci pour l’accueil. Nous intervenons depuis dix ans sur des projets d’éducation et de "
            "formation, et nous cherchons des partenaires pour mutualiser nos missions.",
            "Ravie de vous lire. {mention}, votre expérience intéresserait le groupe de travail : "
            "seriez-vous disponible pour en parler à la prochaine réunion ?",
        ],
    ),
    (
        "Dates de la prochaine rencontre régionale",
        [
            "Nous devons fixer la date de la rencontre régionale. Deux propositions : un jeudi de "
            "mars à Toulouse ou un mardi d’avril à Montpellier. Qu’en pensez-vous ?",
            "Avril nous conviendrait mieux : les équipes sont en mission jusqu’à mi-mars.",
            "D’accord pour avril à Montpellier. Nous pouvons prêter une salle de 40 places.",
        ],
    ),
    (
        "Ressources à partager",
        [
            "Je partage le guide méthodologique publié par notre fédération, déposé dans les "
            "documents de la commission. N’hésitez pas à ajouter les vôtres.",
            "Merci ! Le chapitre sur l’évaluation des projets est très utile pour nos bénévoles.",
        ],
    ),
]


def _documents(commission: Commission, members: list[Member], report: DemoReport) -> None:
    year = timezone.localdate().year
    meeting = commission.meetings.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
    for index, (title, tags, filename, paragraphs) in enumerate(DOCUMENTS):
        title = title.format(year=year)
        if Document.objects.filter(commission=commission, title=title).exists():
            report.count("documents", False)
            continue
        values = {"name": commission.name, "year": year}
        pdf = render_pdf(
            "commissions/document_demo_pdf.html",
            {
                "title": title,
                "commission": commission,
                "paragraphs": [p.format(**values) for p in paragraphs],
            },
        )
        services_documents.document_create(
            commission=commission,
            user=members[index % len(members)].user,
            title=title,
            tags=tags,
            meetings=[meeting] if meeting is not None and index == 1 else [],
            upload=SimpleUploadedFile(filename.format(year=year), pdf, content_type="application/pdf"),
        )
        report.count("documents", True)


def _name(member: Member) -> str:
    return member.user.get_full_name() or member.user.email


def _threads(commission: Commission, members: list[Member], report: DemoReport) -> None:
    now = timezone.now()
    for number, (title, messages) in enumerate(THREADS):
        if Thread.objects.filter(commission=commission, title=title).exists():
            report.count("discussion threads", False)
            continue
        start = now - datetime.timedelta(days=30 - 9 * number, hours=number)
        author = members[number % len(members)]
        thread = Thread.objects.create(commission=commission, title=title, author=author.user)
        when = start
        for position, text in enumerate(messages):
            writer = members[(number + position) % len(members)]
            mentioned = members[(number + position + 1) % len(members)]
            body = minutes_clean(text.format(mention=f"@{_name(mentioned)}"))
            post = Post.objects.create(thread=thread, author=writer.user, body=body, notified=True)
            if "{mention}" in text and mentioned.user_id != writer.user_id:
                post.mentions.add(mentioned.user)
            when = start + datetime.timedelta(hours=5 * position)
            Post.objects.filter(pk=post.pk).update(created_at=when, updated_at=when)
            report.count("messages", True)
        Thread.objects.filter(pk=thread.pk).update(created_at=start, last_post_at=when)
        report.count("discussion threads", True)


def seed(report: DemoReport) -> None:
    for commission in Commission.objects.filter(active=True).order_by("slug"):
        members = list(
            commission.members.filter(state=Member.State.ACTIVE)
            .select_related("user")
            .order_by("-role", "pk")
        )
        if not members:
            continue
        _documents(commission, members, report)
        _threads(commission, members, report)
