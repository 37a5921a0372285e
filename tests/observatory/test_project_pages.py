"""The editors' pages of their projects and the staff's validation: who may open them, what
they write."""

import pytest
from django.core import mail
from django.urls import reverse

from maillage.observatory.models import Project
from maillage.observatory.services import project_save
from tests.access import BACK_OFFICE, LOGIN, MFA, assert_access, make_user
from tests.observatory.forms_data import form_data

Status = Project.Status
TEAM_WRITES = {
    "visitor": LOGIN,
    "registered": 403,
    "organisation_editor": 403,
    "staff": 302,
    "administrator": 302,
    "elected": 403,
    "auditor": 403,
}


@pytest.fixture
def editors(users, actors):
    """The ``organisation_editor`` of ``users`` edits the reporting organisation."""
    actors["regional"].editors.add(users["organisation_editor"])
    return users


@pytest.fixture
def draft(project_data):
    return project_save(project_data())


def test_my_projects_is_for_every_account(client, editors):
    expected = dict.fromkeys(editors, 200) | {"visitor": LOGIN}
    assert_access(client, editors, reverse("observatory_member:projects"), expected=expected)


def test_new_and_edit_pages_are_for_the_organisation_s_editors_and_the_team(client, editors, actors, draft):
    expected = TEAM_WRITES | {"organisation_editor": 200, "staff": 200, "administrator": 200}
    create = reverse("observatory_member:project_create", args=[actors["regional"].slug])
    assert_access(client, editors, create, expected=expected)
    edit = reverse("observatory_member:project_edit", args=[draft.pk])
    assert_access(client, editors, edit, expected=expected)
    # Refused writes write nothing (assert_access compares the database).
    refused = {role: want for role, want in expected.items() if want != 200} | {
        "organisation_editor": 302,
        "staff": 302,
        "administrator": 302,
    }
    assert_access(client, editors, edit, method="post", data=form_data(), expected=refused)


def test_an_editor_of_another_organisation_is_refused(client, actors, draft):
    other = make_user("organisation_editor", email="autre@example.org")
    actors["partner"].editors.add(other)
    client.force_login(other)
    assert (
        client.get(reverse("observatory_member:project_create", args=[actors["regional"].slug])).status_code
        == 403
    )
    assert client.get(reverse("observatory_member:project_edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("observatory_member:project_submit", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    # Their own organisation's page opens.
    assert (
        client.get(reverse("observatory_member:project_create", args=[actors["partner"].slug])).status_code
        == 200
    )


def test_submitting_is_for_the_organisation_s_editors_and_the_team(client, editors, draft):
    url = reverse("observatory_member:project_submit", args=[draft.pk])
    expected = TEAM_WRITES | {"organisation_editor": 302}
    assert_access(client, editors, url, method="post", expected=expected)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    client.force_login(editors["organisation_editor"])
    assert client.get(url).status_code == 405


def test_the_staff_pages_are_read_by_the_back_office_and_decided_by_the_team(client, users, draft):
    assert_access(client, users, reverse("observatory_staff:projects"), expected=BACK_OFFICE)
    review = reverse("observatory_staff:project_review", args=[draft.pk])
    assert_access(client, users, review, expected=BACK_OFFICE)
    assert_access(client, users, review, method="post", data={"action": "publish"}, expected=TEAM_WRITES)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_the_staff_pages_demand_two_factor_authentication(client, db, draft):
    client.force_login(make_user("staff", totp=False))
    response = client.get(reverse("observatory_staff:projects"))
    assert response.status_code == 302 and "/2fa/totp/activate/" in response.url
    assert MFA  # the same check as assert_access's


def test_an_editor_creates_a_project_then_submits_it(client, actors, django_capture_on_commit_callbacks):
    client.force_login(actors["editor"])
    url = reverse("observatory_member:project_create", args=[actors["regional"].slug])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Solidarité Eau Occitanie (Toulouse)"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data() | {"then": "submit"})
    assert response.status_code == 302 and response.url == reverse("observatory_member:projects")
    project = Project.objects.get()
    assert (project.status, project.provenance) == (Status.SUBMITTED, Project.Provenance.MANUAL)
    assert len(mail.outbox) == 1
    listing = client.get(reverse("observatory_member:projects")).content.decode()
    assert project.title.replace("’", "&#x27;") in listing or project.title in listing


def test_a_broken_rule_shows_the_form_again_with_its_summary(client, actors):
    client.force_login(actors["editor"])
    url = reverse("observatory_member:project_create", args=[actors["regional"].slug])
    rows = {"countries": [{"country": "SN", "percentage": "60"}, {"country": "ML", "percentage": "30"}]}
    response = client.post(url, form_data(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#countries-part"' in html
    assert not Project.objects.exists()
    response = client.post(url, form_data(rows) | {"add_row": "countries"})
    assert response.status_code == 200 and 'role="alert"' not in response.content.decode()
    assert len(response.context["forms"].part("countries").formset.forms) == 4


def test_an_archived_project_cannot_be_edited(client, actors, project_data):
    archived = project_save(project_data(), status=Status.ARCHIVED)
    client.force_login(actors["editor"])
    response = client.get(reverse("observatory_member:project_edit", args=[archived.pk]))
    assert response.status_code == 302


def test_my_projects_lists_by_organisation_or_says_how_to_edit_one(client, actors, users, draft):
    client.force_login(users["registered"])
    response = client.get(reverse("observatory_member:projects"))
    assert list(response.context["organisations"]) == []
    assert reverse("directory_member:index") in response.content.decode()
    client.force_login(actors["editor"])
    response = client.get(reverse("observatory_member:projects"))
    organisations = list(response.context["organisations"])
    assert organisations == [actors["regional"]]
    assert list(organisations[0].reported_projects.all()) == [draft]
    assert reverse("observatory_member:project_submit", args=[draft.pk]) in response.content.decode()


def test_the_queue_filters_by_status_in_constant_queries(
    client, users, project_data, django_assert_max_num_queries
):
    submitted = project_save(project_data(title="Soumis"), status=Status.SUBMITTED)
    project_save(project_data(title="Publié"), status=Status.PUBLISHED)
    client.force_login(users["auditor"])
    url = reverse("observatory_staff:projects")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert list(response.context["projects"]) == [submitted]
    response = client.get(url, {"status": "published"})
    assert [p.title for p in response.context["projects"]] == ["Publié"]
    assert len(client.get(url, {"status": ""}).context["projects"]) == 2
    for number in range(12):
        project_save(project_data(title=f"Soumis {number}"), status=Status.SUBMITTED)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["projects"]) == 13


def test_the_review_sends_back_with_a_reason(
    client, users, actors, draft, django_capture_on_commit_callbacks
):
    draft.status = Status.SUBMITTED
    draft.save()
    client.force_login(users["staff"])
    url = reverse("observatory_staff:project_review", args=[draft.pk])
    page = client.get(url).content.decode()
    assert reverse("backoffice:history", args=["observatory", "project", draft.pk]) in page
    response = client.post(url, {"action": "send_back", "reason": ""})
    assert response.status_code == 200 and response.context["send_back"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "send_back", "reason": "Ajoutez le budget de 2026."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason, draft.validated_by) == (
        Status.DRAFT,
        "Ajoutez le budget de 2026.",
        users["staff"],
    )
    assert [message.to for message in mail.outbox] == [[actors["editor"].email]]


def test_organisation_suggestions_list_published_organisations(client, actors):
    response = client.get(reverse("observatory_member:organisation_suggestions"), {"q": "occitanie"})
    assert response.json() == {
        "results": ["Région Occitanie (Toulouse)", "Solidarité Eau Occitanie (Toulouse)"]
    }
    assert client.get(reverse("observatory_member:organisation_suggestions"), {"q": "o"}).json() == {
        "results": []
    }


def test_the_staff_edit_a_published_project_and_it_stays_published(client, users, project):
    client.force_login(users["staff"])
    response = client.post(
        reverse("observatory_member:project_edit", args=[project.pk]), form_data(title="Eau potable à Podor")
    )
    assert response.url == reverse("observatory_staff:project_review", args=[project.pk])
    project.refresh_from_db()
    assert (project.title, project.status) == ("Eau potable à Podor", Status.PUBLISHED)
