"""The statutory bodies (Bureau, Grand Conseil, others) and the mandates held in them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import TimestampedModel
from maillage.directory.models import College


class Body(TimestampedModel):
    """A body of the network with its statutory rules: seats per collège, term, who elects it."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    seats_per_college = models.PositiveSmallIntegerField(
        _("seats per collège"), null=True, blank=True, help_text=_("Empty: no cap per collège.")
    )
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=3)
    elected_by = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="electing",
        verbose_name=_("elected by"),
        help_text=_("Empty: elected by the general assembly."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """An office in a body: président·e, vice-président·e, trésorier·ère, secrétaire…"""

    body = models.ForeignKey(Body, models.CASCADE, related_name="offices", verbose_name=_("body"))
    slug = models.SlugField(_("identifier"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    holders = models.PositiveSmallIntegerField(_("number of holders"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ("body", "position")
        constraints = [models.UniqueConstraint(fields=["body", "slug"], name="office_unique_per_body")]

    def __str__(self) -> str:
        return f"{self.name} ({self.body})"


class Mandate(TimestampedModel):
    """A person representing a member organisation in a body, for a term."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        RESIGNED = "resigned", _("Resigned")
        VACANT = "vacant", _("Vacant")

    body = models.ForeignKey(Body, models.PROTECT, related_name="mandates", verbose_name=_("body"))
    person = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("organisation"),
    )
    college = models.CharField(_("collège"), max_length=12, choices=College.choices)
    office = models.ForeignKey(
        Office, models.PROTECT, null=True, blank=True, related_name="mandates", verbose_name=_("office")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end of term"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    co_opted = models.BooleanField(_("co-opted"), default=False)
    ratified_at = models.ForeignKey(
        "governance.Assembly",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ratified_mandates",
        verbose_name=_("ratified by the assembly"),
    )
    elected_at = models.ForeignKey(
        "governance.Vote",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("elected by the vote"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ("body", "college", "office__position", "person__last_name")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="mandate_ends_after_start"),
            models.CheckConstraint(
                condition=Q(state="vacant") | Q(person__isnull=False, organisation__isnull=False),
                name="mandate_held_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or _('vacant')} — {self.body}"
