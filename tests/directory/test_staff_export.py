"""The staff's full export of the directory: every field, the people and the tags, for the back
office only, in a number of queries that does not grow with the number of organisations."""

import csv
import datetime
import io

from django.db import connection
from django.db.models import BooleanField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from maillage.core.models import Commune, Sdg, Theme
from maillage.directory.models import Category, Organisation
from maillage.directory.services import (
    affiliation_add,
    organisation_create,
    organisations_tag,
    person_create,
    tag_get_or_create,
)
from tests.access import BACK_OFFICE, assert_access, make_user

URL = "/gestion/annuaire/export.csv"


def _label(field: str) -> str:
    with translation.override("fr"):
        return str(capfirst(Organisation._meta.get_field(field).verbose_name))


def _regional(name: str, **fields) -> Organisation:
    category = Category.objects.get(slug="association")
    defaults = {
        "college": category.college,
        "category": category,
        "commune": Commune.objects.get(code="31555"),
    }
    return organisation_create(name=name, **(defaults | fields))


def _csv(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(content)))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_full_export_by_role(client, users, reference_data):
    _regional("Alpha")
    assert_access(client, users, URL, expected=BACK_OFFICE)
    assert_access(client, users, "/gestion/annuaire/export.xlsx", expected=BACK_OFFICE)
    client.force_login(users["staff"])
    assert client.get("/gestion/annuaire/export.pdf").status_code == 404


def test_the_full_export_holds_every_field_the_people_and_the_tags(client, reference_data):
    editor = make_user("organisation_editor", email="editrice@example.org")
    eau = _regional(
        "Eau Vive Occitanie",
        acronym="EVO",
        siret="73282932000074",
        rna="W313000001",
        email="contact@eau-vive.example.org",
        phone="0561000000",
        website="https://eau-vive.example.org",
        countries=["SN"],
        themes=[Theme.objects.get(slug="eau-assainissement")],
        sdgs=[Sdg.objects.get(number=6)],
        languages=["fr", "wo"],
        status=Organisation.Status.PUBLISHED,
        verified_on=datetime.date(2026, 3, 1),
        editors=[editor],
    )
    awa = person_create(first_name="Awa", last_name="Diallo", email="awa@example.org")
    affiliation_add(person=awa, organisation=eau, role="legal")
    affiliation_add(
        person=person_create(first_name="Jean", last_name="Martin"), organisation=eau, role="contact"
    )
    organisations_tag([eau], tag_get_or_create(name="Festisol 2026"))
    organisations_tag([eau], tag_get_or_create(name="À relancer"))
    partner = organisation_create(name="Partenaire de Dakar", kind="partner", country="SN")

    client.force_login(make_user("staff"))
    rows = _csv(client.get(URL))
    assert [row[_label("name")] for row in rows] == ["Eau Vive Occitanie", "Partenaire de Dakar"]
    row = rows[0]
    for field in ("acronym", "siret", "rna", "email", "phone", "website", "slug"):
        assert row[_label(field)] == getattr(eau, field), field
    assert row[_label("siren")] == "732829320"
    assert row[_label("status")] == "Publiée"
    assert row[_label("source")] == "Saisie par l’équipe"
    assert row[_label("verified_on")] == "2026-03-01"
    assert row[_label("commune")] == "Toulouse (31)" and row["Code INSEE"] == "31555"
    assert row[_label("countries")] == "Sénégal"
    assert row[_label("themes")] == "Eau et assainissement"
    assert row[_label("languages")] == "Français; Wolof"
    assert row[_label("editors")] == "editrice@example.org"
    assert set(row["Étiquettes"].split("; ")) == {"À relancer", "Festisol 2026"}
    assert row["Personnes (rôle)"] == "Awa Diallo (Représentant·e légal·e); Jean Martin (Contact)"
    assert row[_label("created_at")] and row[_label("updated_at")]
    for field in Organisation._meta.concrete_fields:
        if isinstance(field, BooleanField):
            assert row[_label(field.name)] in ("oui", "non"), field.name
    assert "search_text" not in row and _label("search_text") not in row
    assert rows[1][_label("kind")] == "Partenaire à l’étranger" and rows[1][_label("country")] == "Sénégal"
    assert rows[1]["Étiquettes"] == "" and partner.pk


def test_the_full_export_is_filtered_by_the_query_string(client, reference_data):
    alpha, beta, _gamma = (_regional(name) for name in ("Alpha", "Bêta", "Gamma"))
    festisol = tag_get_or_create(name="Festisol 2026")
    organisations_tag([alpha, beta], festisol)
    organisation_create(name="Delta", kind="partner", country="SN")
    client.force_login(make_user("auditor"))
    rows = _csv(client.get(f"{URL}?tag={festisol.slug}&tag=autre"))
    assert [row[_label("name")] for row in rows] == ["Alpha", "Bêta"]
    rows = _csv(client.get(f"{URL}?kind=partner"))
    assert [row[_label("name")] for row in rows] == ["Delta"]


def _export_queries(client, count: int) -> int:
    Organisation.objects.all().delete()
    tag = tag_get_or_create(name="Festisol 2026")
    theme = Theme.objects.get(slug="eau-assainissement")
    for index in range(count):
        organisation = _regional(f"Organisation {index}", themes=[theme], countries=["SN", "BF"])
        person = person_create(first_name="Awa", last_name=f"Diallo {index}")
        affiliation_add(person=person, organisation=organisation, role="contact")
        organisations_tag([organisation], tag)
    with CaptureQueriesContext(connection) as queries:
        rows = _csv(client.get(URL))
    assert len(rows) == count
    return len(queries)


def test_the_full_export_makes_as_many_queries_for_many_organisations_as_for_few(client, reference_data):
    client.force_login(make_user("staff"))
    assert _export_queries(client, 2) == _export_queries(client, 7)


def test_the_admin_exports_the_selected_organisations(client, reference_data):
    alpha, _beta, gamma = (_regional(name) for name in ("Alpha", "Bêta", "Gamma"))
    client.force_login(make_user("administrator"))
    response = client.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "export_xlsx", "_selected_action": [alpha.pk, gamma.pk]},
    )
    assert response["Content-Disposition"].startswith('attachment; filename="annuaire-complet-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    names = [row[header.index(_label("name"))] for row in rows]
    assert names == ["Alpha", "Gamma"]
    assert "Personnes (rôle)" in header
