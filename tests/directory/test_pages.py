"""The public directory: list, facets, filters, pagination, exports and profiles, per role."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from maillage.core.models import Commune, Sdg, Theme
from maillage.directory.models import Category, Organisation
from maillage.directory.services import (
    affiliation_add,
    organisation_create,
    person_create,
    person_give_consent,
)
from tests.access import assert_access

INDEX = "/annuaire/"
PUBLISHED = Organisation.Status.PUBLISHED
# Count and page of results, the themes of the page, six facets (one query each). The session
# and user of a logged-in reader aside.
QUERIES_PER_PAGE = 10


def _organisation(name, *, commune="31555", category="association", status=PUBLISHED, **fields):
    category_object = Category.objects.get(slug=category)
    defaults = {
        "college": category_object.college,
        "category": category_object,
        "commune": Commune.objects.get(code=commune),
        "status": status,
    }
    themes = [Theme.objects.get(slug=slug) for slug in fields.pop("themes", [])]
    sdgs = [Sdg.objects.get(number=number) for number in fields.pop("sdgs", [])]
    return organisation_create(name=name, themes=themes, sdgs=sdgs, **(defaults | fields))


@pytest.fixture
def directory(reference_data):
    """Five published organisations, a draft and an archived one."""
    return {
        "eau": _organisation(
            "Eau Vive Occitanie",
            acronym="EVO",
            description="Accès à l’eau potable au Sahel.",
            countries=["SN", "BF"],
            themes=["eau-assainissement"],
            sdgs=[6],
            website="https://eau-vive.example.org",
            email="contact@eau-vive.example.org",
        ),
        "beziers": _organisation(
            "Solidarité Biterroise",
            commune="34032",  # Béziers
            countries=["MG"],
            themes=["sante", "eau-assainissement"],
            sdgs=[3, 6],
        ),
        "universite": _organisation(
            "Université de Montpellier",
            commune="34172",
            category="universite",
            countries=["SN", "MA"],
            themes=["education-formation"],
            sdgs=[4],
        ),
        "pme": _organisation(
            "Hydro Conseil", category="pme", countries=["SN"], themes=["eau-assainissement"]
        ),
        "federation": _organisation("Fédération des jumelages", category="federation", commune="31069"),
        "draft": _organisation(
            "Brouillon secret", status=Organisation.Status.DRAFT, themes=["eau-assainissement"]
        ),
        "archived": _organisation("Ancienne association", status=Organisation.Status.ARCHIVED),
    }


def _names(response):
    return [organisation.name for organisation in response.context["page"].object_list]


def _facet(response, name):
    facet = next(facet for facet in response.context["facets"] if facet.name == name)
    return {option.value: (option.count, option.selected) for option in facet.options}


# --- Access -----------------------------------------------------------------------------------------


def test_everyone_sees_the_directory_and_the_same_published_list(client, users, directory):
    everyone = dict.fromkeys(users, 200)
    assert_access(client, users, INDEX, expected=everyone)
    for user in users.values():
        client.logout()
        if user:
            client.force_login(user)
        assert sorted(_names(client.get(INDEX))) == [
            "Eau Vive Occitanie",
            "Fédération des jumelages",
            "Hydro Conseil",
            "Solidarité Biterroise",
            "Université de Montpellier",
        ]


def test_a_published_profile_is_public(client, users, directory):
    assert_access(client, users, f"/annuaire/{directory['eau'].slug}/", expected=dict.fromkeys(users, 200))


@pytest.mark.parametrize("key", ["draft", "archived"])
def test_a_profile_not_published_is_for_the_back_office_and_its_editors(client, users, directory, key):
    organisation = directory[key]
    organisation.editors.add(users["organisation_editor"])
    assert_access(
        client,
        users,
        f"/annuaire/{organisation.slug}/",
        expected={
            "visitor": 404,
            "registered": 404,
            "organisation_editor": 200,
            "staff": 200,
            "administrator": 200,
            "elected": 404,
            "auditor": 200,
        },
    )


def test_the_editor_of_another_organisation_does_not_see_a_draft(client, users, directory):
    directory["eau"].editors.add(users["organisation_editor"])
    client.force_login(users["organisation_editor"])
    assert client.get(f"/annuaire/{directory['draft'].slug}/").status_code == 404
    assert client.get("/annuaire/nobody-has-this-slug/").status_code == 404


def test_the_directory_is_in_the_main_navigation(client, directory):
    response = client.get("/")
    assert f'<a href="{INDEX}">Annuaire</a>' in response.content.decode()


# --- Profile ----------------------------------------------------------------------------------------


def test_the_profile_shows_identity_places_countries_themes_and_sdgs_in_french(client, directory):
    response = client.get(reverse("directory:organisation", args=[directory["eau"].slug]))
    html = response.content.decode()
    assert "<h1>Eau Vive Occitanie (EVO)</h1>" in html
    for text in (
        "Associations",  # the collège
        "Association",
        "Toulouse",
        "Haute-Garonne (31)",
        "Sénégal",
        "Burkina Faso",
        "Eau et assainissement",
        "https://eau-vive.example.org",
        "mailto:contact@eau-vive.example.org",
    ):
        assert text in html, text
    assert "Objectif 6" in html
    assert "Contacts" not in html  # nobody consented
    assert "n’est pas public" not in html


def test_the_profile_shows_only_the_contacts_who_consented(client, directory):
    organisation = directory["eau"]
    awa = person_create(first_name="Awa", last_name="Diallo", email="awa@example.org", job_title="Présidente")
    jean = person_create(
        first_name="Jean", last_name="Secret", email="jean.secret@example.org", phone="0611223344"
    )
    affiliation_add(person=awa, organisation=organisation, role="legal")
    affiliation_add(person=jean, organisation=organisation, role="staff")
    url = reverse("directory:organisation", args=[organisation.slug])

    html = client.get(url).content.decode()
    assert "Awa" not in html and "awa@example.org" not in html and "Secret" not in html

    person_give_consent(person=awa, wording="J’accepte que mes coordonnées figurent dans l’annuaire.")
    html = client.get(url).content.decode()
    assert "Awa Diallo" in html and "mailto:awa@example.org" in html and "Présidente" in html
    assert "Secret" not in html and "jean.secret@example.org" not in html and "0611223344" not in html


def test_staff_see_that_a_draft_profile_is_not_public(client, users, directory):
    client.force_login(users["staff"])
    html = client.get(reverse("directory:organisation", args=[directory["draft"].slug])).content.decode()
    assert "Ce profil n’est pas public" in html


# --- Facets and filters -----------------------------------------------------------------------------


def test_facets_count_the_published_list(client, directory):
    response = client.get(INDEX)
    assert response.context["page"].paginator.count == 5
    assert _facet(response, "college") == {
        "public": (1, False),
        "associative": (3, False),
        "economic": (1, False),
    }
    assert _facet(response, "category") == {
        "universite": (1, False),
        "association": (2, False),
        "federation": (1, False),
        "pme": (1, False),
    }
    assert _facet(response, "departement") == {"31": (3, False), "34": (2, False)}
    assert _facet(response, "country") == {
        "BF": (1, False),
        "MA": (1, False),
        "MG": (1, False),
        "SN": (3, False),
    }
    assert _facet(response, "theme") == {
        "eau-assainissement": (3, False),
        "sante": (1, False),
        "education-formation": (1, False),
    }
    assert _facet(response, "sdg") == {"3": (1, False), "4": (1, False), "6": (2, False)}
    # Sorted as the reader expects: collèges in their order, countries by French name.
    assert [option.label for option in response.context["facets"][3].options] == [
        "Burkina Faso",
        "Madagascar",
        "Maroc",
        "Sénégal",
    ]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("college=public", ["Université de Montpellier"]),
        ("college=public&college=economic", ["Hydro Conseil", "Université de Montpellier"]),
        ("category=federation", ["Fédération des jumelages"]),
        ("departement=34", ["Solidarité Biterroise", "Université de Montpellier"]),
        ("country=SN", ["Eau Vive Occitanie", "Hydro Conseil", "Université de Montpellier"]),
        ("country=MG&country=MA", ["Solidarité Biterroise", "Université de Montpellier"]),
        ("theme=eau-assainissement", ["Eau Vive Occitanie", "Hydro Conseil", "Solidarité Biterroise"]),
        ("sdg=6&sdg=4", ["Eau Vive Occitanie", "Solidarité Biterroise", "Université de Montpellier"]),
        ("theme=eau-assainissement&departement=31", ["Eau Vive Occitanie", "Hydro Conseil"]),
        ("country=SN&college=associative", ["Eau Vive Occitanie"]),
    ],
)
def test_each_facet_filters_the_list(client, directory, query, names):
    assert _names(client.get(f"{INDEX}?{query}")) == names


def test_the_counts_of_a_facet_reflect_the_other_facets_not_its_own(client, directory):
    response = client.get(f"{INDEX}?college=associative&theme=eau-assainissement")
    assert _names(response) == ["Eau Vive Occitanie", "Solidarité Biterroise"]
    # Collège: counted with the theme only (Hydro Conseil is economic and about water).
    assert _facet(response, "college") == {"associative": (2, True), "economic": (1, False)}
    # Theme: counted with the collège only.
    assert _facet(response, "theme") == {"eau-assainissement": (2, True), "sante": (1, False)}
    assert _facet(response, "departement") == {"31": (1, False), "34": (1, False)}
    assert _facet(response, "country") == {"BF": (1, False), "MG": (1, False), "SN": (1, False)}


def test_a_ticked_value_with_no_result_can_still_be_unticked(client, directory):
    response = client.get(f"{INDEX}?college=public&category=pme")
    assert _names(response) == []
    assert _facet(response, "category") == {"universite": (1, False), "pme": (0, True)}
    assert "Aucune organisation ne correspond à ces critères." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("college=royal", "Collège"),
        ("category=no-such-category", "Catégorie"),
        ("departement=999", "Département"),
        ("country=XX", "Pays d’intervention"),
        ("theme=%00", "Thématique"),
        ("sdg=42", "Objectif de développement durable"),
        ("sdg=six", "Objectif de développement durable"),
        ("sort=chaos", "Trier par"),
    ],
)
def test_an_invalid_filter_is_ignored_with_a_message(client, directory, query, label):
    response = client.get(f"{INDEX}?{query}&college=public")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains filtres n’ont pas été compris et sont ignorés" in html
    assert f"<li>{label}\u00a0:" in html
    expected = ["Université de Montpellier"] if "college=royal" not in query else []
    if "college=royal" in query:
        # The whole collège filter is refused: the list is not narrowed by it.
        assert response.context["page"].paginator.count == 5
    else:
        assert _names(response) == expected


def test_an_impossible_page_number_gives_a_page(client, directory):
    assert client.get(f"{INDEX}?page=abc").status_code == 200
    assert client.get(f"{INDEX}?page=9999").status_code == 200


# --- Sorting and pagination ---------------------------------------------------------------------------


def test_the_list_is_sorted_by_name_or_by_most_recent(client, directory):
    assert _names(client.get(f"{INDEX}?college=associative")) == [
        "Eau Vive Occitanie",
        "Fédération des jumelages",
        "Solidarité Biterroise",
    ]
    assert _names(client.get(f"{INDEX}?college=associative&sort=recent")) == [
        "Fédération des jumelages",
        "Solidarité Biterroise",
        "Eau Vive Occitanie",
    ]


def test_pages_hold_twenty_organisations_and_their_links_keep_the_filters(client, reference_data):
    for number in range(45):
        _organisation(f"Association {number:02d}", themes=["sante"])
    _organisation("Hors filtre", category="pme")
    response = client.get(f"{INDEX}?theme=sante&college=associative")
    assert response.context["page"].paginator.count == 45
    assert len(_names(response)) == 20
    html = response.content.decode()
    assert 'href="?theme=sante&amp;college=associative&amp;page=2"' in html
    assert "45 organisations" in html

    response = client.get(f"{INDEX}?theme=sante&college=associative&page=3")
    assert _names(response) == [f"Association {number:02d}" for number in range(40, 45)]
    html = response.content.decode()
    assert 'href="?theme=sante&amp;college=associative&amp;page=2"' in html
    assert "Page 3 sur 3" in html


def _bulk(count):
    sante = ["sante"]
    for number in range(count):
        _organisation(
            f"Organisation {number:03d}",
            commune=("31555", "34032", "34172")[number % 3],
            category=("association", "pme", "universite")[number % 3],
            countries=[("SN", "MG", "MA")[number % 3], "BF"],
            themes=sante,
            sdgs=[number % 17 + 1],
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", QUERIES_PER_PAGE),
        # The values of the département, theme and SDG filters are checked against the database.
        (
            "?q=organisation&college=associative&country=SN&theme=sante&sdg=1&sdg=4&departement=31",
            QUERIES_PER_PAGE + 3,
        ),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_results(client, reference_data, query, expected):
    _bulk(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(INDEX + query).status_code == 200
    _bulk(55)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX + query)
    assert response.context["page"].paginator.count > 5
    assert len(many) == len(few) == expected


# --- htmx ------------------------------------------------------------------------------------------


def test_an_htmx_request_gets_the_results_and_the_facets_only(client, directory):
    response = client.get(f"{INDEX}?college=public", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="facets" hx-swap-oob="true"' in html
    assert 'id="results-status" hx-swap-oob="innerHTML"' in html
    assert "Université de Montpellier" in html and "Eau Vive" not in html
    assert "HX-Request" in response["Vary"]
    # A history restore by htmx wants the whole page.
    restore = client.get(
        f"{INDEX}?college=public", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_the_page_works_without_javascript(client, directory):
    html = client.get(INDEX).content.decode()
    assert 'method="get" action="/annuaire/"' in html
    assert 'hx-get="/annuaire/" hx-target="#results" hx-push-url="true"' in html
    assert '<button type="submit">Filtrer</button>' in html
    assert 'role="status"' in html and "5 organisations" in html
    assert "<legend>Collège</legend>" in html
    assert f'href="/annuaire/{directory["eau"].slug}/"' in html
    assert "vendor/htmx.org/htmx.min.js" in html


# --- Exports ----------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "Nom",
    "Sigle",
    "Collège",
    "Catégorie",
    "Commune",
    "Département",
    "Site web",
    "Pays d’intervention",
    "Thématiques",
    "Adhérent au réseau",
]


def _personal_data(directory):
    person = person_create(first_name="Awa", last_name="Diallo", email="awa@example.org", phone="0611223344")
    person_give_consent(person=person, wording="J’accepte.")
    affiliation_add(person=person, organisation=directory["eau"], role="legal")


def test_the_csv_export_holds_exactly_the_filtered_list_and_public_fields(client, directory):
    _personal_data(directory)
    response = client.get("/annuaire/export.csv?theme=eau-assainissement&sort=recent")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="annuaire-')
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert rows == [
        EXPORT_HEADERS,
        [
            "Hydro Conseil",
            "",
            "Acteurs économiques",
            "PME",
            "Toulouse",
            "Haute-Garonne (31)",
            "",
            "Sénégal",
            "Eau et assainissement",
            "Non",
        ],
        [
            "Solidarité Biterroise",
            "",
            "Associations",
            "Association",
            "Béziers",
            "Hérault (34)",
            "",
            "Madagascar",
            "Eau et assainissement; Santé",
            "Non",
        ],
        [
            "Eau Vive Occitanie",
            "EVO",
            "Associations",
            "Association",
            "Toulouse",
            "Haute-Garonne (31)",
            "https://eau-vive.example.org",
            "Burkina Faso; Sénégal",
            "Eau et assainissement",
            "Non",
        ],
    ]
    for secret in ("awa@example.org", "Diallo", "0611223344", "contact@eau-vive.example.org", "Brouillon"):
        assert secret not in content


def test_the_xlsx_export_holds_exactly_the_filtered_list(client, directory):
    _personal_data(directory)
    response = client.get("/annuaire/export.xlsx?departement=34")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        EXPORT_HEADERS,
        [
            "Solidarité Biterroise",
            "",
            "Associations",
            "Association",
            "Béziers",
            "Hérault (34)",
            "",
            "Madagascar",
            "Eau et assainissement; Santé",
            "Non",
        ],
        [
            "Université de Montpellier",
            "",
            "Acteurs publics",
            "Université",
            "Montpellier",
            "Hérault (34)",
            "",
            "Maroc; Sénégal",
            "Éducation et formation",
            "Non",
        ],
    ]


def test_an_export_never_runs_a_formula(client, reference_data):
    _organisation('=HYPERLINK("http://evil.example")', acronym="+33")
    content = b"".join(client.get("/annuaire/export.csv").streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in content and "'+33" in content
    sheet = load_workbook(io.BytesIO(client.get("/annuaire/export.xlsx").content)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://evil.example")'


def test_the_list_links_to_the_exports_of_the_current_filters(client, directory):
    html = client.get(f"{INDEX}?college=public&page=1").content.decode()
    assert 'href="/annuaire/export.csv?college=public"' in html
    assert 'href="/annuaire/export.xlsx?college=public"' in html


def test_the_member_facet_filters_the_members_of_the_network(client, directory):
    from maillage.directory.services import organisation_set_member

    organisation_set_member(organisation=directory["eau"], member=True)
    response = client.get(INDEX)
    assert _facet(response, "member") == {"yes": (1, False), "no": (4, False)}
    response = client.get(INDEX + "?member=yes")
    assert [organisation.name for organisation in response.context["page"]] == [directory["eau"].name]
    assert "Adhérent" in response.content.decode()
