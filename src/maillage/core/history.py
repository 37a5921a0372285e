"""Reading the change history (django-simple-history) of any tracked record."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from simple_history.models import registered_models


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime
    user: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[FieldChange]
    record: Any  # the historical record


def tracked_models() -> list[type[models.Model]]:
    """The models whose history is kept (the link tables of tracked many-to-many fields aside:
    their changes show in the history of the record that owns the field)."""
    return [
        model
        for model in registered_models.values()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def history_of(model: type[models.Model]) -> Any:
    """The history manager of a tracked model (``Model.history`` unless renamed)."""
    return getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]


def tracked_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """The model with that label if its history is tracked, else None."""
    for model in tracked_models():
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model
    return None


def history_entries(records: list[Any]) -> list[HistoryEntry]:
    """Entries from newest to oldest, each with the fields that changed from the one before.

    ``records`` are the historical records of one object, newest first."""
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                old, new = change.old, change.new
                if field.many_to_many:  # lists of link rows: show the codes of the targets
                    target = field.m2m_reverse_field_name()
                    old, new = (", ".join(sorted(str(row[target]) for row in rows)) for rows in (old, new))
                changes.append(FieldChange(str(field.verbose_name), old, new))
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                changes=changes,
                record=record,
            )
        )
    return entries
