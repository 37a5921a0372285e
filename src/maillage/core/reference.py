"""Loading the reference data (``core/data/``) into the database: territories, SDGs, DAC sectors
and the seed of the themes' thesaurus. See ``core/data/README.md`` for the sources.

``reference_load`` is idempotent and all-or-nothing: every file is read and checked before the
first write; rows are then created, or updated when the source changed (unchanged rows are not
written at all), in one transaction, with bulk statements. A row that has left the source (a
commune merged into another, say) is deleted if nothing refers to it, and kept otherwise.
Themes are only ever created: an administrator's edits, and deletions, are left alone."""

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.db import models, transaction
from django.utils.translation import gettext as _

from maillage.core.models import Commune, DacCategory, DacSector, Departement, Region, Sdg, SdgTarget, Theme
from maillage.core.models.reference import Zone, search_key

DATA_DIR = Path(__file__).resolve().parent / "data"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SDG_PREFIX = re.compile(r"^(?:Goal|Objectif)\s+\d+\s*[.:]\s*")
BATCH_SIZE = 2000
THEME_CHANGE_REASON = "load_reference"

Rows = dict[Any, dict[str, Any]]  # primary key → field values (attnames)


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


class ReferenceDataError(Exception):
    """A reference file is missing or malformed; nothing was written."""


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: int = 0  # gone from the source but still referenced, so not deleted


def reference_load(*, stdout: Writer | None = None, data_dir: Path | None = None) -> dict[str, int]:
    """Load or refresh every reference table; return the number of rows of each afterwards.

    ``stdout`` receives one line per table (created, updated, removed rows)."""
    data_dir = data_dir or DATA_DIR
    regions = _read_regions(data_dir / "geo" / "regions.json")
    departements = _read_departements(data_dir / "geo" / "departements.json", regions)
    communes = _read_communes(data_dir / "geo" / "communes.csv", departements)
    sdgs = _read_sdgs(data_dir / "iati" / "UNSDG-Goals.xml")
    targets = _read_sdg_targets(data_dir / "iati" / "UNSDG-Targets.xml", sdgs)
    categories = _read_dac_categories(data_dir / "iati" / "SectorCategory.xml")
    sectors = _read_dac_sectors(data_dir / "iati" / "Sector.xml", categories)
    themes = _read_themes(data_dir / "themes.json", categories)

    tables: Sequence[tuple[str, type[models.Model], Rows]] = (
        ("regions", Region, regions),
        ("departements", Departement, departements),
        ("communes", Commune, communes),
        ("sdgs", Sdg, sdgs),
        ("sdg_targets", SdgTarget, targets),
        ("dac_categories", DacCategory, categories),
        ("dac_sectors", DacSector, sectors),
    )
    for key, _model, rows in tables:
        if not rows:
            raise ReferenceDataError(_("%(table)s: the source file is empty.") % {"table": key})
    results: dict[str, SyncResult] = {}
    with transaction.atomic():
        for key, model, rows in tables:
            results[key] = _upsert(model, rows)
        for key, model, rows in reversed(tables):  # children before their parents
            _delete_obsolete(model, rows, results[key])
        results["themes"] = SyncResult(created=_create_missing_themes(themes))
        counts = {key: model._default_manager.count() for key, model, _rows in tables}
        counts["themes"] = Theme.objects.count()

    if stdout is not None:
        for key, result in results.items():
            stdout.write(_summary_line(key, counts[key], result) + "\n")
    return counts


# --- Writing ----------------------------------------------------------------------------------


def _upsert(model: type[models.Model], rows: Rows) -> SyncResult:
    """Insert the new rows and rewrite the changed ones; leave identical rows untouched."""
    fields = list(next(iter(rows.values())))
    existing = {pk: values for pk, *values in model._default_manager.values_list("pk", *fields).iterator()}
    result = SyncResult()
    changed = []
    for pk, row in rows.items():
        current = existing.get(pk)
        if current is None:
            result.created += 1
        elif current == [row[field] for field in fields]:
            continue
        else:
            result.updated += 1
        changed.append(model(pk=pk, **row))
    if changed:
        model._default_manager.bulk_create(
            changed,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=[model._meta.get_field(field).name for field in fields] + ["updated_at"],
        )
    return result


def _delete_obsolete(model: type[models.Model], rows: Rows, result: SyncResult) -> None:
    """Delete the rows that left the source, unless another row refers to them."""
    obsolete = set(model._default_manager.values_list("pk", flat=True)) - set(rows)
    for chunk in _chunks(sorted(obsolete), 500):
        unreferenced = model._default_manager.filter(pk__in=chunk)
        for relation in model._meta.related_objects:
            unreferenced = unreferenced.filter(**{f"{relation.name}__isnull": True})
        pks = list(unreferenced.values_list("pk", flat=True).distinct())
        model._default_manager.filter(pk__in=pks).delete()
        result.deleted += len(pks)
        result.kept += len(chunk) - len(pks)


def _create_missing_themes(themes: list[dict[str, Any]]) -> int:
    """Create the themes whose slug is unknown: never one that exists, nor one that an
    administrator deleted (its deletion is in the history)."""
    existing = set(Theme.objects.values_list("slug", flat=True))
    deleted = set(Theme.history.filter(history_type="-").values_list("slug", flat=True)) - existing
    created = 0
    for position, data in enumerate(themes, start=1):
        if data["slug"] in existing or data["slug"] in deleted:
            continue
        theme = Theme(
            position=position, **{key: value for key, value in data.items() if key != "dac_categories"}
        )
        theme._change_reason = THEME_CHANGE_REASON  # type: ignore[attr-defined]
        theme.full_clean()
        theme.save()
        theme.dac_categories.set(data["dac_categories"])
        created += 1
    return created


def _summary_line(key: str, count: int, result: SyncResult) -> str:
    labels = {
        "regions": _("Regions"),
        "departements": _("Départements"),
        "communes": _("Communes"),
        "sdgs": _("Sustainable development goals"),
        "sdg_targets": _("SDG targets"),
        "dac_categories": _("DAC sector categories"),
        "dac_sectors": _("DAC sectors"),
        "themes": _("Themes"),
    }
    line = _("%(table)s: %(count)d (%(created)d created, %(updated)d updated, %(deleted)d removed)") % {
        "table": labels[key],
        "count": count,
        "created": result.created,
        "updated": result.updated,
        "deleted": result.deleted,
    }
    if result.kept:
        line += " " + _("%(kept)d no longer in the source but kept: other records refer to them") % {
            "kept": result.kept
        }
    return line


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Reading ----------------------------------------------------------------------------------


def _error(path: Path, message: str, line: int | None = None) -> ReferenceDataError:
    if line is None:
        return ReferenceDataError(_("%(file)s: %(error)s") % {"file": path.name, "error": message})
    return ReferenceDataError(
        _("%(file)s, line %(line)d: %(error)s") % {"file": path.name, "line": line, "error": message}
    )


def _read_json(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as file:
            data = json.load(file)
    except (OSError, ValueError) as error:
        raise _error(path, str(error)) from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise _error(path, _("a list of objects was expected."))
    return data


def _read_regions(path: Path) -> Rows:
    rows: Rows = {}
    for item in _read_json(path):
        try:
            rows[item["code"]] = {"name": item["nom"], "zone": Zone(item["zone"]).value}
        except (KeyError, ValueError) as error:
            raise _error(path, _("invalid item %(item)s") % {"item": item}) from error
    return rows


def _read_departements(path: Path, regions: Rows) -> Rows:
    rows: Rows = {}
    for item in _read_json(path):
        try:
            rows[item["code"]] = {
                "name": item["nom"],
                "region_id": item["region"],
                "zone": Zone(item["zone"]).value,
            }
        except (KeyError, ValueError) as error:
            raise _error(path, _("invalid item %(item)s") % {"item": item}) from error
        if item["region"] not in regions:
            raise _error(path, _("unknown region %(code)s") % {"code": item["region"]})
    return rows


def _read_communes(path: Path, departements: Rows) -> Rows:
    columns = {
        "code_insee",
        "nom",
        "departement",
        "region",
        "population",
        "codes_postaux",
        "latitude",
        "longitude",
    }
    rows: Rows = {}
    try:
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            if not columns <= set(reader.fieldnames or ()):
                raise _error(
                    path, _("expected columns: %(columns)s") % {"columns": ", ".join(sorted(columns))}
                )
            for record in reader:
                line = reader.line_num
                departement = departements.get(record["departement"])
                if departement is None:
                    raise _error(
                        path, _("unknown département %(code)s") % {"code": record["departement"]}, line
                    )
                if departement["region_id"] != record["region"]:
                    raise _error(
                        path,
                        _("the département is not in region %(code)s") % {"code": record["region"]},
                        line,
                    )
                code = record["code_insee"]
                if len(code) != 5 or code in rows:
                    raise _error(path, _("invalid or repeated INSEE code %(code)s") % {"code": code}, line)
                try:
                    population = int(record["population"]) if record["population"] else None
                    latitude = float(record["latitude"]) if record["latitude"] else None
                    longitude = float(record["longitude"]) if record["longitude"] else None
                except ValueError as error:
                    raise _error(path, str(error), line) from error
                rows[code] = {
                    "name": record["nom"],
                    "search_name": search_key(record["nom"]),
                    "departement_id": record["departement"],
                    "population": population,
                    "postal_codes": " ".join(record["codes_postaux"].replace(",", " ").split()),
                    "latitude": latitude,
                    "longitude": longitude,
                }
    except OSError as error:
        raise _error(path, str(error)) from error
    return rows


def _codelist_items(path: Path) -> Iterable[ET.Element]:
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - our own files
    except (OSError, ET.ParseError) as error:
        raise _error(path, str(error)) from error
    items = root.findall("./codelist-items/codelist-item")
    if not items:
        raise _error(path, _("no codelist item found."))
    return items


def _code(path: Path, item: ET.Element) -> str:
    code = (item.findtext("code") or "").strip()
    if not code:
        raise _error(path, _("an item has no code."))
    return code


def _names(path: Path, item: ET.Element) -> tuple[str, str]:
    """(French, English) names of a codelist item: the French one falls back to the English one."""
    english = french = ""
    for narrative in item.findall("./name/narrative"):
        text = " ".join((narrative.text or "").split())
        language = narrative.get(XML_LANG, "en")
        if language == "en" and not english:
            english = text
        elif language == "fr" and not french:
            french = text
    if not english:
        raise _error(path, _("item %(code)s has no English name.") % {"code": _code(path, item)})
    return french or english, english


def _is_active(item: ET.Element) -> bool:
    return item.get("status", "active") != "withdrawn"


def _read_sdgs(path: Path) -> Rows:
    rows: Rows = {}
    for item in _codelist_items(path):
        code = _code(path, item)
        if not code.isdigit() or not 1 <= int(code) <= 17:
            raise _error(path, _("invalid goal number %(code)s") % {"code": code})
        french, english = _names(path, item)
        rows[int(code)] = {"name_fr": SDG_PREFIX.sub("", french), "name_en": SDG_PREFIX.sub("", english)}
    return rows


def _read_sdg_targets(path: Path, sdgs: Rows) -> Rows:
    rows: Rows = {}
    for position, item in enumerate(_codelist_items(path), start=1):
        code = _code(path, item)
        goal = code.partition(".")[0]
        if not goal.isdigit() or int(goal) not in sdgs:
            raise _error(path, _("target %(code)s belongs to no known goal") % {"code": code})
        french, english = _names(path, item)
        rows[code] = {"goal_id": int(goal), "name_fr": french, "name_en": english, "position": position}
    return rows


def _read_dac_categories(path: Path) -> Rows:
    rows: Rows = {}
    for item in _codelist_items(path):
        french, english = _names(path, item)
        rows[_code(path, item)] = {"name_fr": french, "name_en": english, "active": _is_active(item)}
    return rows


def _read_dac_sectors(path: Path, categories: Rows) -> Rows:
    rows: Rows = {}
    for item in _codelist_items(path):
        code = _code(path, item)
        category = (item.findtext("category") or "").strip()
        if category not in categories:
            raise _error(path, _("sector %(code)s has an unknown category") % {"code": code})
        french, english = _names(path, item)
        rows[code] = {
            "category_id": category,
            "name_fr": french,
            "name_en": english,
            "active": _is_active(item),
        }
    return rows


def _read_themes(path: Path, categories: Rows) -> list[dict[str, Any]]:
    fields = {"slug", "name_fr", "name_en", "description_fr", "description_en", "dac_categories"}
    themes = _read_json(path)
    slugs = set()
    for theme in themes:
        if set(theme) != fields:
            raise _error(
                path, _("each theme needs exactly: %(fields)s") % {"fields": ", ".join(sorted(fields))}
            )
        if theme["slug"] in slugs:
            raise _error(path, _("repeated theme %(slug)s") % {"slug": theme["slug"]})
        slugs.add(theme["slug"])
        unknown = set(theme["dac_categories"]) - set(categories)
        if unknown:
            raise _error(path, _("unknown DAC categories %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    return themes
