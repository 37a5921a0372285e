"""Private files (receipts, minutes, assembly documents): stored outside MEDIA_ROOT, which the
web server publishes, and served only by views that check permissions."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage under ``MAILLAGE_PRIVATE_ROOT``, without URLs."""

    @property
    def base_location(self) -> str:
        return str(settings.MAILLAGE_PRIVATE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL: serve them through a view.")


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """For ``FileField(storage=private_storage)`` (a callable keeps it out of migrations)."""
    return _private
