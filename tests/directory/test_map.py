"""The directory's map: public, the same filters as the list, the embedded data (points, counts
per département and per country of intervention), the accessible tables, and a constant number
of queries."""

import json
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.directory.models import Organisation
from tests.access import assert_access
from tests.directory.test_pages import _organisation

MAP = "/annuaire/carte/"
OCCITANIE = ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]


@pytest.fixture
def directory(reference_data):
    organisations = {
        "eau": _organisation("Eau Vive Occitanie", countries=["SN"], themes=["eau-assainissement"]),
        "beziers": _organisation(
            "Solidarité Biterroise", commune="34032", countries=["MG", "SN"], themes=["sante"]
        ),
        "universite": _organisation(
            "Université de Montpellier", commune="34172", category="universite", countries=["SN", "MA"]
        ),
        "nowhere": _organisation("Sans point", commune="34172", countries=["MG"]),
        "draft": _organisation("Brouillon secret", countries=["BR"], status=Organisation.Status.DRAFT),
    }
    Organisation.objects.filter(pk=organisations["nowhere"].pk).update(latitude=None, longitude=None)
    return organisations


def _data(response):
    found = re.search(
        r'<script id="directory-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, "the map's data is embedded with json_script"
    return json.loads(found.group(1))


def _counts(data):
    return {row["code"]: row["count"] for row in data["departements"] if row["count"]}


def _countries(data):
    return {row["code"]: row["count"] for row in data["countries"]}


def test_the_map_is_public(client, users, directory):
    assert reverse("directory:map") == MAP
    assert_access(client, users, MAP, expected=dict.fromkeys(users, 200))


def test_the_embedded_data_has_the_published_organisations_with_a_point(client, directory):
    response = client.get(MAP)
    data = _data(response)
    assert data["points"] == [
        {
            "name": organisation.name,
            "url": f"/annuaire/{organisation.slug}/",
            "lat": organisation.latitude,
            "lng": organisation.longitude,
        }
        for organisation in (directory["eau"], directory["beziers"], directory["universite"])
    ]
    assert all(point["lat"] is not None for point in data["points"])
    assert data["tiles"] == ""
    # Every département of the région, with 0 where nothing matches.
    assert [row["code"] for row in data["departements"]] == OCCITANIE
    assert _counts(data) == {"31": 1, "34": 3}
    # The countries of the published organisations (with or without a point), the most frequent
    # first, with the numeric code that keys the world outlines; never the draft's.
    assert data["countries"] == [
        {"code": "SN", "numeric": "686", "name": "Sénégal", "count": 3},
        {"code": "MG", "numeric": "450", "name": "Madagascar", "count": 2},
        {"code": "MA", "numeric": "504", "name": "Maroc", "count": 1},
    ]


def test_the_table_and_the_status_give_the_same_numbers(client, directory):
    page = client.get(MAP).content.decode()
    assert re.search(r'role="status">\s*4 organisations, 3 sur la carte', page)
    assert re.search(r"<th scope=\"row\">Hérault \(34\)</th><td>3</td>", page)
    assert re.search(r"<th scope=\"row\">Haute-Garonne \(31\)</th><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">Ariège \(09\)</th><td>0</td>", page)
    countries = page[page.index("<caption>Pays d’intervention</caption>") :]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', countries)
    assert rows == [("Sénégal", "3"), ("Madagascar", "2"), ("Maroc", "1")]
    assert "comptée dans chacun" in page
    # The two views of the map, and the texts map.js gives to the clusters and the legends.
    assert 'role="group" aria-label="Vue de la carte"' in page
    assert re.search(r'<button type="button"[^>]*aria-pressed="true">Région</button>', page)
    assert re.search(r'<button type="button"[^>]*aria-pressed="false">Monde</button>', page)
    assert 'data-cluster-label="{count} organisations — zoomer"' in page
    assert 'data-world="/static/vendor/world-atlas/countries-110m.json"' in page
    assert 'aria-label="Carte des organisations' in page
    assert f'action="{MAP}"' in page and "hx-get" not in page
    assert 'href="/annuaire/"' in page  # back to the list


def test_the_filters_apply(client, directory):
    data = _data(client.get(MAP, {"theme": "sante"}))
    assert [point["name"] for point in data["points"]] == ["Solidarité Biterroise"]
    assert _counts(data) == {"34": 1}
    assert _countries(data) == {"MG": 1, "SN": 1}

    # The country filter narrows the organisations; their other countries are still counted.
    data = _data(client.get(MAP, {"country": "MA"}))
    assert [point["name"] for point in data["points"]] == ["Université de Montpellier"]
    assert _countries(data) == {"SN": 1, "MA": 1}

    data = _data(client.get(MAP, {"departement": "31"}))
    assert [point["name"] for point in data["points"]] == ["Eau Vive Occitanie"]
    assert _counts(data) == {"31": 1}

    response = client.get(MAP, {"college": "public"})
    assert [point["name"] for point in _data(response)["points"]] == ["Université de Montpellier"]
    assert response.context["count"] == 1
    # The links between the pages keep the filters.
    assert 'href="/annuaire/?college=public"' in response.content.decode()
    listed = client.get("/annuaire/?college=public").content.decode()
    assert 'href="/annuaire/carte/?college=public"' in listed


def test_the_tiles_come_from_the_setting(client, directory, settings):
    settings.MAILLAGE_MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert _data(client.get(MAP))["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_depend_on_the_number_of_organisations(client, reference_data):
    communes = ["31555", "34172", "34032", "30189", "66136"]
    for number in range(5):
        _organisation(f"Association {number}", commune=communes[number], themes=["sante"])
    few = _queries(client, MAP), _queries(client, MAP + "?theme=sante&college=associative")
    lists = [["SN"], ["SN", "MG"], ["BF", "ML", "NE"], []]
    expected = Counter()
    for number in range(5, 40):
        expected.update(lists[number % 4])
        _organisation(
            f"Association {number}",
            commune=communes[number % 5],
            countries=lists[number % 4],
            themes=["sante"],
        )
    many = _queries(client, MAP), _queries(client, MAP + "?theme=sante&college=associative")
    assert few == many
    # The count, the points, the counts per département, the départements, the countries, six facets.
    assert few[0] == 12
    data = _data(client.get(MAP))
    assert len(data["points"]) == 40
    assert _counts(data) == {"30": 8, "31": 8, "34": 16, "66": 8}
    assert _countries(data) == expected


def test_without_any_country_the_table_gives_way_to_a_sentence(client, reference_data):
    _organisation("Sans pays", commune="34172")
    response = client.get(MAP)
    assert _data(response)["countries"] == []
    page = response.content.decode()
    assert "Aucune de ces organisations n’a indiqué de pays d’intervention." in page
    assert "<caption>Pays d’intervention</caption>" not in page
