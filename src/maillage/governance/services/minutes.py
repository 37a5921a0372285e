"""The procès-verbal of an assembly, generated from the records (convocation, attendance and
proxies, quorum records, closed votes and their results, the action log) rather than typed:
what it says is what was recorded. Approving it stores the PDF and tells the members."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.accounts.models import User
from maillage.core.emails import email_queue_template
from maillage.core.pdf import render_pdf
from maillage.governance.models import ActionLog, Assembly, Body, Mandate, Participation, Vote
from maillage.governance.services.bodies import mandates_active
from maillage.governance.services.log import log
from maillage.membership.models import Membership
from maillage.membership.selectors import member_recipients

TEMPLATE = "governance/pdf/minutes.html"

# The action log's entries as the minutes name them (unknown actions show their code).
ACTIONS = {
    "roll_refresh": gettext_lazy("Roll of the members made or refreshed"),
    "convene": gettext_lazy("Convocation sent"),
    "answer": gettext_lazy("Answers and proxies recorded"),
    "sign_in": gettext_lazy("Arrivals signed in"),
    "sign_out": gettext_lazy("Departures signed out"),
    "open": gettext_lazy("Assembly opened"),
    "close": gettext_lazy("Assembly closed"),
    "vote_open": gettext_lazy("Votes opened"),
    "vote_close": gettext_lazy("Votes closed"),
    "hand_counts": gettext_lazy("Show-of-hands counts entered"),
    "candidacy": gettext_lazy("Candidacies decided"),
    "second_convocation": gettext_lazy("Second convocation"),
    "minutes_approve": gettext_lazy("Minutes approved"),
}


@dataclass(frozen=True)
class CandidateLine:
    label: str
    votes: int
    elected: bool


def _convocation(assembly: Assembly) -> dict[str, Any]:
    if assembly.convened_at is None:
        return {"sent": None, "days": None, "short": False}
    sent = timezone.localdate(assembly.convened_at)
    days = (timezone.localdate(assembly.starts_at) - sent).days
    return {"sent": sent, "days": days, "short": days < settings.MAILLAGE_CONVOCATION_NOTICE_DAYS}


def _attendance(assembly: Assembly) -> dict[str, Any]:
    participations = list(
        assembly.participations.select_related(
            "organisation", "representative", "proxy_holder__organisation"
        ).order_by("organisation__name")
    )
    present = [p for p in participations if p.arrived_at is not None]
    represented = [
        p for p in participations if p.answer == Participation.Answer.PROXY and p.arrived_at is None
    ]
    excused = [p for p in participations if p.answer == Participation.Answer.EXCUSED and p.arrived_at is None]
    listed = {p.pk for p in (*present, *represented, *excused)}
    return {
        "members": len(participations),
        "voting_members": sum(p.may_vote for p in participations),
        "present": present,
        "represented": represented,
        "excused": excused,
        "absent": len([p for p in participations if p.pk not in listed]),
    }


def _quorum_records(assembly: Assembly) -> list[dict[str, Any]]:
    """Each record with what it was taken for: the opening, a vote, the closing."""
    records = list(assembly.quorum_records.select_related("vote").order_by("at", "pk"))
    rows = []
    for index, record in enumerate(records):
        if record.vote is not None:
            moment = _("Vote: %(title)s") % {"title": record.vote.title}
        elif index == 0:
            moment = _("Opening")
        elif assembly.closed_at is not None and record.at >= assembly.closed_at:
            moment = _("Closing")
        else:
            moment = _("During the session")
        rows.append({"moment": moment, "record": record})
    return rows


def _election(vote: Vote, choices: dict[str, str]) -> dict[str, Any]:
    result = vote.result or {}
    elected = set(result.get("elected", []))
    lines = sorted(
        (
            CandidateLine(choices.get(key, key), count, key in elected)
            for key, count in result.get("votes", {}).items()
        ),
        key=lambda line: (-line.votes, line.label),
    )
    return {
        "lines": lines,
        "tie": [choices.get(key, key) for key in result.get("tie", [])],
        "draw": [choices.get(key, key) for key in result.get("draw", [])],
        "blank": result.get("blank", 0),
    }


def _votes(assembly: Assembly) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    votes = list(
        assembly.votes.filter(state=Vote.State.CLOSED)
        .select_related("quorum", "body")
        .prefetch_related("choices")
        .order_by("position", "pk")
    )
    resolutions, elections = [], []
    for vote in votes:
        record = getattr(vote, "quorum", None)
        if vote.kind == Vote.Kind.ELECTION:
            choices = {str(choice.pk): choice.label for choice in vote.choices.all()}
            elections.append({"vote": vote, "quorum": record, **_election(vote, choices)})
        else:
            resolutions.append({"vote": vote, "quorum": record, "result": vote.result or {}})
    return resolutions, elections


def _log_summary(assembly: Assembly) -> list[dict[str, Any]]:
    rows = (
        ActionLog.objects.filter(assembly=assembly)
        .values("action")
        .annotate(count=Count("pk"), first=Min("at"), last=Max("at"))
        .order_by("first", "action")
    )
    return [{**row, "label": ACTIONS.get(row["action"], row["action"])} for row in rows]


def _signatories(assembly: Assembly) -> dict[str, Mandate | None]:
    """The président·e and the secrétaire of the Bureau on the assembly's day (if any)."""
    day = timezone.localdate(assembly.starts_at)
    bureau = Body.objects.filter(slug="bureau").first()
    found: dict[str, Mandate | None] = {"president": None, "secretaire": None}
    if bureau is None:
        return found
    for mandate in (
        mandates_active(bureau, day).filter(office__slug__in=found).select_related("person", "office")
    ):
        found[mandate.office.slug] = found[mandate.office.slug] or mandate  # type: ignore[union-attr]
    return found


def minutes_context(assembly: Assembly) -> dict[str, Any]:
    """Everything the minutes say, read from the records."""
    resolutions, elections = _votes(assembly)
    signatories = _signatories(assembly)
    return {
        "assembly": assembly,
        "convocation": _convocation(assembly),
        "notice_days": settings.MAILLAGE_CONVOCATION_NOTICE_DAYS,
        "attendance": _attendance(assembly),
        "quorum_records": _quorum_records(assembly),
        "resolutions": resolutions,
        "elections": elections,
        "log_summary": _log_summary(assembly),
        "president": signatories["president"],
        "secretary": signatories["secretaire"],
        "generated_on": timezone.localdate(),
        "network_name": settings.MAILLAGE_NETWORK_NAME,
    }


def minutes_html(assembly: Assembly) -> str:
    return render_to_string(TEMPLATE, minutes_context(assembly))


def minutes_render(assembly: Assembly) -> bytes:
    """The PDF of the procès-verbal, in the network's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(TEMPLATE, minutes_context(assembly))


def current_members() -> Any:
    today = timezone.localdate()
    return (
        Membership.objects.filter(member_since__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("organisation")
    )


def minutes_store(assembly: Assembly, on: datetime.date) -> Assembly:
    """Render and keep the approved PDF with its date (no e-mail: see ``minutes_approve``)."""
    content = minutes_render(assembly)
    assembly.minutes_approved_on = on
    assembly.minutes_pdf.save(f"proces-verbal-{assembly.pk}.pdf", ContentFile(content), save=False)
    assembly.save()
    return assembly


@transaction.atomic
def minutes_approve(*, assembly: Assembly, on: datetime.date, by: User | None) -> Assembly:
    """Approve the minutes of a closed assembly: store the PDF, log it, and tell every current
    member's representatives that the minutes are published (once: the e-mails are keyed)."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.state != Assembly.State.CLOSED:
        raise ValidationError(_("Close the assembly before approving its minutes."))
    if assembly.minutes_approved_on is not None:
        raise ValidationError(_("The minutes of this assembly have already been approved."))
    if on < timezone.localdate(assembly.starts_at):
        raise ValidationError(_("The minutes cannot be approved before the assembly."))
    if on > timezone.localdate():
        raise ValidationError(_("The date of approval cannot be in the future."))
    minutes_store(assembly, on)
    log("minutes_approve", by=by, assembly=assembly, on=on.isoformat())
    url = settings.MAILLAGE_SITE_URL + reverse("governance:minutes_pdf", args=[assembly.pk])
    with translation.override(settings.LANGUAGE_CODE):
        for membership in current_members():
            to = member_recipients(membership.organisation)
            if not to:
                continue
            email_queue_template(
                to=to,
                template="governance/email/minutes.txt",
                context={"assembly": assembly, "organisation": membership.organisation, "url": url},
                key=f"assembly:{assembly.pk}:minutes:{membership.organisation_id}",
            )
    return assembly
