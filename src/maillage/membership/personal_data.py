"""The personal data of the membership: the applications a user made on behalf of an
organisation. The representatives are people of the directory (its personal data covers them);
memberships, dues and payments are the organisations' records and stay."""

from typing import Any

from maillage.accounts.models import User
from maillage.core.privacy import history_scrub
from maillage.membership.models import Application


def export(user: User) -> dict[str, Any]:
    applications = (
        Application.objects.filter(applicant=user).select_related("organisation").order_by("created_at")
    )
    return {
        "membership_applications": [
            {
                "organisation": application.organisation.name,
                "submitted_at": application.created_at.isoformat(),
                "status": application.status,
                "message": application.message,
            }
            for application in applications
        ]
    }


def erase(user: User) -> None:
    """The applications stay (the organisation's membership rests on them) without their author
    nor the free text they wrote."""
    for application in Application.objects.filter(applicant=user):
        application.applicant, application.message = None, ""
        application._change_reason = "erasure"  # type: ignore[attr-defined]
        application.save(update_fields=["applicant", "message", "updated_at"])
        history_scrub(Application, application.pk, {"applicant_id": None, "message": ""})
