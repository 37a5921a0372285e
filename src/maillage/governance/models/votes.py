"""Votes: resolutions and elections, by show of hands (counts entered by the secretary), by
secret ballot (online, in the room or remote), or both merged.

Secrecy: a ``Ballot`` holds the choices and a random tracker, never the voter, nor a time; the
``VoterRoll`` records only that a voting right was used. Nothing stored links the two (see
docs/decisions/0006-governance-votes.md for what this protects and what it does not)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel
from maillage.directory.models import College


class Vote(TimestampedModel):
    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        ELECTION = "election", _("Election")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority (more for than against)")
        ABSOLUTE = "absolute", _("Absolute majority (more than half)")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority")
        THREE_QUARTERS = "three_quarters", _("Three-quarters majority")

    class Base(models.TextChoices):
        CAST = "cast", _("Votes cast")
        PRESENT = "present", _("Members present and represented")
        MEMBERS = "members", _("All members with a voting right")

    class Mode(models.TextChoices):
        HANDS = "hands", _("Show of hands")
        SECRET = "secret", _("Secret ballot")
        MIXED = "mixed", _("Show of hands and online ballot")

    class State(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", pgettext_lazy("vote", "Open")
        CLOSED = "closed", pgettext_lazy("vote", "Closed")

    assembly = models.ForeignKey(
        "governance.Assembly",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("assembly"),
    )
    electorate_body = models.ForeignKey(
        "governance.Body",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="votes_held",
        verbose_name=_("voters: the members of the body"),
        help_text=_(
            "For a vote of a body (the Bureau elected by the Grand Conseil) rather than of an assembly."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RESOLUTION)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    majority = models.CharField(
        _("majority"), max_length=14, choices=Majority.choices, default=Majority.SIMPLE
    )
    base = models.CharField(_("computed on"), max_length=8, choices=Base.choices, default=Base.CAST)
    blank_counts = models.BooleanField(_("blank votes count as cast"), default=False)
    abstention_counts = models.BooleanField(_("abstentions count as cast"), default=False)
    mode = models.CharField(_("mode"), max_length=6, choices=Mode.choices, default=Mode.HANDS)
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Elections
    body = models.ForeignKey(
        "governance.Body",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="elections",
        verbose_name=_("body elected"),
    )
    college = models.CharField(_("collège"), max_length=12, choices=College.choices, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats to fill"), null=True, blank=True)
    candidacy_deadline = models.DateTimeField(_("candidacies until"), null=True, blank=True)
    tie_seed = models.CharField(
        _("seed of the draw for ties"),
        max_length=64,
        blank=True,
        help_text=_("Recorded before the vote; a tie is broken by a draw anyone can redo with this seed."),
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ("assembly", "position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(assembly__isnull=False) | Q(electorate_body__isnull=False),
                name="vote_has_an_electorate",
            ),
            models.CheckConstraint(
                condition=Q(kind="resolution") | Q(body__isnull=False, seats__isnull=False),
                name="election_has_body_and_seats",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidacy(TimestampedModel):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    vote = models.ForeignKey(Vote, models.PROTECT, related_name="candidacies", verbose_name=_("election"))
    person = models.ForeignKey(
        "directory.Person", models.PROTECT, related_name="candidacies", verbose_name=_("candidate")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        models.PROTECT,
        related_name="candidacies",
        verbose_name=_("member represented"),
    )
    statement = models.TextField(_("statement"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        ordering = ("vote", "person__last_name", "person__first_name")
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="candidacy_once_per_election")]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"


class Choice(models.Model):
    """An answer of a vote: for, against, abstention, blank — or a candidate."""

    class Kind(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstention")
        BLANK = "blank", _("Blank")
        CANDIDATE = "candidate", _("Candidate")

    vote = models.ForeignKey(Vote, models.CASCADE, related_name="choices", verbose_name=_("vote"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    candidacy = models.OneToOneField(
        Candidacy, models.PROTECT, null=True, blank=True, related_name="choice", verbose_name=_("candidacy")
    )
    label = models.CharField(_("label"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ("vote", "position", "pk")

    def __str__(self) -> str:
        return self.label


class VoterRoll(models.Model):
    """That a voting right was used in a vote — and nothing of how. One row per right: the
    unique constraints are what enforce one vote per right under concurrency."""

    vote = models.ForeignKey(Vote, models.PROTECT, related_name="roll", verbose_name=_("vote"))
    participation = models.ForeignKey(
        "governance.Participation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    mandate = models.ForeignKey(
        "governance.Mandate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mandate"),
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cast by"),
    )

    class Meta:
        verbose_name = _("voter roll entry")
        verbose_name_plural = _("voter roll")
        constraints = [
            models.UniqueConstraint(fields=["vote", "participation"], name="roll_once_per_member"),
            models.UniqueConstraint(fields=["vote", "mandate"], name="roll_once_per_mandate"),
            models.CheckConstraint(
                condition=Q(participation__isnull=False) ^ Q(mandate__isnull=False),
                name="roll_one_kind_of_right",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote}: {self.participation or self.mandate}"


class Ballot(models.Model):
    """An anonymous ballot: its choices and its tracker. A random key (no sequence), no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, models.PROTECT, related_name="ballots", verbose_name=_("vote"))
    choices = models.JSONField(
        _("choices"), help_text=_("Identifiers of the choices marked; empty: a blank ballot.")
    )
    tracker = models.CharField(_("tracker"), max_length=32)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ("vote", "tracker")  # the published ballot box, in an order that reveals nothing
        constraints = [models.UniqueConstraint(fields=["vote", "tracker"], name="ballot_unique_tracker")]

    def __str__(self) -> str:
        return self.tracker


class HandCount(models.Model):
    """The count of a choice in a show of hands, entered by the secretary."""

    vote = models.ForeignKey(Vote, models.CASCADE, related_name="hand_counts", verbose_name=_("vote"))
    choice = models.ForeignKey(Choice, models.CASCADE, related_name="hand_counts", verbose_name=_("choice"))
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("show-of-hands count")
        verbose_name_plural = _("show-of-hands counts")
        constraints = [models.UniqueConstraint(fields=["vote", "choice"], name="hand_count_once_per_choice")]

    def __str__(self) -> str:
        return f"{self.choice}: {self.count}"


class VotingLink(models.Model):
    """A single-use link sent to a representative to vote without logging in: only the hash of
    its secret is stored; it opens the vote for the voting rights of one participation."""

    participation = models.ForeignKey(
        "governance.Participation", models.CASCADE, related_name="voting_links", verbose_name=_("member")
    )
    vote = models.ForeignKey(Vote, models.CASCADE, related_name="links", verbose_name=_("vote"))
    secret_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voting link")
        verbose_name_plural = _("voting links")
        constraints = [models.UniqueConstraint(fields=["participation", "vote"], name="voting_link_once")]

    def __str__(self) -> str:
        return f"{self.participation} — {self.vote}"
