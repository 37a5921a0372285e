"""The personal data of the observatory: the survey invitations sent to a user's address, the
imports they ran, the projects and answers they validated and the changes they made to
projects (the history rows they authored).

Erasure takes the address out of the invitations' recipients (the invitations stay: the
organisation was surveyed) and, in their history, the imports forget who ran them and the
validations who made them. Projects are the organisations' records and stay; the history rows
the user authored stay too, pointing to the anonymised account (the accounts' erasure)."""

from typing import Any

from maillage.accounts.models import User
from maillage.core.history import history_of
from maillage.core.privacy import history_scrub
from maillage.observatory.models import (
    Budget,
    Campaign,
    IatiImport,
    Invitation,
    Participation,
    Project,
    ProjectImportRun,
    Transaction,
)

TRACKED = (Project, Participation, Budget, Transaction, Campaign, Invitation)


def _address(user: User) -> str:
    return user.email.strip().lower()


def _invitations(user: User) -> list[Invitation]:
    """The invitations whose recipients hold the user's address (JSON lists: compared in Python,
    on the rows that mention it at all)."""
    address = _address(user)
    if not address:
        return []
    candidates = Invitation.objects.filter(recipients__icontains=address).select_related(
        "campaign", "organisation"
    )
    return [
        invitation
        for invitation in candidates
        if address in {str(recipient).strip().lower() for recipient in invitation.recipients}
    ]


def export(user: User) -> dict[str, Any]:
    return {
        "survey_invitations": [
            {
                "campaign": invitation.campaign.title,
                "organisation": invitation.organisation.name,
                "state": invitation.state,
                "sent_at": invitation.sent_at.isoformat() if invitation.sent_at else None,
            }
            for invitation in _invitations(user)
        ],
        "iati_imports": [
            {"file": item.file_name, "status": item.status, "at": item.created_at.isoformat()}
            for item in IatiImport.objects.filter(user=user).order_by("created_at")
        ],
        "project_imports": [
            {"file": item.file_name, "status": item.status, "at": item.created_at.isoformat()}
            for item in ProjectImportRun.objects.filter(user=user).order_by("created_at")
        ],
        "projects_validated": sorted(
            Project.objects.filter(validated_by=user).values_list("title", flat=True)
        ),
        "answers_validated": [
            {"campaign": invitation.campaign.title, "organisation": invitation.organisation.name}
            for invitation in Invitation.objects.filter(validated_by=user).select_related(
                "campaign", "organisation"
            )
        ],
        "changes_made": {
            model._meta.model_name: history_of(model).filter(history_user=user).count() for model in TRACKED
        },
    }


def erase(user: User) -> None:
    address = _address(user)
    for invitation in _invitations(user):
        recipients = [r for r in invitation.recipients if str(r).strip().lower() != address]
        Invitation.objects.filter(pk=invitation.pk).update(recipients=recipients)
        history = history_of(Invitation).filter(id=invitation.pk, recipients__icontains=address)
        for record in history:
            kept = [r for r in record.recipients if str(r).strip().lower() != address]
            history_of(Invitation).filter(history_id=record.history_id).update(recipients=kept)
    IatiImport.objects.filter(user=user).update(user=None)
    ProjectImportRun.objects.filter(user=user).update(user=None)
    for project in Project.objects.filter(validated_by=user):
        Project.objects.filter(pk=project.pk).update(validated_by=None)
        history_scrub(Project, project.pk, {"validated_by_id": None})
    for invitation in Invitation.objects.filter(validated_by=user):
        Invitation.objects.filter(pk=invitation.pk).update(validated_by=None)
        history_scrub(Invitation, invitation.pk, {"validated_by_id": None})
    Campaign.objects.filter(created_by=user).update(created_by=None)
    history_of(Campaign).filter(created_by=user).update(created_by=None)
