"""Core models: reference data and shared building blocks."""

from maillage.core.models.base import TimestampedModel
from maillage.core.models.emails import OutgoingEmail
from maillage.core.models.reference import (
    Commune,
    DacCategory,
    DacSector,
    Departement,
    Region,
    Sdg,
    SdgTarget,
    Theme,
)

__all__ = [
    "Commune",
    "DacCategory",
    "DacSector",
    "Departement",
    "OutgoingEmail",
    "Region",
    "Sdg",
    "SdgTarget",
    "Theme",
    "TimestampedModel",
]
