"""Core models: reference data and shared building blocks."""

from maillage.core.models.base import TimestampedModel
from maillage.core.models.emails import OutgoingEmail

__all__ = ["OutgoingEmail", "TimestampedModel"]
