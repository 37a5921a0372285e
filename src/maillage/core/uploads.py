"""Uploaded documents checked by their content, not their name: a ``.pdf`` must begin as a PDF
does, an OpenDocument or Office file must be the zip archive these formats are made of with
the entries that make it one, an image must be one. An executable renamed ``rapport.pdf`` is
refused. Shared by every app that accepts documents (assemblies, commissions…)."""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
OPENDOCUMENT = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
OFFICE = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def _zip_kind(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and "content.xml" in names:
                declared = archive.read("mimetype").strip()
                return next((kind for kind, mimetype in OPENDOCUMENT.items() if mimetype == declared), None)
            if "[Content_Types].xml" in names:
                return next((kind for kind, entry in OFFICE.items() if entry in names), None)
            return None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)


def document_kind(upload: UploadedFile) -> str | None:
    """The kind of a document from its content ('pdf', 'odt', 'docx', 'png'…), or None."""
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def validate_document(upload: UploadedFile, kinds: tuple[str, ...] = ("pdf", "odt", "docx")) -> str:
    """A document of one of ``kinds``, 10 MB at most, whose content matches its extension.
    Returns its kind."""
    if upload.size is not None and upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s weighs more than 10 MB.") % {"name": upload.name}, code="document_size"
        )
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    extension = "jpg" if extension == "jpeg" else extension
    if extension not in kinds or document_kind(upload) != extension:
        raise ValidationError(
            _("%(name)s is not an accepted document (%(kinds)s), or its content does not match its name.")
            % {"name": upload.name, "kinds": ", ".join(kind.upper() for kind in kinds)},
            code="document_format",
        )
    return extension
