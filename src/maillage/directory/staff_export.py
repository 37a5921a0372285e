"""The staff's full export of organisations: every field of the model (identifiers, contacts,
status, source, editors' e-mails, tags…) and the people affiliated, in CSV or XLSX.

Unlike the public export (``views.py``), it holds personal data and the staff's tags: it is for
the back office only. The columns follow the model's fields, so that a field added later is
exported without anyone remembering to; the related records are prefetched, so that the number
of queries does not grow with the number of organisations."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.template.defaultfilters import yesno
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries.fields import CountryField

from maillage.core.exports import export_response
from maillage.directory.models import Affiliation, Organisation

EXCLUDED = frozenset({"search_text"})
CHUNK = 2000  # rows read (and prefetched) at a time


def _fields() -> list[models.Field]:
    return [
        field
        for field in (*Organisation._meta.concrete_fields, *Organisation._meta.many_to_many)
        if field.name not in EXCLUDED
    ]


def headers() -> list[str]:
    columns: list[str] = []
    for field in _fields():
        columns.append(str(capfirst(field.verbose_name)))
        if field.name == "commune":
            columns.append(capfirst(_("INSEE code")))
    columns.append(_("People (role)"))
    return columns


def export_queryset(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """``queryset`` with everything the export reads."""
    return queryset.select_related("category", "commune").prefetch_related(
        "themes",
        "sdgs",
        "dac_sectors",
        "tags",
        "editors",
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("person").order_by(
                "person__last_name", "person__first_name", "role"
            ),
        ),
    )


def _value(organisation: Organisation, field: models.Field) -> Any:
    if field.name == "editors":
        return [user.email for user in organisation.editors.all()]
    if field.many_to_many:
        return [str(item) for item in getattr(organisation, field.name).all()]
    if field.name == "languages":
        labels = dict(Organisation.LANGUAGES)
        return [str(labels.get(code, code)) for code in organisation.languages]
    if isinstance(field, CountryField):
        value = getattr(organisation, field.name)
        return [str(country.name) for country in value] if field.multiple else str(value.name)
    if isinstance(field, models.FileField):
        return getattr(organisation, field.name).name or ""
    if field.choices:
        return getattr(organisation, f"get_{field.name}_display")()
    if isinstance(field, models.BooleanField):
        return yesno(getattr(organisation, field.name))  # "oui" or "non", not "True"
    value = getattr(organisation, field.name)
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else None
    return value


def _row(organisation: Organisation, fields: Sequence[models.Field]) -> list[Any]:
    row: list[Any] = []
    for field in fields:
        row.append(_value(organisation, field))
        if field.name == "commune":
            row.append(organisation.commune_id)
    row.append(
        [
            f"{affiliation.person} ({affiliation.get_role_display()})"
            for affiliation in organisation.affiliations.all()
        ]
    )
    return row


def rows(queryset: QuerySet[Organisation], language: str | None = None) -> Iterator[list[Any]]:
    """The rows, in ``language`` (the CSV is streamed after the view has returned)."""
    fields = _fields()
    with translation.override(language or translation.get_language()):
        for organisation in export_queryset(queryset).iterator(chunk_size=CHUNK):
            yield _row(organisation, fields)


def full_export_response(
    queryset: QuerySet[Organisation], file_format: str
) -> HttpResponse | StreamingHttpResponse:
    """The download of every field of ``queryset``'s organisations."""
    stamp = timezone.localdate().isoformat()
    return export_response(
        file_format,
        rows=rows(queryset, translation.get_language()),
        headers=headers(),
        filename=f"annuaire-complet-{stamp}",
        title=_("Organisations"),
    )
