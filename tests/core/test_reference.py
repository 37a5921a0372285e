"""The reference data: what ``load_reference`` loads, that loading again changes nothing, the read
helpers, and who may read or edit it in the administration."""

import shutil
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from maillage.core.models import Commune, DacCategory, DacSector, Departement, Region, Sdg, SdgTarget, Theme
from maillage.core.models.reference import search_key
from maillage.core.reference import DATA_DIR, ReferenceDataError, reference_load
from maillage.core.selectors import communes_matching, network_region
from tests.access import make_user

REFERENCE_MODELS = (Region, Departement, Commune, Sdg, SdgTarget, DacCategory, DacSector, Theme)
OCCITANIE = ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]


def codelist_size(name: str) -> int:
    return len(
        ET.parse(DATA_DIR / "iati" / f"{name}.xml")  # noqa: S314 - our own files
        .getroot()
        .findall("./codelist-items/codelist-item")
    )


def table_state() -> dict[str, dict[str, Any]]:
    """Rows and last update of every reference table."""
    return {
        model.__name__: model.objects.aggregate(rows=Count("pk"), last=Max("updated_at"))
        for model in REFERENCE_MODELS
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the reference files, for a test to change the sources."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


# --- What is loaded ---------------------------------------------------------------------------


def test_load_gives_every_commune_goal_and_sector(reference_data):
    assert reference_data == {
        "regions": 26,
        "departements": 109,
        "communes": 34_969,
        "sdgs": 17,
        "sdg_targets": codelist_size("UNSDG-Targets"),
        "dac_categories": codelist_size("SectorCategory"),
        "dac_sectors": codelist_size("Sector"),
        "themes": 18,
    }
    assert (codelist_size("UNSDG-Targets"), codelist_size("SectorCategory"), codelist_size("Sector")) == (
        169,
        44,
        325,
    )
    assert Commune.objects.count() == 34_969
    assert Sdg.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert DacCategory.objects.count() == 44
    assert DacSector.objects.count() == 325


def test_occitanie_has_13_departements_and_4446_communes(reference_data):
    occitanie = Region.objects.get(code="76")
    assert occitanie.name == "Occitanie"
    assert list(occitanie.departements.values_list("code", flat=True)) == OCCITANIE
    assert Commune.objects.filter(departement__region=occitanie).count() == 4_446


def test_communes_carry_population_postal_codes_and_a_point(reference_data):
    montpellier = Commune.objects.get(code="34172")
    assert (montpellier.name, montpellier.departement_id, montpellier.population) == (
        "Montpellier",
        "34",
        310_240,
    )
    assert montpellier.postal_codes == "34000 34070 34080 34090"
    assert montpellier.postal_code_list == ["34000", "34070", "34080", "34090"]
    assert (montpellier.latitude, montpellier.longitude) == (43.61337, 3.86922)
    assert str(montpellier) == "Montpellier (34)"
    assert Commune.objects.get(code="2A004").departement.name == "Corse-du-Sud"
    assert Commune.objects.filter(latitude__isnull=True).count() == 101
    sannerville = Commune.objects.get(code="14666")
    assert (sannerville.latitude, sannerville.longitude) == (None, None)


def test_names_are_french_with_english_beside(reference_data):
    water = DacCategory.objects.get(code="140")
    assert "eau" in water.name_fr.lower()
    assert water.name_en == "Water Supply & Sanitation"
    assert DacSector.objects.get(code="14030").name_fr == (
        "Approvisionnement en eau potable et assainissement - dispositifs de base"
    )
    goal = Sdg.objects.get(number=6)
    assert goal.name_fr == (
        "Garantir l'accès de tous à des services d'alimentation en eau "
        "et d'assainissement gérés de façon durable"
    ).replace("'", "\N{RIGHT SINGLE QUOTATION MARK}")
    assert goal.name_en == "Ensure availability and sustainable management of water and sanitation for all"
    assert not Sdg.objects.filter(name_fr__startswith="Objectif").exists()
    assert not Sdg.objects.filter(name_en__startswith="Goal").exists()
    target = SdgTarget.objects.get(code="6.a")
    assert target.goal_id == 6
    assert "eau" in target.name_fr


def test_an_item_without_french_name_takes_the_english_one(reference_data):
    sector = DacSector.objects.get(code="15120")
    assert sector.name_fr == sector.name_en == "Public sector financial management"


def test_withdrawn_codes_are_kept_but_marked(reference_data):
    assert list(DacCategory.objects.filter(active=False).values_list("code", flat=True)) == ["230", "920"]
    assert DacSector.objects.filter(active=False).count() == 30
    assert DacSector.objects.get(code="23010").category_id == "230"


def test_sdg_targets_keep_the_un_order(reference_data):
    codes = list(SdgTarget.objects.filter(goal=1).values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    assert list(SdgTarget.objects.filter(goal=17).values_list("code", flat=True))[-2:] == ["17.18", "17.19"]


def test_themes_are_seeded_with_their_dac_categories(reference_data):
    water = Theme.objects.get(slug="eau-assainissement")
    assert (water.position, water.name_fr, water.name_en) == (
        1,
        "Eau et assainissement",
        "Water and sanitation",
    )
    assert list(water.dac_categories.values_list("code", flat=True)) == ["140"]
    # Created, then its DAC categories set: both steps are in the history.
    assert list(water.history.values_list("history_type", "history_change_reason")) == [
        ("~", "load_reference"),
        ("+", "load_reference"),
    ]
    assert list(water.history.first().dac_categories.values_list("daccategory_id", flat=True)) == ["140"]
    assert Theme.objects.get(slug="ecsi").name_fr == (
        "Éducation à la citoyenneté et à la solidarité internationale (ECSI)"
    )
    assert not Theme.objects.filter(dac_categories__isnull=True).exists()
    assert not Theme.objects.filter(description_fr="").exists()
    assert not Theme.objects.filter(description_en="").exists()
    assert list(Theme.objects.values_list("position", flat=True)) == list(range(1, 19))


def test_name_follows_the_active_language_and_falls_back_to_french(reference_data):
    goal = Sdg.objects.get(number=6)
    with translation.override("en"):
        assert goal.name == str(goal) == goal.name_en
    with translation.override("fr"):
        assert goal.name == str(goal) == goal.name_fr
    with translation.override("de"):
        assert goal.name == goal.name_fr
    theme = Theme(name_fr="Santé", name_en="", description_fr="Soins", description_en="Care")
    with translation.override("en"):
        assert (theme.name, theme.description) == ("Santé", "Care")


def test_countries_have_french_names():
    with translation.override("fr"):
        assert countries.name("SN") == "Sénégal"
        assert countries.name("MG") == "Madagascar"
        assert dict(countries)["CI"] == "Côte d'Ivoire"
    with translation.override("en"):
        assert countries.name("SN") == "Senegal"


# --- Loading again ----------------------------------------------------------------------------


def test_loading_again_writes_nothing(reference_data):
    before = table_state()
    assert reference_load() == reference_data
    assert table_state() == before


def test_loading_again_keeps_the_administrators_themes(reference_data):
    edited = Theme.objects.get(slug="sante")
    edited.name_fr = "Santé mondiale"
    edited.save()
    edited.dac_categories.set(["121"])
    Theme.objects.get(slug="numerique").delete()

    counts = reference_load()

    edited.refresh_from_db()
    assert edited.name_fr == "Santé mondiale"
    assert list(edited.dac_categories.values_list("code", flat=True)) == ["121"]
    assert not Theme.objects.filter(slug="numerique").exists()  # deleted by an administrator
    assert counts["themes"] == 17


def test_a_missing_theme_is_created_again(reference_data):
    Theme.objects.filter(slug="energie").delete()
    Theme.history.filter(slug="energie").delete()  # as if it had never been there

    reference_load()

    energy = Theme.objects.get(slug="energie")
    assert list(energy.dac_categories.values_list("code", flat=True)) == ["231", "232", "233", "234", "236"]


def test_a_changed_source_updates_its_row_only(reference_data, data_copy):
    communes = data_copy / "geo" / "communes.csv"
    text = communes.read_text(encoding="utf-8")
    communes.write_text(
        text.replace("34172,Montpellier,34,76,310240", "34172,Montpellier,34,76,310241"), "utf-8"
    )
    sectors = data_copy / "iati" / "Sector.xml"
    sectors.write_text(
        sectors.read_text(encoding="utf-8").replace("Droits de la personne", "Droits humains"), "utf-8"
    )
    before = table_state()
    output = StringIO()

    reference_load(stdout=output, data_dir=data_copy)

    assert Commune.objects.get(code="34172").population == 310_241
    assert DacSector.objects.get(code="15160").name_fr == "Droits humains"
    after = table_state()
    assert after["Commune"]["rows"] == before["Commune"]["rows"]
    assert after["Commune"]["last"] > before["Commune"]["last"]
    assert Commune.objects.filter(updated_at=after["Commune"]["last"]).count() == 1
    assert {name: state for name, state in after.items() if name not in {"Commune", "DacSector"}} == {
        name: state for name, state in before.items() if name not in {"Commune", "DacSector"}
    }
    report = output.getvalue().replace("\u00a0", " ")  # French typography: non-breaking spaces
    assert "Communes : 34969 (créations : 0, mises à jour : 1, suppressions : 0)" in report


def test_a_row_gone_from_the_source_is_removed_unless_referenced(reference_data, data_copy):
    communes = data_copy / "geo" / "communes.csv"
    lines = communes.read_text(encoding="utf-8").splitlines(keepends=True)
    communes.write_text("".join(line for line in lines if not line.startswith("34172,")), "utf-8")
    # The withdrawn category 920 and its sectors leave the codelists; a theme still refers to it.
    for name in ("SectorCategory", "Sector"):
        path = data_copy / "iati" / f"{name}.xml"
        tree = ET.parse(path)  # noqa: S314 - our own files
        items = tree.getroot().find("codelist-items")
        for item in list(items):
            if (item.findtext("category") or item.findtext("code")) == "920":
                items.remove(item)
        tree.write(path, encoding="utf-8", xml_declaration=True)
    Theme.objects.get(slug="ecsi").dac_categories.add("920")
    output = StringIO()

    with translation.override("en"):
        counts = reference_load(stdout=output, data_dir=data_copy)

    assert counts["communes"] == 34_968
    assert not Commune.objects.filter(code="34172").exists()
    assert DacCategory.objects.filter(code="920").exists()  # kept: a theme refers to it
    assert not DacSector.objects.filter(category="920").exists()
    assert "Communes: 34968 (0 created, 0 updated, 1 removed)" in output.getvalue()
    assert "DAC sector categories: 44 (0 created, 0 updated, 0 removed) 1 no longer in the source" in (
        output.getvalue()
    )


def test_a_bad_file_writes_nothing(reference_data, data_copy):
    communes = data_copy / "geo" / "communes.csv"
    with communes.open("a", encoding="utf-8") as file:
        file.write("99001,Nulle-Part,99,76,10,99000,,\n")
    (data_copy / "themes.json").write_text("[]", "utf-8")
    before = table_state()

    with translation.override("en"), pytest.raises(ReferenceDataError) as error:
        reference_load(data_dir=data_copy)

    assert str(error.value) == "communes.csv, line 34971: unknown département 99"
    assert table_state() == before


def test_a_theme_mapped_to_an_unknown_dac_category_is_refused(reference_data, data_copy):
    themes = data_copy / "themes.json"
    themes.write_text(themes.read_text(encoding="utf-8").replace('["140"]', '["149"]'), "utf-8")

    with translation.override("en"), pytest.raises(ReferenceDataError, match="unknown DAC categories 149"):
        reference_load(data_dir=data_copy)


def test_command_prints_a_summary(reference_data):
    output = StringIO()
    with translation.override("en"):
        call_command("load_reference", stdout=output)
    lines = output.getvalue().splitlines()
    assert lines[:8] == [
        "Regions: 26 (0 created, 0 updated, 0 removed)",
        "Départements: 109 (0 created, 0 updated, 0 removed)",
        "Communes: 34969 (0 created, 0 updated, 0 removed)",
        "Sustainable development goals: 17 (0 created, 0 updated, 0 removed)",
        "SDG targets: 169 (0 created, 0 updated, 0 removed)",
        "DAC sector categories: 44 (0 created, 0 updated, 0 removed)",
        "DAC sectors: 325 (0 created, 0 updated, 0 removed)",
        "Themes: 18 (0 created, 0 updated, 0 removed)",
    ]
    assert lines[8].startswith("Reference data loaded in ")


def test_command_is_quiet_at_verbosity_0(reference_data):
    output = StringIO()
    call_command("load_reference", stdout=output, verbosity=0)
    assert output.getvalue() == ""


# --- Reading ----------------------------------------------------------------------------------


def test_network_region_comes_with_its_departements(reference_data, settings, django_assert_num_queries):
    with django_assert_num_queries(2):
        region = network_region()
        codes = [departement.code for departement in region.departements.all()]
    assert region.code == "76"
    assert codes == OCCITANIE
    settings.MAILLAGE_REGION = "53"
    assert network_region().name == "Bretagne"


def test_network_region_is_none_without_reference_data(reference_data, settings):
    settings.MAILLAGE_REGION = "00"  # as if the région were not loaded
    assert network_region() is None


def test_search_key_ignores_case_accents_and_punctuation():
    assert search_key("L'Haÿ-les-Roses") == "l hay les roses"
    assert search_key("  Œuilly ") == "oeuilly"
    assert search_key("Saint-Étienne-du-Rouvray") == "saint etienne du rouvray"


def test_communes_matching_by_name_or_postal_code(reference_data, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = [str(commune) for commune in communes_matching("béZIers")]
    assert found == ["Béziers (34)"]
    assert [commune.code for commune in communes_matching("montpel")][:1] == ["34172"]
    assert [commune.code for commune in communes_matching("l'hay-les")] == ["94038"]
    assert [commune.code for commune in communes_matching("34080")] == ["34172"]
    assert [commune.code for commune in communes_matching("3407")][:1] == ["34172"]
    assert len(communes_matching("3", limit=5)) == 5
    assert list(communes_matching(" - ")) == []


# --- Administration ---------------------------------------------------------------------------


def theme_form(theme: Theme, **changes: Any) -> dict[str, Any]:
    data = {
        "position": theme.position,
        "name_fr": theme.name_fr,
        "description_fr": theme.description_fr,
        "name_en": theme.name_en,
        "description_en": theme.description_en,
        "dac_categories": list(theme.dac_categories.values_list("code", flat=True)),
    }
    return data | changes


def test_an_administrator_edits_a_theme_and_the_history_keeps_it(client, reference_data):
    administrator = make_user("administrator")
    client.force_login(administrator)
    theme = Theme.objects.get(slug="sante")
    url = reverse("admin:core_theme_change", args=[theme.pk])
    history_before = theme.history.count()

    assert client.get(url).status_code == 200
    response = client.post(url, theme_form(theme, name_fr="Santé mondiale", dac_categories=["121", "122"]))

    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name_fr == "Santé mondiale"
    assert list(theme.dac_categories.values_list("code", flat=True)) == ["121", "122"]
    assert theme.slug == "sante"
    # Two entries by the administrator: the fields, then the DAC categories.
    assert theme.history.count() == history_before + 2
    categories, fields, before = theme.history.all()[:3]
    assert {categories.history_user, fields.history_user} == {administrator}
    assert (fields.history_type, fields.name_fr) == ("~", "Santé mondiale")
    assert [change.field for change in fields.diff_against(before).changes] == ["name_fr"]
    assert [change.field for change in categories.diff_against(fields).changes] == ["dac_categories"]
    assert client.get(reverse("admin:core_theme_history", args=[theme.pk])).status_code == 200


def test_an_administrator_adds_and_deletes_themes(client, reference_data):
    client.force_login(make_user("administrator"))
    response = client.post(
        reverse("admin:core_theme_add"),
        {"slug": "sport", "position": 19, "name_fr": "Sport", "name_en": "Sport", "dac_categories": ["160"]},
    )
    assert response.status_code == 302
    sport = Theme.objects.get(slug="sport")
    response = client.post(reverse("admin:core_theme_delete", args=[sport.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Theme.objects.filter(slug="sport").exists()
    assert list(Theme.history.filter(slug="sport").values_list("history_type", flat=True)) == ["-", "~", "+"]


@pytest.mark.parametrize("role", ["staff", "auditor", "registered"])
def test_others_cannot_edit_a_theme(client, reference_data, role):
    client.force_login(make_user(role))
    theme = Theme.objects.get(slug="sante")
    url = reverse("admin:core_theme_change", args=[theme.pk])

    # The staff reach the administration site and read the thesaurus there; only administrators change it.
    assert client.get(url, follow=True).status_code == (200 if role == "staff" else 403)
    assert client.post(url, theme_form(theme, name_fr="Piraté"), follow=True).status_code == 403

    theme.refresh_from_db()
    assert theme.name_fr == "Santé"


@pytest.mark.parametrize("role", ["staff", "auditor"])
def test_back_office_with_site_access_reads_themes_but_cannot_change_them(client, reference_data, role):
    """Even with access to the administration site (``is_staff``), only administrators edit."""
    user = make_user(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    theme = Theme.objects.get(slug="sante")
    history_before = theme.history.count()
    url = reverse("admin:core_theme_change", args=[theme.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, theme_form(theme, name_fr="Piraté")).status_code == 403
    assert client.get(reverse("admin:core_theme_add")).status_code == 403
    assert (
        client.post(reverse("admin:core_theme_delete", args=[theme.pk]), {"post": "yes"}).status_code == 403
    )

    theme.refresh_from_db()
    assert (theme.name_fr, theme.history.count()) == ("Santé", history_before)


def test_theme_history_is_in_the_back_office(client, reference_data):
    theme = Theme.objects.get(slug="sante")
    client.force_login(make_user("staff"))
    page = client.get(reverse("backoffice:history", args=["core", "theme", theme.pk]))
    assert page.status_code == 200
    assert "Santé" in page.content.decode()


@pytest.mark.parametrize(
    ("model", "pk"),
    [
        (Region, "76"),
        (Departement, "34"),
        (Commune, "34172"),
        (Sdg, 6),
        (SdgTarget, "6.1"),
        (DacCategory, "140"),
        (DacSector, "14030"),
    ],
)
def test_reference_tables_are_read_only_even_for_superusers(client, reference_data, model, pk):
    superuser = make_user("administrator")
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    client.force_login(superuser)
    name = model._meta.model_name
    before = table_state()

    assert client.get(reverse(f"admin:core_{name}_changelist"), {"q": "a"}).status_code == 200
    change_page = client.get(reverse(f"admin:core_{name}_change", args=[pk]))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.content.decode()
    assert client.post(reverse(f"admin:core_{name}_change", args=[pk]), {"name": "X"}).status_code == 403
    assert client.get(reverse(f"admin:core_{name}_add")).status_code == 403
    assert client.post(reverse(f"admin:core_{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403
    assert table_state() == before


def test_the_admin_index_shows_reference_data_to_administrators(client, reference_data):
    client.force_login(make_user("administrator"))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:core_commune_changelist") in page
    assert reverse("admin:core_theme_add") in page
    assert reverse("admin:core_commune_add") not in page
