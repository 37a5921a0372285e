"""Writing IATI 2.03 activity files: projects out as ``<iati-activities>``, valid against the
official schema (``core/data/iati/schema-2.03``), streamed with ``lxml.etree.xmlfile``.

    with open("activites.xml", "wb") as out:
        count = iati_write(Project.objects.filter(status="published"), out)

The projects are read by chunks of 500 (``iterator(chunk_size=…)``, every part prefetched per
chunk: a constant number of queries per chunk) and each activity is written and forgotten, so
that memory does not grow with the number of projects. ``iati_stream`` gives the same bytes as
an iterator of chunks, for a ``StreamingHttpResponse``. Each activity is built from the
project's ``ProjectData`` (``activity_element``), which the benchmark also uses on data held in
memory.

Choices where the schema demands what a project may lack:

- the activity's ``iati-identifier`` is the project's, else ``<reporting org ref>-<pk>``;
- an organisation's ``ref`` is its IATI identifier, else
  ``<MAILLAGE_IATI_IDENTIFIER_PREFIX>-<SIREN, else its address in the directory>``;
- its ``type`` (IATI OrganisationType) comes from its category, else its collège (see
  ``ORGANISATION_TYPES``); a partner abroad, whose nature the directory does not record, has
  none on ``participating-org`` and "90" (Other) on ``reporting-org``, where it is required;
- an empty description is written as one empty narrative (``description`` is required);
- a project without any date gets its record's creation date as planned start (at least one
  ``activity-date`` is required); one without a status (an imported code outside the codelist)
  gets the status its dates tell (``activity_status``);
- a document without a category is filed as "A12" (Activity web page);
- a transaction without a value date takes its date (``value-date`` is required).

Not exported (IATI has no place for them): themes, beneficiaries, volunteers."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from lxml import etree

from maillage.directory.models import College, Organisation
from maillage.observatory.models import ActivityStatus, Participation, Project, Transaction
from maillage.observatory.services import ProjectData

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
WEB_PAGE = "A12"  # DocumentCategory "Activity web page"
OTHER = "90"  # OrganisationType "Other"
CHUNK = 500

# IATI OrganisationType by category of the directory (``directory.services.CATEGORIES``).
ORGANISATION_TYPES = {
    "collectivite-territoriale": "11",  # Local Government
    "agence-publique": "15",  # Other Public Sector
    "etablissement-sante": "15",
    "etablissement-scolaire": "80",  # Academic, Training and Research
    "universite": "80",
    "recherche": "80",
    "chambre-consulaire": "15",
    "association": "22",  # National NGO (French, as seen from France, the reporting country)
    "collectif": "22",
    "federation": "22",
    "pme": "70",  # Private Sector
    "ess": "70",
    "fondation": "60",  # Foundation
    "groupement-entreprises": "70",
}
# For a regional actor without a category (or a category added by the administrators).
COLLEGE_TYPES: dict[str, str] = {College.PUBLIC: "15", College.ASSOCIATIVE: "22", College.ECONOMIC: "70"}


def organisation_ref(organisation: Organisation) -> str:
    """The organisation's IATI identifier, or one made of the configured prefix."""
    if organisation.iati_identifier:
        return organisation.iati_identifier
    return f"{settings.MAILLAGE_IATI_IDENTIFIER_PREFIX}-{organisation.siren or organisation.slug}"


def organisation_type(organisation: Organisation) -> str | None:
    """The IATI OrganisationType code, or None when the directory does not tell (a partner)."""
    category = organisation.category if organisation.category_id else None
    if category is not None and category.slug in ORGANISATION_TYPES:
        return ORGANISATION_TYPES[category.slug]
    return COLLEGE_TYPES.get(organisation.college)


def activity_status(data: ProjectData) -> int:
    """The activity's status; when unknown (a code outside the codelist in an imported file),
    the one its dates tell: closed once ended, in implementation once started, else pipeline."""
    if data.activity_status is not None:
        return data.activity_status
    if data.actual_end:
        return ActivityStatus.CLOSED
    return ActivityStatus.IMPLEMENTATION if data.actual_start else ActivityStatus.PIPELINE


def activity_identifier(data: ProjectData, pk: int | None) -> str:
    return data.iati_identifier or f"{organisation_ref(data.reporting_organisation)}-{pk}"


def _iso_datetime(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _number(value: Decimal | float) -> str:
    """A decimal without exponent, trailing zeros of a percentage removed (``70.00`` → ``70``)."""
    return format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else str(value)


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _sub(parent: Any, tag: str, **attributes: str | None) -> Any:
    """A child element with the attributes that have a value (``_`` in names becomes ``-``)."""
    attrib = {name.replace("_", "-"): value for name, value in attributes.items() if value is not None}
    return etree.SubElement(parent, tag, attrib)


def _narrative(parent: Any, text: str, language: str | None = None) -> None:
    element = _sub(parent, "narrative")
    element.text = text
    if language:
        element.set(XML_LANG, language)


def _text(parent: Any, tag: str, main: str, others: dict[str, str]) -> None:
    """``title`` or ``description``: the text in the activity's language, then the others."""
    element = _sub(parent, tag)
    if main or not others:
        _narrative(element, main)
    for language, text in others.items():
        _narrative(element, text, language)


def _organisation(parent: Any, tag: str, organisation: Organisation, **attributes: str | None) -> None:
    element = _sub(parent, tag, ref=organisation_ref(organisation), **attributes)
    _narrative(element, organisation.name)


def activity_element(data: ProjectData, *, identifier: str, last_updated: datetime | None = None) -> Any:
    """One ``iati-activity`` element, its children in the order of the 2.03 schema."""
    activity = etree.Element("iati-activity")
    if last_updated:
        activity.set("last-updated-datetime", _iso_datetime(last_updated))
    activity.set(XML_LANG, data.language)
    activity.set("default-currency", data.default_currency)
    _sub(activity, "iati-identifier").text = identifier
    reporter = data.reporting_organisation
    _organisation(activity, "reporting-org", reporter, type=organisation_type(reporter) or OTHER)
    _text(activity, "title", data.title, data.narratives.get("title", {}))
    _text(activity, "description", data.description, data.narratives.get("description", {}))
    for organisation, role in data.participations:
        _organisation(
            activity, "participating-org", organisation, type=organisation_type(organisation), role=str(role)
        )
    _sub(activity, "activity-status", code=str(activity_status(data)))
    for kind, day in enumerate((data.planned_start, data.actual_start, data.planned_end, data.actual_end), 1):
        if day:
            _sub(activity, "activity-date", type=str(kind), iso_date=day.isoformat())
    for code, share in data.countries:
        _sub(activity, "recipient-country", code=code, percentage=_share(share))
    for vocabulary, code, share in data.regions:
        _sub(activity, "recipient-region", code=code, vocabulary=vocabulary, percentage=_share(share))
    for location in data.locations:
        _location(activity, location)
    for vocabulary, code, share in data.sectors:
        _sub(activity, "sector", vocabulary=vocabulary, code=code, percentage=_share(share))
    for sdg in data.sdgs:
        _sub(activity, "tag", vocabulary="2", code=str(sdg.number))
    for target in data.sdg_targets:
        _sub(activity, "tag", vocabulary="3", code=target.code)
    for budget in data.budgets:
        _budget(activity, budget, data.default_currency)
    for item in data.transactions:
        _transaction(activity, item, data.default_currency)
    for document in data.documents:
        _document(activity, document)
    return activity


def _share(share: Decimal | None) -> str | None:
    return None if share is None else _number(share)


def _value(parent: Any, value: Decimal, currency: str, value_date: date) -> None:
    _sub(parent, "value", currency=currency, value_date=value_date.isoformat()).text = _amount(value)


def _location(parent: Any, location: dict[str, Any]) -> None:
    element = _sub(parent, "location")
    _narrative(_sub(element, "name"), location["name"])
    if location.get("admin_vocabulary") and location.get("admin_code"):
        level = location.get("admin_level")
        _sub(
            element,
            "administrative",
            vocabulary=location["admin_vocabulary"],
            level=None if level is None else str(level),
            code=location["admin_code"],
        )
    if location.get("latitude") is not None and location.get("longitude") is not None:
        point = _sub(element, "point", srsName=WGS84)
        _sub(point, "pos").text = f"{location['latitude']} {location['longitude']}"


def _budget(parent: Any, budget: dict[str, Any], currency: str) -> None:
    element = _sub(parent, "budget", type=str(budget.get("kind", 1)), status=str(budget.get("state", 1)))
    _sub(element, "period-start", iso_date=budget["period_start"].isoformat())
    _sub(element, "period-end", iso_date=budget["period_end"].isoformat())
    value_date = budget.get("value_date") or budget["period_start"]
    _value(element, budget["value"], budget.get("currency") or currency, value_date)


def _transaction(parent: Any, item: dict[str, Any], currency: str) -> None:
    element = _sub(parent, "transaction")
    _sub(element, "transaction-type", code=str(item["kind"]))
    _sub(element, "transaction-date", iso_date=item["date"].isoformat())
    _value(element, item["value"], item.get("currency") or currency, item.get("value_date") or item["date"])
    if item.get("description"):
        _narrative(_sub(element, "description"), item["description"])
    for side in ("provider", "receiver"):
        organisation: Organisation | None = item.get(side)
        if organisation is not None:
            _organisation(element, f"{side}-org", organisation, type=organisation_type(organisation))
        elif item.get(f"{side}_name"):
            _narrative(_sub(element, f"{side}-org"), item[f"{side}_name"])


def _document(parent: Any, document: dict[str, Any]) -> None:
    element = _sub(parent, "document-link", format=document.get("format") or "text/html", url=document["url"])
    _narrative(_sub(element, "title"), document["title"])
    _sub(element, "category", code=document.get("category") or WEB_PAGE)
    if document.get("language"):
        _sub(element, "language", code=document["language"])
    if document.get("document_date"):
        _sub(element, "document-date", iso_date=document["document_date"].isoformat())


# --- Projects of the database ---------------------------------------------------------------------


def projects_prefetched(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects with everything the export reads, in a stable order."""
    return (
        projects.select_related("reporting_organisation__category")
        .prefetch_related(
            Prefetch(
                "participations", queryset=Participation.objects.select_related("organisation__category")
            ),
            "recipient_countries",
            "recipient_regions",
            "sectors",
            "locations",
            "budgets",
            Prefetch(
                "transactions",
                queryset=Transaction.objects.select_related("provider__category", "receiver__category"),
            ),
            "documents",
            "themes",
            "sdgs",
            "sdg_targets",
        )
        .order_by("pk")
    )


def project_element(project: Project) -> Any:
    data = ProjectData.of(project)
    if not any((data.planned_start, data.actual_start, data.planned_end, data.actual_end)):
        data.planned_start = timezone.localdate(project.created_at)
    return activity_element(
        data, identifier=activity_identifier(data, project.pk), last_updated=project.updated_at
    )


def _written(projects: QuerySet[Project], out: IO[bytes], *, every: int) -> Iterator[int]:
    """Write the file, yielding the number of activities written every ``every`` activities
    (the output flushed) and at the end."""
    count = 0
    root = {"version": IATI_VERSION, "generated-datetime": _iso_datetime(timezone.now())}
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", root):
            xf.write("\n")
            for project in projects_prefetched(projects).iterator(chunk_size=CHUNK):
                xf.write(project_element(project), pretty_print=True)
                count += 1
                if count % every == 0:
                    xf.flush()
                    yield count
    out.write(b"\n")
    yield count


def iati_write(projects: QuerySet[Project], out: IO[bytes]) -> int:
    """Write ``projects`` as an IATI 2.03 activity file to ``out``; the number of activities.
    The schema wants at least one: callers check that ``projects`` is not empty."""
    return list(_written(projects, out, every=CHUNK))[-1]  # the last count is the total


class _Chunks:
    """A binary file whose writes are kept until taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def iati_stream(projects: QuerySet[Project], *, every: int = 50) -> Iterator[bytes]:
    """The same file as ``iati_write``, as chunks of about ``every`` activities."""
    buffer = _Chunks()
    for _count in _written(projects, buffer, every=every):  # type: ignore[arg-type]
        chunk = buffer.take()
        if chunk:
            yield chunk
