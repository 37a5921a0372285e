"""Full-text search of the directory, the same call on PostgreSQL and SQLite.

On PostgreSQL the name, acronym, description and commune of each organisation form a weighted
``tsvector`` under the ``maillage_french`` configuration (French stemming, accents ignored:
created by migration ``directory.0002_search``); every word of the query must match the start
of a word of the document ("eau" finds "Eau Vive", "beziers" finds "Béziers").

On SQLite, the embedded default, the same text is folded with :func:`search_key` (lower case,
no accents, no punctuation) by a function registered on the connection, and every word of the
query must appear in it. No stemming there: a portable approximation, enough for a demo."""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import CharField, F, Func, QuerySet

from maillage.core.models.reference import search_key
from maillage.directory.models import Organisation

CONFIG = "maillage_french"
MAX_WORDS = 12
SQLITE_FUNCTION = "maillage_search_key"
SEARCHED_FIELDS = ("name", "acronym", "description", "commune__name")


def search_words(text: str) -> list[str]:
    """The words of a query, folded (letters and digits only: safe in a raw ``tsquery``)."""
    return search_key(text).split()[:MAX_WORDS]


def organisations_search(queryset: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """The organisations of ``queryset`` that match every word of ``text`` (all of them when
    ``text`` has no word)."""
    words = search_words(text)
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        vector = (
            SearchVector("name", weight="A", config=CONFIG)
            + SearchVector("acronym", weight="A", config=CONFIG)
            + SearchVector("commune__name", weight="B", config=CONFIG)
            + SearchVector("description", weight="C", config=CONFIG)
        )
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=CONFIG)
        return queryset.alias(search_document=vector).filter(search_document=query)
    _register_sqlite_function(queryset.db)
    folded = Func(
        *(F(field) for field in SEARCHED_FIELDS), function=SQLITE_FUNCTION, output_field=CharField()
    )
    queryset = queryset.alias(search_text=folded)
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _fold(*parts: str | None) -> str:
    return " " + search_key(" ".join(part for part in parts if part)) + " "


def _register_sqlite_function(alias: str) -> None:
    """Make ``maillage_search_key(…)`` available on this connection (cheap: no query)."""
    connection = connections[alias]
    connection.ensure_connection()
    connection.connection.create_function(SQLITE_FUNCTION, -1, _fold, deterministic=True)
