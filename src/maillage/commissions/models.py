"""Working commissions and country groups: their members, meetings (agenda, registrations,
attendance, minutes, decisions and actions), shared documents with versions, and discussion
threads with notifications by e-mail."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel
from maillage.core.storage import private_storage


class Commission(TimestampedModel):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Working commission")
        COUNTRY = "country", _("Country group")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.THEMATIC)
    country = CountryField(_("country"), blank=True)
    purpose = models.TextField(_("purpose"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Member(TimestampedModel):
    """An account in a commission: asked to join, invited, active, or gone."""

    class Role(models.TextChoices):
        CONVENER = "convener", _("Convener")
        MEMBER = "member", _("Member")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Member")
        LEFT = "left", pgettext_lazy("commission member", "Left")
        REFUSED = "refused", _("Not accepted")

    class Notify(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one e-mail per message")
        DAILY = "daily", _("A daily digest")
        WEEKLY = "weekly", _("A weekly digest")
        NONE = "none", _("No e-mail")

    commission = models.ForeignKey(
        Commission, models.CASCADE, related_name="members", verbose_name=_("commission")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="commission_memberships",
        verbose_name=_("account"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    notify = models.CharField(
        _("e-mails about the threads"), max_length=10, choices=Notify.choices, default=Notify.DAILY
    )
    digest_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    unsubscribe_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ("commission", "-role", "user__last_name")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "user"],
                condition=Q(state__in=["requested", "invited", "active"]),
                name="commission_member_once",
                violation_error_message=_(
                    "This person is already a member of the commission, or has asked to be."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.commission}"


class Meeting(TimestampedModel):
    commission = models.ForeignKey(
        Commission, models.CASCADE, related_name="meetings", verbose_name=_("commission")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Sanitised HTML."))
    minutes_public = models.BooleanField(_("minutes public"), default=False)
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ("-starts_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Registration(TimestampedModel):
    class Answer(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    member = models.ForeignKey(Member, models.CASCADE, related_name="registrations", verbose_name=_("member"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting}"


class Outcome(TimestampedModel):
    """A decision or an action recorded in a meeting's minutes; open actions carry over to the
    next meetings until done or dropped."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        ACTION = "action", _("Action")

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="outcomes", verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"))
    owner = models.ForeignKey(
        Member, models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision or action")
        verbose_name_plural = _("decisions and actions")
        ordering = ("meeting", "kind", "pk")

    def __str__(self) -> str:
        return self.text[:80]


class Document(TimestampedModel):
    commission = models.ForeignKey(
        Commission, models.CASCADE, related_name="documents", verbose_name=_("commission")
    )
    title = models.CharField(_("title"), max_length=200)
    tags = models.CharField(_("tags"), max_length=250, blank=True, help_text=_("Separated by commas."))
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="documents", verbose_name=_("meetings")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("commission", "title")

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="commissions/%Y/", storage=private_storage)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ("document", "-number")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class Thread(TimestampedModel):
    commission = models.ForeignKey(
        Commission, models.CASCADE, related_name="threads", verbose_name=_("commission")
    )
    title = models.CharField(_("topic"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    locked = models.BooleanField(_("closed to replies"), default=False)
    last_post_at = models.DateTimeField(_("last message at"), null=True, blank=True)

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ("-last_post_at", "-pk")

    def __str__(self) -> str:
        return self.title


class Post(TimestampedModel):
    thread = models.ForeignKey(Thread, models.CASCADE, related_name="posts", verbose_name=_("thread"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("message"), help_text=_("Sanitised HTML."))
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentions")
    )
    notified = models.BooleanField(_("immediate notifications sent"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("thread", "created_at", "pk")

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"
