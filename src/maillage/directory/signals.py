"""Keep the cached facets of the directory (``directory.filters.facets``) true to the data.

Signals rather than calls in the services: organisations are written by the services, the
moderation, the imports, the merge of duplicates and the admin, and a signal on the model is
the one place that sees them all. Bulk writes (the demo and benchmark generators) send no
signal: they call ``directory_changed`` themselves."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from maillage.directory.filters import directory_changed
from maillage.directory.models import Category, Organisation


def _changed(**kwargs: Any) -> None:
    directory_changed()


def _links_changed(action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):  # post_add, post_remove, post_clear
        directory_changed()


def connect() -> None:
    """Called once, by the app's ``ready``."""
    for model in (Organisation, Category):  # a category's name is a facet's label
        post_save.connect(_changed, sender=model, dispatch_uid=f"directory-facets-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"directory-facets-delete-{model.__name__}")
    for links in (Organisation.themes.through, Organisation.sdgs.through):
        m2m_changed.connect(_links_changed, sender=links, dispatch_uid=f"directory-facets-{links.__name__}")
