"""Full-text search, the same call on PostgreSQL and SQLite, for any model with a folded
``search_text`` (organisations of the directory, projects of the observatory).

Each record keeps its searchable words folded in its ``search_text`` (set by its app's
services: lower case, no accents, no punctuation, padded with spaces): for an organisation its
name, acronym, commune and description. On PostgreSQL a GIN index covers
``to_tsvector('maillage_french', search_text)`` (migrations ``directory.0002_search`` and
``0005``, ``observatory.0002_search``: French stemming, accents ignored); every word of the
query must match the start of a word of the text ("eau" finds "Eau Vive", "beziers" finds
"Béziers"). On SQLite, the embedded default, every word of the query must begin a word of the
text: no stemming, a portable approximation."""

from typing import TypeVar

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Model, QuerySet

from maillage.core.models.reference import search_key
from maillage.directory.models import Organisation

CONFIG = "maillage_french"
MAX_WORDS = 12

M = TypeVar("M", bound=Model)


def search_words(text: str) -> list[str]:
    """The words of a query, folded (letters and digits only: safe in a raw ``tsquery``)."""
    return search_key(text).split()[:MAX_WORDS]


def search_text(organisation: Organisation, commune_name: str | None = None) -> str:
    """The folded text the search reads, for ``Organisation.search_text`` (padded with spaces,
    so that SQLite can look for whole words)."""
    if commune_name is None and organisation.commune_id:
        commune_name = organisation.commune.name  # type: ignore[union-attr]
    parts = (organisation.name, organisation.acronym, commune_name, organisation.description)
    return " " + search_key(" ".join(part for part in parts if part)) + " "


def text_search(queryset: QuerySet[M], text: str) -> QuerySet[M]:
    """The records of ``queryset`` (a model with a folded ``search_text``) that match every word
    of ``text`` (all of them when ``text`` has no word)."""
    words = search_words(text)
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        # The same expression as the GIN indexes (directory.0005, observatory.0002).
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=CONFIG)
        return queryset.alias(search_document=SearchVector("search_text", config=CONFIG)).filter(
            search_document=query
        )
    for word in words:
        queryset = queryset.filter(search_text__contains=f" {word}")
    return queryset
