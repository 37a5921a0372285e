"""Personal data (RGPD): what the platform holds about a user, and its erasure.

Each app may provide a ``personal_data`` module with two functions:
- ``export(user) -> dict``: the data about ``user`` held by the app, JSON-serialisable;
- ``erase(user) -> None``: anonymise that data (where records must stay: history, links),
  including the app's history rows.
They run in INSTALLED_APPS order; erasure runs in reverse order (dependants first)."""

from typing import Any

from django.db import models, transaction

from maillage.core.discovery import app_modules
from maillage.core.history import history_of


def personal_data_export(user: Any) -> dict[str, Any]:
    """Everything the platform holds about ``user``, by app."""
    return {label: module.export(user) for label, module in app_modules("personal_data")}


@transaction.atomic
def personal_data_erase(user: Any) -> None:
    """Anonymise ``user`` in every app, history included; all or nothing."""
    for _label, module in reversed(app_modules("personal_data")):
        module.erase(user)


def history_scrub(model: type[models.Model], pk: Any, values: dict[str, Any]) -> int:
    """Overwrite ``values`` in every historical row of one record (erasure keeps the dates and
    the kinds of change, not the personal data). Returns the number of rows changed."""
    return int(history_of(model).filter(**{model._meta.pk.attname: pk}).update(**values))
