"""Staff manage the directory in the administration site; only administrators reach it."""

from django.urls import reverse

from maillage.core.models import Commune
from maillage.directory.models import Category, Organisation
from maillage.directory.services import organisation_create
from tests.access import assert_access, make_user


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
    assert_access(client, users, url, expected=dict.fromkeys(users, 302) | {"administrator": 200})


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
