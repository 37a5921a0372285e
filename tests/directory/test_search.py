"""Full-text search of the directory: the same results on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from maillage.directory.models import Organisation
from maillage.directory.search import search_words, text_search
from tests.directory.test_pages import _organisation


@pytest.fixture
def organisations(reference_data):
    _organisation("Eau Vive Occitanie", acronym="EVO", description="Puits et forages au Sénégal.")
    _organisation("Solidarité Biterroise", commune="34032")  # Béziers
    _organisation("Les Amis de Madagascar", description="Écoles et santé à Fianarantsoa.", commune="34172")
    _organisation("Hydro Conseil", category="pme", acronym="HC")


def _search(text):
    return sorted(text_search(Organisation.objects.all(), text).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("eau", ["Eau Vive Occitanie"]),
        ("EAU vive", ["Eau Vive Occitanie"]),
        ("beziers", ["Solidarité Biterroise"]),  # the commune, without its accent
        ("Béziers", ["Solidarité Biterroise"]),
        ("solidarite", ["Solidarité Biterroise"]),  # the name, without its accent
        ("evo", ["Eau Vive Occitanie"]),  # the acronym
        ("senegal", ["Eau Vive Occitanie"]),  # the description
        ("écoles fianarantsoa", ["Les Amis de Madagascar"]),
        ("ecoles", ["Les Amis de Madagascar"]),
        ("montpellier", ["Les Amis de Madagascar"]),
        ("toulouse", ["Eau Vive Occitanie", "Hydro Conseil"]),
        ("hydro toulouse", ["Hydro Conseil"]),  # every word must match
        ("madag", ["Les Amis de Madagascar"]),  # the beginning of a word
        ("nulle part", []),
    ],
)
def test_search_ignores_case_and_accents_and_matches_every_word(organisations, text, names):
    assert _search(text) == names


@pytest.mark.parametrize("text", ["", "   ", "!!! ' & | :*", "()"])
def test_a_query_without_words_does_not_filter(organisations, text):
    assert len(_search(text)) == 4


def test_operators_of_the_database_are_plain_text(organisations):
    assert search_words("eau & !vive | 'x':*") == ["eau", "vive", "x"]
    assert _search("eau & !vive") == ["Eau Vive Occitanie"]


def test_the_directory_page_searches(client, organisations):
    response = client.get("/annuaire/", {"q": "beziers"})
    assert [organisation.name for organisation in response.context["page"].object_list] == [
        "Solidarité Biterroise"
    ]
    assert 'value="beziers"' in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the full-text index exists on PostgreSQL only")
def test_the_search_uses_the_full_text_index(reference_data):
    queryset = text_search(Organisation.objects.all(), "eau béziers")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        plan = queryset.explain()
    assert "directory_organisation_search_gin" in plan


def test_a_typographic_apostrophe_separates_words(reference_data):
    _organisation("Solidarité pour l’eau", description="L’accès à l’eau potable")
    found = text_search(Organisation.objects.all(), "eau")
    assert [organisation.name for organisation in found] == ["Solidarité pour l’eau"]
