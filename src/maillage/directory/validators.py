"""Validation of the identifiers and contact details of organisations."""

import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
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
