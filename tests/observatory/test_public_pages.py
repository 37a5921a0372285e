"""The observatory's public pages: its home, the list of published projects (filters, facets,
pagination, exports), a project's page per role, and the projects on an organisation's profile."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from openpyxl import load_workbook

from maillage.core.models import Commune, Sdg, Theme
from maillage.directory.models import Category, College, Organisation
from maillage.directory.services import organisation_create
from maillage.observatory.models import ActivityStatus, OrganisationRole, Project
from maillage.observatory.services import project_save
from tests.access import assert_access

LIST = "/observatoire/projets/"
PUBLISHED = Project.Status.PUBLISHED


@pytest.fixture
def projects(actors, project_data, project):
    """``project`` (Podor, published) and four others: a health project in Madagascar funded by
    a département of Hérault's actor, a draft, a project submitted for validation, and a
    closed one with no country."""
    montpellier = organisation_create(
        name="Santé Sud Montpellier",
        kind=Organisation.Kind.REGIONAL,
        college=College.ASSOCIATIVE,
        category=Category.objects.get(slug="association"),
        commune=Commune.objects.get(code="34172"),
        status=Organisation.Status.PUBLISHED,
    )
    herault = organisation_create(
        name="Département de l’Hérault",
        kind=Organisation.Kind.REGIONAL,
        college=College.PUBLIC,
        category=Category.objects.get(slug="collectivite-territoriale"),
        commune=Commune.objects.get(code="34172"),
        status=Organisation.Status.PUBLISHED,
    )
    health = project_save(
        project_data(
            title="Centre de santé d’Antsirabe",
            description="Soins maternels.",
            reporting_organisation=montpellier,
            activity_status=ActivityStatus.FINALISATION,
            planned_start=datetime.date(2024, 1, 1),
            planned_end=datetime.date(2026, 6, 30),
            actual_start=None,
            participations=[
                (herault, OrganisationRole.FUNDING),
                (montpellier, OrganisationRole.IMPLEMENTING),
            ],
            countries=[("MG", None)],
            sectors=[("1", "12220", None)],
            budgets=[],
            transactions=[],
            themes=[Theme.objects.get(slug="sante")],
            sdgs=[Sdg.objects.get(number=3)],
        ),
        status=PUBLISHED,
    )
    draft = project_save(project_data(title="Brouillon secret de Podor"), status=Project.Status.DRAFT)
    submitted = project_save(project_data(title="Projet en attente"), status=Project.Status.SUBMITTED)
    closed = project_save(
        project_data(
            title="Jumelage scolaire clos",
            activity_status=ActivityStatus.CLOSED,
            countries=[],
            sectors=[("1", "11110", None)],
            themes=[],
            sdgs=[],
        ),
        status=PUBLISHED,
    )
    return {
        "podor": project,
        "health": health,
        "draft": draft,
        "submitted": submitted,
        "closed": closed,
        "montpellier": montpellier,
        "herault": herault,
    }


def _titles(response):
    return sorted(project.title for project in response.context["page"].object_list)


def _facet(response, name):
    facet = next(facet for facet in response.context["facets"] if facet.name == name)
    return {option.value: (option.count, option.selected) for option in facet.options}


# --- Access -----------------------------------------------------------------------------------------


def test_everyone_sees_the_home_and_the_same_list_of_published_projects(client, users, projects):
    everyone = dict.fromkeys(users, 200)
    assert_access(client, users, "/observatoire/", expected=everyone)
    assert_access(client, users, LIST, expected=everyone)
    for user in (None, users["staff"], users["administrator"]):
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(LIST)
        assert _titles(response) == [
            "Accès à l’eau potable à Podor",
            "Centre de santé d’Antsirabe",
            "Jumelage scolaire clos",
        ]
        html = response.content.decode()
        assert "Brouillon secret" not in html and "Projet en attente" not in html


def test_a_published_project_is_public(client, users, projects):
    url = reverse("observatory:project", args=[projects["podor"].pk])
    assert_access(client, users, url, expected=dict.fromkeys(users, 200))


@pytest.mark.parametrize("key", ["draft", "submitted"])
def test_a_project_not_published_is_for_the_back_office_and_its_editors(client, users, actors, projects, key):
    actors["regional"].editors.add(users["organisation_editor"])
    assert_access(
        client,
        users,
        reverse("observatory:project", args=[projects[key].pk]),
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
    assert client.get(reverse("observatory:project", args=[999999])).status_code == 404


def test_the_home_counts_published_projects_their_actors_and_countries(client, projects):
    response = client.get("/observatoire/")
    # Published: Podor (regional, partner, funder; SN), Antsirabe (Montpellier, Hérault; MG),
    # the closed one (the same three as Podor, no country).
    assert (response.context["projects"], response.context["actors"], response.context["countries"]) == (
        3,
        5,
        2,
    )
    html = response.content.decode()
    assert reverse("observatory:iati_network") in html
    assert reverse("observatory:projects_export", args=["csv"]) in html


# --- Filters and facets -----------------------------------------------------------------------------


FILTERS = [
    ("q=potable", ["Accès à l’eau potable à Podor"]),
    ("q=SANTE+antsirabe", ["Centre de santé d’Antsirabe"]),
    ("q=solidarite+eau", ["Accès à l’eau potable à Podor", "Jumelage scolaire clos"]),  # an organisation
    ("country=MG", ["Centre de santé d’Antsirabe"]),
    ("country=SN&country=MG", ["Accès à l’eau potable à Podor", "Centre de santé d’Antsirabe"]),
    ("sector=140", ["Accès à l’eau potable à Podor"]),  # a DAC category
    ("sector=12220", ["Centre de santé d’Antsirabe"]),  # a purpose code
    ("sector=14081&sector=111", ["Accès à l’eau potable à Podor", "Jumelage scolaire clos"]),
    ("sdg=3", ["Centre de santé d’Antsirabe"]),
    ("theme=eau-assainissement", ["Accès à l’eau potable à Podor"]),
    ("activity_status=3&activity_status=4", ["Centre de santé d’Antsirabe", "Jumelage scolaire clos"]),
    ("departement=34", ["Centre de santé d’Antsirabe"]),
    ("departement=31", ["Accès à l’eau potable à Podor", "Jumelage scolaire clos"]),
    ("funder=region-occitanie", ["Accès à l’eau potable à Podor", "Jumelage scolaire clos"]),
    ("country=SN&sdg=6&activity_status=2", ["Accès à l’eau potable à Podor"]),
    ("country=MG&sector=140", []),
]


def test_each_filter_narrows_the_published_list(client, projects):
    # One test for all the cases: the projects are built once.
    for query, expected in FILTERS:
        assert _titles(client.get(f"{LIST}?{query}")) == expected, query


def test_the_funder_and_organisation_filters_take_slugs(client, projects):
    herault = projects["herault"].slug
    assert _titles(client.get(f"{LIST}?funder={herault}")) == ["Centre de santé d’Antsirabe"]
    # The organisation's own link: the projects it reports or takes part in.
    assert _titles(client.get(f"{LIST}?organisation={projects['montpellier'].slug}")) == [
        "Centre de santé d’Antsirabe"
    ]


def test_invalid_filters_are_ignored_and_told(client, projects):
    response = client.get(f"{LIST}?sector=abc&country=ZZ&sdg=99&activity_status=9&funder=nobody")
    assert response.status_code == 200
    assert len(_titles(response)) == 3
    assert len(response.context["invalid"]) == 5  # one message per filter not understood
    assert 'class="message message--error"' in response.content.decode()


def test_facets_count_each_value_over_the_other_filters(client, projects):
    response = client.get(f"{LIST}?country=SN")
    assert _facet(response, "country") == {"MG": (1, False), "SN": (1, True)}
    assert _facet(response, "sector") == {"140": (1, False)}
    assert _facet(response, "activity_status") == {"2": (1, False)}
    assert _facet(response, "departement") == {"31": (1, False)}
    assert _facet(response, "funder") == {"region-occitanie": (1, False)}
    response = client.get(LIST)
    assert _facet(response, "sector") == {"111": (1, False), "122": (1, False), "140": (1, False)}
    assert _facet(response, "departement") == {"31": (2, False), "34": (1, False)}
    assert _facet(response, "funder") == {
        projects["herault"].slug: (1, False),
        "region-occitanie": (2, False),
    }
    assert _facet(response, "sdg") == {"3": (1, False), "6": (1, False)}


def test_the_facets_follow_a_change_of_a_project(client, project_data, projects):
    assert _facet(client.get(LIST), "country")["SN"] == (1, False)
    project_save(project_data(title="Un second projet au Sénégal"), status=PUBLISHED)
    assert _facet(client.get(LIST), "country")["SN"] == (2, False)


def test_sorting_and_pagination_keep_the_filters(client, project_data, projects):
    for number in range(25):
        project_save(project_data(title=f"Projet {number:02d}", countries=[("BF", None)]), status=PUBLISHED)
    response = client.get(f"{LIST}?country=BF&sort=title")
    assert response.context["page"].paginator.count == 25
    assert [p.title for p in response.context["page"].object_list][:2] == ["Projet 00", "Projet 01"]
    html = response.content.decode()
    assert "?country=BF&amp;sort=title&amp;page=2" in html
    response = client.get(f"{LIST}?country=BF&sort=title&page=2")
    assert [p.title for p in response.context["page"].object_list] == [f"Projet {n}" for n in range(20, 25)]


def test_an_htmx_request_gets_the_results_only(client, projects):
    response = client.get(f"{LIST}?country=MG", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<h1>" not in html and 'hx-swap-oob="true"' in html and "Centre de santé" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("number", [3, 30])
def test_the_list_needs_as_many_queries_for_3_or_30_projects(
    client, project_data, actors, number, django_assert_max_num_queries
):
    for index in range(number):
        project_save(project_data(title=f"Projet {index}"), status=PUBLISHED)
    # The four filters' values, count, page, countries of the page, the facets' version, seven
    # facets and the names of the sectors.
    with django_assert_max_num_queries(15):
        response = client.get(f"{LIST}?country=SN&sdg=6&theme=eau-assainissement&funder=region-occitanie")
    assert response.context["page"].paginator.count == number


# --- Exports ----------------------------------------------------------------------------------------


def test_the_csv_export_has_the_filtered_published_projects(client, projects):
    response = client.get(reverse("observatory:projects_export", args=["csv"]) + "?funder=region-occitanie")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="projets-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3  # the headers, the two published projects the Région funds
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {"Accès à l’eau potable à Podor", "Jumelage scolaire clos"}
    podor = by_title["Accès à l’eau potable à Podor"]
    assert podor[2] == "Solidarité Eau Occitanie"
    assert podor[6] == "Sénégal" and podor[7] == "14030; 14081" and podor[8] == "Région Occitanie"
    assert podor[-1].endswith(f"/observatoire/projets/{projects['podor'].pk}/")


def test_the_xlsx_export_opens_with_dates_as_dates(client, projects):
    response = client.get(reverse("observatory:projects_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == [
        "Accès à l’eau potable à Podor",
        "Centre de santé d’Antsirabe",
        "Jumelage scolaire clos",
    ]
    podor = next(row for row in rows if row[0] == "Accès à l’eau potable à Podor")
    assert podor[4].date() == datetime.date(2025, 2, 1)  # the actual start, a date
    assert client.get("/observatoire/projets/export.pdf").status_code == 404


# --- A project's page -------------------------------------------------------------------------------


def test_the_project_page_shows_its_record_in_french(client, actors, projects):
    html = client.get(reverse("observatory:project", args=[projects["podor"].pk])).content.decode()
    assert "<h1>Accès à l’eau potable à Podor</h1>" in html
    for text in (
        reverse("directory:organisation", args=[actors["regional"].slug]),
        reverse("directory:organisation", args=[actors["partner"].slug]),
        "Sénégal",
        "Approvisionnement en eau potable et assainissement - dispositifs de base (14030) — 70 %",
        "45\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}€",
        "20\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}€",
        "10 mars 2025",
        "1 janvier 2025",
    ):
        assert text in html, text
    assert (
        "Modifier" not in html
        and reverse("observatory_member:project_edit", args=[projects["podor"].pk]) not in html
    )
    assert "Warnings of the IATI codelists" not in html and "Avertissements des listes" not in html


def test_the_project_page_names_sectors_regions_other_currencies_and_locations(client, project_data, actors):
    found = project_save(
        project_data(
            countries=[("SN", Decimal(60))],
            regions=[("1", "289", Decimal(40))],
            default_currency="USD",
            locations=[{"name": "Podor", "latitude": 16.65, "longitude": -14.96}],
            documents=[
                {"url": "https://example.org/rapport.pdf", "title": "Rapport 2025", "category": "A01"}
            ],
        ),
        status=PUBLISHED,
    )
    html = client.get(reverse("observatory:project", args=[found.pk])).content.decode()
    assert "Sud du Sahara, régional (40 %)" in html and "Sénégal (60 %)" in html
    assert "45\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}USD" in html
    assert 'id="project-map-data"' in html and "16.65" in html
    assert "Rapport 2025" in html


def test_the_editor_and_the_team_get_the_edit_link_and_the_team_the_warnings(client, users, actors, project):
    url = reverse("observatory:project", args=[project.pk])
    edit = reverse("observatory_member:project_edit", args=[project.pk])
    client.force_login(actors["editor"])
    html = client.get(url).content.decode()
    assert edit in html
    client.force_login(users["staff"])
    response = client.get(url)
    assert edit in response.content.decode() and response.context["back_office"]
    client.force_login(users["auditor"])
    response = client.get(url)
    assert edit not in response.content.decode() and response.context["back_office"]


# --- The organisation's profile ---------------------------------------------------------------------


def test_the_profile_lists_the_published_projects_of_the_organisation(client, actors, projects):
    url = reverse("directory:organisation", args=[actors["partner"].slug])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert reverse("observatory:project", args=[projects["podor"].pk]) in html
    assert reverse("observatory:project", args=[projects["closed"].pk]) in html
    assert "Brouillon secret" not in html and "Projet en attente" not in html
    assert "Centre de santé" not in html
    assert f"{LIST}?organisation={actors['partner'].slug}" in html
    assert len(queries) <= 12


def test_the_profile_shows_a_few_projects_and_links_to_all(client, project_data, actors, projects):
    for number in range(6):
        project_save(project_data(title=f"Projet {number}"), status=PUBLISHED)
    html = client.get(reverse("directory:organisation", args=[actors["partner"].slug])).content.decode()
    assert html.count('<li><a href="/observatoire/projets/') == 5
    with translation.override("fr"):
        link = ngettext("All %(counter)s project", "All %(counter)s projects", 8) % {"counter": 8}
    assert link in html  # Podor, the closed one and six more
