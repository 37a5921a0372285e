"""Single-use voting links: the second factor of representatives who have no account with two
factors. Staff send, for a secret (or mixed) vote, one link per voting member not yet voted to
its representatives; only the SHA-256 of the link's secret is stored, so that a copy of the
database does not open anyone's ballot. A link expires at the end of the day and is used up
once the member's voting rights (its own, and the proxies it holds) have all been cast."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.emails import email_queue_template
from maillage.governance.models import Participation, Vote, VoterRoll, VotingLink
from maillage.governance.services.log import log
from maillage.governance.services.votes import ballot_cast
from maillage.membership.selectors import member_recipients


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _end_of_today() -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 59, 59)))


def link_rights(participation: Participation) -> list[Participation]:
    """The voting rights a link opens: the member's own (unless it gave its proxy), and those of
    the members whose proxy it holds and who are not in the room — as ``rights_of`` does."""
    own = (
        [participation]
        if participation.may_vote and participation.answer != Participation.Answer.PROXY
        else []
    )
    if not own:
        return []
    held = Participation.objects.filter(proxy_holder=participation, may_vote=True, arrived_at__isnull=True)
    return own + list(held.select_related("organisation"))


def _voted(vote: Vote, rights: list[Participation]) -> set[int]:
    return set(
        VoterRoll.objects.filter(vote=vote, participation__in=rights).values_list(
            "participation_id", flat=True
        )
    )


@transaction.atomic
def links_send(*, vote: Vote, by: User) -> int:
    """Create and e-mail a link for every voting member of the assembly with a right not yet
    used; returns the number of links sent. A member whose link is still valid is skipped; an
    expired unused link is renewed (with a new secret)."""
    if vote.assembly_id is None:
        raise ValidationError(_("Voting links are for the votes of an assembly."))
    if vote.mode == Vote.Mode.HANDS:
        raise ValidationError(_("This vote is by show of hands: there is no online ballot."))
    if vote.state == Vote.State.CLOSED:
        raise ValidationError(_("This vote is closed."))
    now = timezone.now()
    existing = {link.participation_id: link for link in vote.links.all()}
    participations = (
        Participation.objects.filter(assembly=vote.assembly_id, may_vote=True)
        .exclude(answer=Participation.Answer.PROXY)
        .select_related("organisation")
    )
    voted = set(VoterRoll.objects.filter(vote=vote).values_list("participation_id", flat=True))
    held: dict[int, list[int]] = {}
    for giver_id, holder_id in Participation.objects.filter(
        assembly=vote.assembly_id, may_vote=True, arrived_at__isnull=True, proxy_holder__isnull=False
    ).values_list("pk", "proxy_holder_id"):
        held.setdefault(holder_id, []).append(giver_id)
    url_base = settings.MAILLAGE_SITE_URL
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for participation in participations:
            rights = [participation.pk, *held.get(participation.pk, [])]
            if set(rights) <= voted:
                continue
            link = existing.get(participation.pk)
            if link is not None and (link.used_at is not None or link.expires_at > now):
                continue
            recipients = member_recipients(participation.organisation)
            if not recipients:
                continue  # no address: the representative votes logged in, or in the room
            secret = secrets.token_urlsafe(32)
            if link is None:
                link = VotingLink(participation=participation, vote=vote)
            link.secret_hash, link.expires_at = secret_hash(secret), _end_of_today()
            link.save()
            context = {
                "vote": vote,
                "participation": participation,
                "url": url_base + reverse("governance:ballot_link", args=[vote.pk, secret]),
                "expires_at": link.expires_at,
            }
            email_queue_template(
                to=recipients,
                template="governance/email/voting_link.txt",
                context=context,
                key=f"vote:{vote.pk}:link:{link.pk}:{link.secret_hash[:16]}",
            )
            sent += 1
    log("voting_links", by=by, vote=vote, sent=sent)
    return sent


def link_resolve(vote: Vote, secret: str) -> Participation:
    """The member whose link this secret is, if the link is valid (else a ValidationError)."""
    return _link(vote, secret).participation


def _link(vote: Vote, secret: str, *, for_update: bool = False) -> VotingLink:
    """The link of this secret, if valid: the right vote, not expired, not used up."""
    links = VotingLink.objects.select_related("participation__organisation")
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(vote=vote, secret_hash=secret_hash(secret)).first()
    if link is None:
        raise ValidationError(_("This voting link is not valid. Ask the staff for a new one."))
    if link.used_at is not None:
        raise ValidationError(_("This voting link has already been used: it works only once."))
    if link.expires_at <= timezone.now():
        raise ValidationError(_("This voting link has expired. Ask the staff for a new one."))
    return link


def link_pending(vote: Vote, participation: Participation) -> tuple[list[Participation], set[int]]:
    """The rights a member's link opens, and those already voted."""
    rights = link_rights(participation)
    return rights, _voted(vote, rights)


def link_ballot_cast(*, vote: Vote, secret: str, right_id: int, choice_ids: list[int]) -> str:
    """Cast a ballot through a link, for one of the rights it opens; the link is marked used in
    the same transaction once all its rights have voted. Returns the tracker."""
    with transaction.atomic():
        link = _link(vote, secret, for_update=True)
        rights = link_rights(link.participation)
        right = next((r for r in rights if r.pk == right_id), None)
        if right is None:
            raise ValidationError(_("This link gives no voting right for this member."))
        tracker = ballot_cast(vote=vote, right=right, choice_ids=choice_ids, user=None)
        if _voted(vote, rights) >= {r.pk for r in rights}:
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
    return tracker
