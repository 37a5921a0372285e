"""Writes on a commission's shared documents. A file is checked by its content before anything
is written (``core.uploads.validate_document``), stored in the private storage under a random
name (the original name is only a label, kept for the download) and served by a view that
checks the permission."""

import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from maillage.accounts.models import User
from maillage.commissions.models import Commission, Document, DocumentVersion, Meeting
from maillage.core.uploads import CONTENT_TYPES, validate_document

KINDS = ("pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "png", "jpg")


def tags_normalise(tags: str) -> str:
    """Tags as typed ("rapport,  Sénégal ,rapport") → "rapport, Sénégal": trimmed, once each."""
    seen: dict[str, str] = {}
    for tag in tags.split(","):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return ", ".join(seen.values())[:250]


def _version_store(*, document: Document, user: User, upload: UploadedFile, kind: str) -> DocumentVersion:
    """The next version of ``document``, its file written under a random name. The file is
    written last, and removed again if its row cannot be saved: no orphan stays on disk."""
    Document.objects.select_for_update().filter(pk=document.pk).first()  # numbers one at a time
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        filename=PurePath(upload.name or f"document.{kind}").name[-255:],
        content_type=CONTENT_TYPES[kind],
        size=upload.size or 0,
        uploaded_by=user,
    )
    version.file.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
    try:
        version.save()
    except BaseException:
        version.file.delete(save=False)
        raise
    return version


@transaction.atomic
def document_create(
    *,
    commission: Commission,
    user: User,
    title: str,
    upload: UploadedFile,
    tags: str = "",
    meetings: Iterable[Meeting] = (),
) -> Document:
    """A new document and its first version. Raises ValidationError (nothing written) when the
    file is not an accepted document or weighs more than 10 MB."""
    kind = validate_document(upload, kinds=KINDS)
    document = Document.objects.create(commission=commission, title=title, tags=tags_normalise(tags))
    document.meetings.set([meeting for meeting in meetings if meeting.commission_id == commission.pk])
    _version_store(document=document, user=user, upload=upload, kind=kind)
    return document


@transaction.atomic
def version_add(*, document: Document, user: User, upload: UploadedFile) -> DocumentVersion:
    """A new version of ``document`` (the older ones stay downloadable)."""
    kind = validate_document(upload, kinds=KINDS)
    document.save(update_fields=["updated_at"])
    return _version_store(document=document, user=user, upload=upload, kind=kind)


@transaction.atomic
def document_update(*, document: Document, title: str, tags: str, meetings: Iterable[Meeting]) -> Document:
    """Rename, retag and relink a document to meetings of its own commission."""
    document.title = title
    document.tags = tags_normalise(tags)
    document.save()
    document.meetings.set(
        [meeting for meeting in meetings if meeting.commission_id == document.commission_id]
    )
    return document
