"""Staff manage the directory in the administration site; only administrators reach it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maillage.core.models import Commune
from maillage.directory.duplicates import organisation_merge
from maillage.directory.models import Category, Organisation, Tag
from maillage.directory.services import organisation_create, organisations_tag, tag_get_or_create
from tests.access import assert_access, db_snapshot, make_user


def _form(**fields):
    data = {
        "kind": "regional",
        "name": "Terres d’Échanges Aveyron",
        "slug": "terres-d-echanges-aveyron",
        "college": "associative",
        "category": Category.objects.get(slug="association").pk,
        "country": "FR",
        "commune": "12202",  # Rodez
        "status": "draft",
        "source": "manual",
        "languages": "[]",
        "affiliations-TOTAL_FORMS": "0",
        "affiliations-INITIAL_FORMS": "0",
    }
    return data | fields


def test_organisation_admin_by_role(client, users, reference_data):
    url = reverse("admin:directory_organisation_changelist")
    expected = dict.fromkeys(users, 302) | {"administrator": 200, "staff": 200}
    assert_access(client, users, url, expected=expected)


def test_an_administrator_adds_an_organisation_on_its_commune_point(client, reference_data):
    client.force_login(make_user("administrator"))
    response = client.post(reverse("admin:directory_organisation_add"), _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation = Organisation.objects.get(slug="terres-d-echanges-aveyron")
    rodez = Commune.objects.get(code="12202")
    assert (organisation.latitude, organisation.longitude) == (rodez.latitude, rodez.longitude)


def test_the_admin_form_refuses_a_category_of_another_college(client, reference_data):
    client.force_login(make_user("administrator"))
    response = client.post(
        reverse("admin:directory_organisation_add"), _form(category=Category.objects.get(slug="pme").pk)
    )
    assert response.status_code == 200
    assert "Cette catégorie appartient à un autre collège." in response.content.decode()
    assert not Organisation.objects.exists()


def test_bulk_publication(client, reference_data):
    client.force_login(make_user("administrator"))
    drafts = [
        organisation_create(
            name=name, college="associative", category=Category.objects.get(slug="association")
        )
        for name in ("Alpha", "Bêta")
    ]
    response = client.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "publish", "_selected_action": [draft.pk for draft in drafts]},
    )
    assert response.status_code == 302
    assert set(Organisation.objects.values_list("status", flat=True)) == {"published"}
    assert drafts[0].history.first().history_type == "~"


# --- Tags: the staff's labels, put on and taken off in bulk ----------------------------------------


def _organisations(*names, **fields):
    category = Category.objects.get(slug="association")
    return [
        organisation_create(name=name, college="associative", category=category, **fields) for name in names
    ]


def _tag_post(action, organisations, **fields):
    data = {"action": action, "_selected_action": [org.pk for org in organisations], "apply": "yes"}
    return data | fields


def test_bulk_tagging_by_role(client, users, reference_data):
    """The team (staff and administrators) tags in bulk; for every other role the action is
    refused (sent to the administration's login) and nothing is written."""
    organisations = _organisations("Alpha", "Bêta")
    url = reverse("admin:directory_organisation_changelist")
    data = _tag_post("add_tag", organisations, new_tag="Festisol 2026")
    for role, user in users.items():
        if role in ("administrator", "staff"):
            continue
        client.logout()
        if user is not None:
            client.force_login(user)
        before = db_snapshot()
        response = client.post(url, data)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), role
        assert db_snapshot() == before, role
    assert not Tag.objects.exists()

    client.force_login(users["staff"])
    page = client.post(url, {k: v for k, v in data.items() if k != "apply"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Ajouter une étiquette" in content and "Alpha" in content and "Bêta" in content
    assert not Tag.objects.exists()  # the intermediate page writes nothing

    response = client.post(url, data)
    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.slug) == ("Festisol 2026", "festisol-2026")
    assert {org.pk for org in tag.organisations.all()} == {org.pk for org in organisations}
    record = organisations[0].history.first()
    assert [t.tag_id for t in record.tags.all()] == [tag.pk]  # the history records the tags


def test_bulk_untagging_takes_an_existing_tag_off(client, reference_data):
    client.force_login(make_user("administrator"))
    alpha, beta = _organisations("Alpha", "Bêta")
    tag = tag_get_or_create(name="À relancer")
    assert organisations_tag([alpha, beta], tag) == 2
    url = reverse("admin:directory_organisation_changelist")

    page = client.post(url, {"action": "remove_tag", "_selected_action": [alpha.pk]})
    assert "new_tag" not in page.context["form"].fields  # one does not take off a new tag

    response = client.post(url, _tag_post("remove_tag", [alpha], tag=tag.pk))
    assert response.status_code == 302
    assert list(tag.organisations.all()) == [beta]
    assert alpha.history.first().history_type == "~"


def test_the_tag_form_asks_for_one_tag(client, reference_data):
    client.force_login(make_user("administrator"))
    (alpha,) = _organisations("Alpha")
    existing = tag_get_or_create(name="Festisol 2026")
    url = reverse("admin:directory_organisation_changelist")
    before = db_snapshot()
    for fields, message in (
        ({}, "Choisissez une étiquette ou saisissez-en une nouvelle."),
        (
            {"tag": existing.pk, "new_tag": "Autre"},
            "Choisissez une étiquette ou saisissez-en une nouvelle, pas les deux.",
        ),
    ):
        response = client.post(url, _tag_post("add_tag", [alpha], **fields))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert db_snapshot() == before


def test_a_tag_typed_again_in_another_case_is_the_same_tag(reference_data):
    tag = tag_get_or_create(name="Festisol  2026")
    assert tag.name == "Festisol 2026"
    assert tag_get_or_create(name="FESTISOL 2026") == tag
    with pytest.raises(ValidationError):
        Tag(name="festisol 2026", slug="autre").full_clean()
    (alpha,) = _organisations("Alpha")
    assert organisations_tag([alpha], tag) == 1
    assert organisations_tag([alpha], tag) == 0  # already there: nothing changes
    assert organisations_tag([alpha], tag, add=False) == 1


def test_the_tag_admin_by_role(client, users, reference_data):
    url = reverse("admin:directory_tag_changelist")
    expected = dict.fromkeys(users, 302) | {"administrator": 200, "staff": 200}
    assert_access(client, users, url, expected=expected)


def test_tags_are_never_shown_to_the_public(client, reference_data):
    (alpha,) = _organisations("Alpha", status=Organisation.Status.PUBLISHED)
    organisations_tag([alpha], tag_get_or_create(name="Étiquette secrète"))
    pages = [
        client.get("/annuaire/").content,
        client.get(f"/annuaire/{alpha.slug}/").content,
        b"".join(client.get("/annuaire/export.csv").streaming_content),
    ]
    assert all(b"Alpha" in page for page in pages)
    assert not any("secrète".encode() in page or b"etiquette-secrete" in page for page in pages)


def test_a_merge_keeps_the_tags_of_both_organisations(reference_data):
    survivor, duplicate = _organisations("Alpha", "Alpha bis")
    festisol, relancer = tag_get_or_create(name="Festisol 2026"), tag_get_or_create(name="À relancer")
    organisations_tag([survivor], festisol)
    organisations_tag([duplicate], relancer)
    merged = organisation_merge(survivor=survivor, duplicate=duplicate, user=None)
    assert set(merged.tags.all()) == {festisol, relancer}
