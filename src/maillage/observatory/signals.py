"""Keep the cached facets of the public list of projects (``observatory.facets``) true to the
data, as ``directory.signals`` does for the directory.

Every write of a project saves its ``Project`` row (``project_save``, the workflow, the admin),
so a signal on that model sees the parts written with it in bulk; its links to themes and SDGs
change through ``set``. Bulk writes (the demo) send no signal: they call
``data_changed("observatory")`` themselves."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from maillage.directory.filters import data_changed
from maillage.observatory.models import Project


def _changed(**kwargs: Any) -> None:
    data_changed("observatory")


def _links_changed(action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):  # post_add, post_remove, post_clear
        data_changed("observatory")


def connect() -> None:
    """Called once, by the app's ``ready``."""
    post_save.connect(_changed, sender=Project, dispatch_uid="observatory-facets-save")
    post_delete.connect(_changed, sender=Project, dispatch_uid="observatory-facets-delete")
    for links in (Project.themes.through, Project.sdgs.through):
        m2m_changed.connect(_links_changed, sender=links, dispatch_uid=f"observatory-facets-{links.__name__}")
