"""Validation of the identifiers, contact details and logo of organisations."""

import io
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from stdnum.fr import siren, siret

RNA = re.compile(r"^W\d{9}$")
PHONE = re.compile(r"^\+?[0-9 .()-]{6,25}$")
LOGO_MAX_BYTES = 1024 * 1024


def validate_siren(value: str) -> None:
    if not siren.is_valid(value):
        raise ValidationError(_("This is not a valid SIREN number (9 digits, with a valid check key)."))


def validate_siret(value: str) -> None:
    if not siret.is_valid(value):
        raise ValidationError(_("This is not a valid SIRET number (14 digits, with a valid check key)."))


def validate_rna(value: str) -> None:
    if not RNA.match(value):
        raise ValidationError(_("An RNA number is the letter W followed by 9 digits, e.g. W313012345."))


def validate_phone(value: str) -> None:
    if not PHONE.match(value) or sum(char.isdigit() for char in value) < 6:
        raise ValidationError(
            _("Enter a phone number made of digits, e.g. 05 61 00 00 00 or +221 33 800 00 00.")
        )


def validate_logo_size(value: FieldFile | UploadedFile) -> None:
    if value.size is not None and value.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must weigh 1 MB at most."))


LOGO_MAX_PIXELS = 4000  # on each side
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
KEPT_INFO = ("transparency", "icc_profile")  # what the pixels need; EXIF, XMP and texts go


def logo_from_upload(upload: UploadedFile) -> "ContentFile[bytes]":
    """Check that an uploaded logo is a real PNG, JPEG or WebP image of reasonable size, and
    return a copy re-encoded by Pillow under a random name.

    Trusting neither the file name nor the browser's content type, the image is decoded: a text
    file named ``.png`` or an SVG (which may carry scripts) is refused. The copy keeps the pixels
    only: EXIF (a phone's GPS position, its owner's name), text chunks and the like are dropped,
    and a photo's EXIF orientation is applied first so that it does not turn sideways."""
    name = (upload.name or "").lower()
    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must weigh 1 MB at most."), code="logo_size")
    head = upload.read(512)
    upload.seek(0)
    if name.endswith((".svg", ".svgz")) or upload.content_type == "image/svg+xml" or b"<svg" in head:
        raise ValidationError(
            _("SVG images are not accepted, as they can carry scripts: send a PNG, JPEG or WebP image."),
            code="logo_svg",
        )
    not_an_image = ValidationError(
        _("This file is not a PNG, JPEG or WebP image, or it is damaged."), code="logo_format"
    )
    try:
        with Image.open(upload) as image:
            if image.format not in LOGO_FORMATS:
                raise not_an_image
            width, height = image.size
            if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The logo must measure %(max)s × %(max)s pixels at most "
                        "(this one: %(width)s × %(height)s)."
                    )
                    % {"max": LOGO_MAX_PIXELS, "width": width, "height": height},
                    code="logo_pixels",
                )
            image.verify()  # the file's structure and checksums; the image must be opened again after
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format or ""
            image.load()
            clean = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
                clean = clean.convert("RGB")
            clean.info = {key: clean.info[key] for key in KEPT_INFO if key in clean.info}
            output = io.BytesIO()
            clean.save(output, format=image_format, **({"optimize": True} if image_format != "WEBP" else {}))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise not_an_image from error
    finally:
        upload.seek(0)
    data = output.getvalue()
    if len(data) > LOGO_MAX_BYTES:  # re-encoding seldom makes a file bigger, but it can
        raise ValidationError(_("The logo must weigh 1 MB at most."), code="logo_size")
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{LOGO_FORMATS[image_format]}")
