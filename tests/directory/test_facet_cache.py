"""The cache of the directory's facets: counted once per set of filters, never stale after a write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage.core.models import Commune, Theme
from maillage.directory.filters import OrganisationFilter, directory_version, facets, facets_counted
from maillage.directory.models import Category, Organisation
from maillage.directory.services import organisation_set_status, organisation_update
from maillage.directory.views import directory_organisations
from tests.directory.test_pages import INDEX, _facet, _organisation

PUBLISHED = Organisation.Status.PUBLISHED


@pytest.fixture
def directory(reference_data):
    """Four published organisations over two départements, a draft."""
    return {
        "eau": _organisation(
            "Eau Vive Occitanie", countries=["SN", "BF"], themes=["eau-assainissement"], sdgs=[6]
        ),
        "beziers": _organisation(
            "Solidarité Biterroise", commune="34032", countries=["MG"], themes=["sante"], sdgs=[3, 6]
        ),
        "pme": _organisation(
            "Hydro Conseil", category="pme", countries=["SN"], themes=["eau-assainissement"]
        ),
        "federation": _organisation("Fédération des jumelages", category="federation", commune="31069"),
        "draft": _organisation("Brouillon", status=Organisation.Status.DRAFT, themes=["eau-assainissement"]),
    }


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _counts(data=None):
    """Every facet as {value: count}, through the cache, after checking it against a fresh count."""
    filterset = OrganisationFilter(data or {}, queryset=directory_organisations())
    cached = facets(filterset)
    assert cached == facets_counted(filterset)
    return {facet.name: {option.value: option.count for option in facet.options} for facet in cached}


@pytest.mark.parametrize(
    "query", ["", "?q=eau&departement=31", "?college=associative&theme=eau-assainissement"]
)
def test_the_second_request_reuses_the_counted_facets(client, directory, query):
    first, counted = _get(client, INDEX + query)
    second, cached = _get(client, INDEX + query)
    assert counted - cached == len(first.context["facets"])  # one query per facet, none the second time
    assert second.context["facets"] == first.context["facets"]


def test_the_sort_and_the_order_of_the_values_share_the_cache(client, directory):
    _response, counted = _get(client, INDEX + "?theme=sante&theme=eau-assainissement")
    _response, cached = _get(client, INDEX + "?theme=eau-assainissement&theme=sante&sort=recent")
    assert cached < counted


def test_each_set_of_filters_has_its_own_counts(client, directory):
    everything = _get(client, INDEX)[0]
    toulouse, counted = _get(client, INDEX + "?departement=31")
    cached = _get(client, INDEX + "?departement=31")[1]
    assert counted - cached == len(toulouse.context["facets"])  # counted, not the unfiltered ones
    assert _facet(toulouse, "college") != _facet(everything, "college")
    assert _facet(toulouse, "departement") == _facet(everything, "departement") | {
        "31": (_facet(everything, "departement")["31"][0], True)
    }


def test_publishing_archiving_and_deleting_show_in_the_next_counts(directory):
    before = _counts()
    organisation_set_status(organisation=directory["draft"], status=PUBLISHED)
    published = _counts()
    assert published["college"]["associative"] == before["college"]["associative"] + 1
    assert published["theme"]["eau-assainissement"] == before["theme"]["eau-assainissement"] + 1

    organisation_set_status(organisation=directory["eau"], status=Organisation.Status.ARCHIVED)
    archived = _counts()
    assert archived["sdg"]["6"] == published["sdg"]["6"] - 1
    assert archived["country"]["SN"] == published["country"]["SN"] - 1

    directory["pme"].delete()
    assert _counts()["college"].get("economic", 0) == archived["college"]["economic"] - 1


def test_editing_an_organisation_or_its_links_shows_in_the_next_counts(directory):
    before = _counts()
    organisation_update(
        organisation=directory["federation"],
        commune=Commune.objects.get(code="34172"),
        countries=["MG"],
        category=Category.objects.get(slug="association"),
    )
    edited = _counts()
    assert edited["departement"]["34"] == before["departement"]["34"] + 1
    assert edited["country"]["MG"] == before["country"]["MG"] + 1
    assert edited["category"]["association"] == before["category"]["association"] + 1

    directory["federation"].themes.add(Theme.objects.get(slug="sante"))  # a link only, no save
    assert _counts()["theme"]["sante"] == edited["theme"]["sante"] + 1
    directory["federation"].themes.clear()
    assert _counts()["theme"]["sante"] == edited["theme"]["sante"]


def test_a_filtered_set_is_refreshed_too(directory):
    data = {"q": "eau", "departement": ["31"]}
    before = _counts(data)
    organisation_update(organisation=directory["federation"], description="Puits et eau potable.")
    assert _counts(data)["college"]["associative"] == before["college"]["associative"] + 1


def test_a_renamed_category_shows_in_the_labels(client, directory):
    _get(client, INDEX)
    category = Category.objects.get(slug="pme")
    category.name_fr = "Petite entreprise"
    category.save()
    response = _get(client, INDEX)[0]
    labels = {option.value: option.label for option in response.context["facets"][1].options}
    assert labels["pme"] == "Petite entreprise"


def test_the_version_changes_again_once_the_write_commits(directory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        organisation_set_status(organisation=directory["draft"], status=PUBLISHED)
        during = directory_version()
    for callback in callbacks:
        callback()
    assert directory_version() != during
