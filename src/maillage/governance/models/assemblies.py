"""General assemblies: convocation, members' answers and proxies, attendance, quorum."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel
from maillage.core.storage import private_storage


class Assembly(TimestampedModel):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary general assembly")
        EXTRAORDINARY = "extraordinary", _("Extraordinary general assembly")

    class Mode(models.TextChoices):
        ROOM = "room", _("In the room")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In the room and online")

    class State(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        CONVENED = "convened", _("Convened")
        OPEN = "open", _("In session")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.ORDINARY)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.ROOM)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    agenda = models.TextField(_("agenda"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    convened_at = models.DateTimeField(_("convocation sent on"), null=True, blank=True)
    second_convocation_of = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="second_convocation",
        verbose_name=_("second convocation of"),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    minutes_approved_on = models.DateField(_("minutes approved on"), null=True, blank=True)
    minutes_pdf = models.FileField(
        _("minutes (PDF)"), upload_to="minutes/%Y/", storage=private_storage, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("general assembly")
        verbose_name_plural = _("general assemblies")
        ordering = ("-starts_at",)

    def __str__(self) -> str:
        return self.title


class AssemblyDocument(TimestampedModel):
    assembly = models.ForeignKey(
        Assembly, models.CASCADE, related_name="documents", verbose_name=_("assembly")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="assemblies/%Y/", storage=private_storage)

    class Meta:
        verbose_name = _("assembly document")
        verbose_name_plural = _("assembly documents")
        ordering = ("assembly", "title")

    def __str__(self) -> str:
        return self.title


class Participation(TimestampedModel):
    """A member organisation at an assembly: its answer before the day (will attend, excused,
    gives a proxy), its voting right, and its attendance on the day (arrival, departure)."""

    class Answer(models.TextChoices):
        NONE = "", _("No answer")
        ATTEND = "attend", _("Will attend")
        EXCUSED = "excused", _("Excused")
        PROXY = "proxy", _("Gives a proxy")

    assembly = models.ForeignKey(
        Assembly, models.PROTECT, related_name="participations", verbose_name=_("assembly")
    )
    organisation = models.ForeignKey(
        "directory.Organisation", models.PROTECT, related_name="participations", verbose_name=_("member")
    )
    college = models.CharField(_("collège"), max_length=12)
    may_vote = models.BooleanField(_("has a voting right"), default=False)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, blank=True)
    proxy_holder = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name=_("proxy given to"),
    )
    representative = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("representative"),
    )
    token = models.UUIDField(_("sign-in code"), default=uuid.uuid4, unique=True, editable=False)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ("assembly", "organisation__name")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "organisation"], name="participation_once_per_assembly"
            ),
            models.CheckConstraint(
                condition=Q(answer="proxy", proxy_holder__isnull=False)
                | (~Q(answer="proxy") & Q(proxy_holder__isnull=True)),
                name="participation_proxy_has_a_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.assembly}"

    @property
    def present(self) -> bool:
        return self.arrived_at is not None and self.left_at is None


class QuorumRecord(models.Model):
    """The quorum as computed at a moment (at each vote, and when asked)."""

    assembly = models.ForeignKey(
        Assembly, models.CASCADE, related_name="quorum_records", verbose_name=_("assembly")
    )
    vote = models.OneToOneField(
        "governance.Vote",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="quorum",
        verbose_name=_("vote"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    voting_members = models.PositiveIntegerField(_("members with a voting right"))
    present = models.PositiveIntegerField(_("present"))
    represented = models.PositiveIntegerField(_("represented"))
    required = models.PositiveIntegerField(_("required"))
    met = models.BooleanField(_("quorum met"))

    class Meta:
        verbose_name = _("quorum record")
        verbose_name_plural = _("quorum records")
        ordering = ("assembly", "at")

    def __str__(self) -> str:
        return f"{self.assembly} {self.at:%H:%M}: {self.present + self.represented}/{self.required}"
