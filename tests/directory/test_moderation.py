"""The member space and its moderation: claims, proposed changes, new organisations."""

import pytest
from django.core import mail
from django.urls import reverse

from maillage.core.models import Theme
from maillage.directory.models import Category, Claim, Organisation, Revision
from maillage.directory.moderation import claim_submit, organisation_propose, organisation_values
from maillage.directory.services import organisation_create
from tests.access import BACK_OFFICE, assert_access, db_snapshot


@pytest.fixture
def published(reference_data):
    return organisation_create(
        name="Les Amis de Ziguinchor",
        college="associative",
        category=Category.objects.get(slug="association"),
        commune_id="12202",
        status="published",
        description="Ancienne description.",
    )


def _profile(organisation, **changes):
    values = organisation_values(organisation) | changes
    data = {
        key: value
        for key, value in values.items()
        if key not in ("commune", "countries", "themes", "sdgs", "languages")
    }
    data = {key: "" if value is None else value for key, value in data.items()}
    data["commune_query"] = "Rodez"
    data["countries"] = values["countries"]
    data["themes"] = values["themes"]
    data["sdgs"] = values["sdgs"]
    data["languages"] = values["languages"]
    return data


def test_moderation_pages_by_role(client, users, published):
    claim = claim_submit(organisation=published, user=users["registered"], message="Je suis la présidente.")
    assert_access(client, users, reverse("directory_moderation:queue"), expected=BACK_OFFICE)
    assert_access(client, users, reverse("directory_moderation:claim", args=[claim.pk]), expected=BACK_OFFICE)


def test_a_claim_approved_makes_the_account_an_editor(
    client, users, published, django_capture_on_commit_callbacks
):
    person = users["registered"]
    client.force_login(person)
    response = client.post(
        reverse("directory_member:claim", args=[published.slug]), {"message": "Je suis la présidente."}
    )
    assert response.status_code == 302
    again = client.post(reverse("directory_member:claim", args=[published.slug]), {"message": "Encore"})
    assert "Vous avez déjà demandé" in again.content.decode()
    claim = Claim.objects.get()

    # An auditor reads the request but cannot decide.
    client.force_login(users["auditor"])
    before = db_snapshot()
    client.post(reverse("directory_moderation:claim", args=[claim.pk]), {"approve": "1"})
    assert db_snapshot() == before

    client.force_login(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_moderation:claim", args=[claim.pk]), {"approve": "1", "comment": ""})
    assert published.editors.filter(pk=person.pk).exists()
    assert person.groups.filter(name="organisation_editor").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]


def test_an_editor_proposes_changes_the_staff_see_the_diff_and_approve(
    client, users, published, django_capture_on_commit_callbacks
):
    editor = users["organisation_editor"]
    published.editors.add(editor)
    client.force_login(editor)
    water = Theme.objects.get(slug="eau-assainissement")
    response = client.post(
        reverse("directory_member:edit", args=[published.slug]),
        _profile(published, description="Nouvelle description.", themes=[water.pk]),
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.description == "Ancienne description."  # the published version stays
    revision = Revision.objects.get()
    assert revision.status == "pending"

    client.force_login(users["staff"])
    page = client.get(reverse("directory_moderation:revision", args=[revision.pk])).content.decode()
    assert "Ancienne description." in page and "Nouvelle description." in page

    refused = client.post(
        reverse("directory_moderation:revision", args=[revision.pk]), {"return": "1", "comment": ""}
    )
    assert refused.status_code == 200  # sending back needs a comment
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_moderation:revision", args=[revision.pk]), {"approve": "1"})
    published.refresh_from_db()
    assert published.description == "Nouvelle description."
    assert list(published.themes.all()) == [water]
    assert published.history.filter(history_user=users["staff"]).exists()
    assert mail.outbox[-1].to == [editor.email]


def test_an_invalid_proposal_is_refused_with_its_message(client, users, published):
    editor = users["organisation_editor"]
    published.editors.add(editor)
    client.force_login(editor)
    before = db_snapshot()
    response = client.post(
        reverse("directory_member:edit", args=[published.slug]), _profile(published, siret="12345678901234")
    )
    assert response.status_code == 200
    assert "SIRET" in response.content.decode()
    assert db_snapshot() == before


def test_only_editors_and_staff_edit_a_profile(client, users, published):
    published.editors.add(users["organisation_editor"])
    url = reverse("directory_member:edit", args=[published.slug])
    expected = BACK_OFFICE | {"organisation_editor": 200, "auditor": 403}
    assert_access(client, users, url, expected=expected)


def test_staff_changes_apply_at_once(users, published):
    organisation_propose(
        organisation=published,
        author=users["staff"],
        values=organisation_values(published) | {"acronym": "AAZ"},
    )
    published.refresh_from_db()
    assert published.acronym == "AAZ" and not Revision.objects.exists()


def test_adding_an_organisation_waits_for_the_staff_then_is_published(client, users, reference_data):
    person = users["registered"]
    client.force_login(person)
    data = {
        "name": "Terres d’Échanges Aveyron",
        "college": "associative",
        "category": Category.objects.get(slug="association").pk,
        "commune_query": "Rodez",
    }
    response = client.post(reverse("directory_member:create"), data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Terres d’Échanges Aveyron")
    assert (organisation.status, organisation.source) == ("submitted", "self")
    assert list(organisation.editors.all()) == [person]

    client.force_login(users["staff"])
    assert "Terres d’Échanges Aveyron" in client.get(reverse("directory_moderation:queue")).content.decode()
    client.post(reverse("directory_moderation:publish", args=[organisation.pk]))
    organisation.refresh_from_db()
    assert organisation.status == "published"


def test_an_ambiguous_commune_lists_the_candidates(client, users, reference_data):
    client.force_login(users["registered"])
    data = {"name": "X", "college": "associative", "category": Category.objects.get(slug="association").pk}
    page = client.post(
        reverse("directory_member:create"), data | {"commune_query": "Saint-Martin"}
    ).content.decode()
    assert "Plusieurs communes" in page or "Several communes" in page
    page = client.post(reverse("directory_member:create"), data | {"commune_query": "Zzzz"}).content.decode()
    assert "Aucune commune" in page or "No commune" in page


def test_a_commune_is_found_by_name_postal_code_or_both(client, users, reference_data):
    from maillage.directory.member_forms import OrganisationProfileForm

    def resolve(query):
        form = OrganisationProfileForm({"name": "X", "commune_query": query})
        form.is_valid()
        return form.cleaned_data.get("commune_query"), form.errors.get("commune_query")

    assert resolve("Rodez")[0].code == "12202"
    shared, error = resolve("12000")  # a postal code shared by four communes
    assert shared is None and "Rodez (12000)" in str(error) and "Onet-le-Château (12000)" in str(error)
    assert resolve("Saint-Martin (32300)")[0].departement_id == "32"
    assert resolve("rodez (12000)")[0].code == "12202"
