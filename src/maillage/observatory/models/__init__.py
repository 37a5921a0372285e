"""The observatory's data: projects in the shape of IATI activities, their imports, and the
yearly survey of actors."""

from maillage.observatory.models.imports import IatiImport, ProjectImportRun
from maillage.observatory.models.projects import (
    ActivityStatus,
    Budget,
    DocumentLink,
    Location,
    OrganisationRole,
    Participation,
    Project,
    ProjectSector,
    RecipientCountry,
    RecipientRegion,
    Transaction,
    TransactionType,
)
from maillage.observatory.models.surveys import Campaign, Invitation, Snapshot

__all__ = [
    "ActivityStatus",
    "Budget",
    "Campaign",
    "DocumentLink",
    "IatiImport",
    "Invitation",
    "Location",
    "OrganisationRole",
    "Participation",
    "Project",
    "ProjectImportRun",
    "ProjectSector",
    "RecipientCountry",
    "RecipientRegion",
    "Snapshot",
    "Transaction",
    "TransactionType",
]
