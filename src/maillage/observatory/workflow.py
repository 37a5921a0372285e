"""The staff's validation of projects: an organisation submits a draft, the staff publish it,
send it back (to draft, with the reason) or archive it. Each step checks where the project
stands, keeps the step in the project's history (with its author), and tells by e-mail whom it
concerns: the staff of a submission, the organisation's editors of a decision.

(A published project changed by an editor goes back to ``submitted`` in
``services.project_save``.)"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.emails import email_queue_template
from maillage.observatory.models import Project

Status = Project.Status


def _locked(project: Project, allowed: tuple[str, ...], message: str) -> Project:
    """The project, locked for the step; ``ValidationError(message)`` unless it stands in one
    of the ``allowed`` statuses."""
    locked = Project.objects.select_for_update().select_related("reporting_organisation").get(pk=project.pk)
    if locked.status not in allowed:
        raise ValidationError(message)
    return locked


def _record(project: Project, user: User | None, fields: list[str]) -> None:
    project._history_user = user  # type: ignore[attr-defined]
    project.save(update_fields=[*fields, "updated_at"])


def _context(project: Project) -> dict[str, Any]:
    return {
        "project": project,
        "organisation": project.reporting_organisation,
        "edit_url": settings.MAILLAGE_SITE_URL
        + reverse("observatory_member:project_edit", args=[project.pk]),
        "public_url": settings.MAILLAGE_SITE_URL + reverse("observatory:project", args=[project.pk]),
        "review_url": settings.MAILLAGE_SITE_URL
        + reverse("observatory_staff:project_review", args=[project.pk]),
    }


def _key(project: Project, step: str) -> str:
    """One e-mail per step taken (the step's row in the history)."""
    latest = project.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return f"project-{project.pk}-{step}-{latest}"


def _tell_editors(project: Project, step: str) -> None:
    editors = project.reporting_organisation.editors.filter(is_active=True).order_by("pk")
    email_queue_template(
        to=[user.email for user in editors],
        template=f"observatory/email/project_{step}.txt",
        context=_context(project),
        key=_key(project, step),
    )


@transaction.atomic
def project_submit(project: Project, user: User | None) -> Project:
    """A draft goes to the staff's validation; the staff are told."""
    project = _locked(project, (Status.DRAFT,), _("Only a draft can be submitted."))
    project.status = Status.SUBMITTED
    _record(project, user, ["status"])
    email_queue_template(
        to=[settings.MAILLAGE_CONTACT_EMAIL],
        template="observatory/email/project_submitted.txt",
        context=_context(project) | {"user": user},
        key=_key(project, "submitted"),
    )
    return project


@transaction.atomic
def project_publish(project: Project, user: User) -> Project:
    """The staff publish a submitted project (or one of their drafts); the editors are told."""
    project = _locked(
        project, (Status.SUBMITTED, Status.DRAFT), _("Only a submitted project or a draft can be published.")
    )
    project.status, project.rejection_reason = Status.PUBLISHED, ""
    project.validated_by, project.validated_at = user, timezone.now()
    _record(project, user, ["status", "rejection_reason", "validated_by", "validated_at"])
    _tell_editors(project, "published")
    return project


@transaction.atomic
def project_send_back(project: Project, user: User, reason: str) -> Project:
    """The staff send a project back to its organisation, as a draft, saying what to change."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the organisation should change.")})
    project = _locked(
        project,
        (Status.SUBMITTED, Status.PUBLISHED),
        _("Only a submitted or published project can be sent back."),
    )
    project.status, project.rejection_reason = Status.DRAFT, reason.strip()
    project.validated_by, project.validated_at = user, timezone.now()
    _record(project, user, ["status", "rejection_reason", "validated_by", "validated_at"])
    _tell_editors(project, "sent_back")
    return project


@transaction.atomic
def project_archive(project: Project, user: User) -> Project:
    """The staff archive a project: no longer shown, no longer changed, kept with its history."""
    project = _locked(
        project,
        (Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED),
        _("This project is archived already."),
    )
    project.status = Status.ARCHIVED
    project.validated_by, project.validated_at = user, timezone.now()
    _record(project, user, ["status", "validated_by", "validated_at"])
    _tell_editors(project, "archived")
    return project
