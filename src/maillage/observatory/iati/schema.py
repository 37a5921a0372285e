"""The official IATI 2.03 activity schema, compiled once per process (lxml schemas are
read-only once built, and validate any number of documents)."""

from functools import cache

from lxml import etree

from maillage.observatory.iati.codelists import DIRECTORY

SCHEMA = DIRECTORY / "schema-2.03" / "iati-activities-schema.xsd"


@cache
def activities_schema() -> etree.XMLSchema:
    """``lxml.etree.XMLSchema`` of ``iati-activities-schema.xsd`` (with its includes)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))
