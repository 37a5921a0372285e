"""The survey's pages: who may open the staff's pages (by role), and the pages of the personal
link (for whoever holds it; refused with 404 or 410 and nothing written)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.directory.models import Organisation
from maillage.observatory.forms_parts import organisation_label
from maillage.observatory.models import Campaign, Invitation, OrganisationRole, Project
from maillage.observatory.surveys import campaign_create, campaign_open
from tests.access import BACK_OFFICE, ROLES, assert_access

TEAM = BACK_OFFICE | {"auditor": 403}
TEAM_POST = {role: 302 if want == 200 else want for role, want in TEAM.items()}


@pytest.fixture
def opened(actors, django_capture_on_commit_callbacks):
    campaign = campaign_create(
        year=2025,
        title="Enquête 2025",
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        selection={"scope": "all"},
        user=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign_open(campaign, None)
    invitation = Invitation.objects.get(organisation=actors["regional"])
    return {**actors, "campaign": campaign, "invitation": invitation}


def test_the_staff_pages_by_role(client, users, opened):
    campaign, invitation = opened["campaign"], opened["invitation"]
    staff_url = "observatory_staff:"
    assert_access(client, users, reverse(staff_url + "campaigns"), expected=BACK_OFFICE)
    assert_access(client, users, reverse(staff_url + "campaign_create"), expected=TEAM)
    assert_access(client, users, reverse(staff_url + "campaign", args=[campaign.pk]), expected=BACK_OFFICE)
    for fmt in ("csv", "xlsx"):
        url = reverse(staff_url + "campaign_export", args=[campaign.pk, fmt])
        assert_access(client, users, url, expected=BACK_OFFICE)
    url = reverse(staff_url + "invitation", args=[invitation.pk])
    assert_access(client, users, url, expected=BACK_OFFICE)
    assert_access(client, users, url, method="post", expected=TEAM_POST)  # not answered: refused
    url = reverse(staff_url + "campaign_action", args=[campaign.pk])
    assert_access(client, users, url, method="post", data={"action": "remind"}, expected=TEAM_POST)


def test_creating_a_campaign_counts_then_creates(client, users, actors):
    client.force_login(users["staff"])
    url = reverse("observatory_staff:campaign_create")
    data = {
        "year": "2025",
        "title": "Enquête 2025",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "scope": "filter",
        "query": "http://127.0.0.1:8000/annuaire/?college=public",
    }
    response = client.post(url, data | {"count": "1"})
    assert response.status_code == 200 and response.context["selected"] == 1
    assert not Campaign.objects.exists()
    response = client.post(url, data | {"create": "1"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.selection == {
        "scope": "filter",
        "query": "college=public",
    }
    response = client.post(url, data | {"create": "1", "query": "college=nope"})
    assert response.status_code == 400 and Campaign.objects.count() == 1


def test_the_dashboard_and_its_filters_in_a_constant_number_of_queries(
    client, users, opened, django_assert_max_num_queries
):
    client.force_login(users["auditor"])
    url = reverse("observatory_staff:campaign", args=[opened["campaign"].pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.context["overall"] == {
        "invited": 2, "sent": 1, "opened": 0, "answered": 0, "validated": 0, "without_address": 1,
    }  # fmt: skip
    colleges = {row["organisation__college"]: row["invited"] for row in response.context["by_college"]}
    assert colleges == {"associative": 1, "public": 1}
    response = client.get(url, {"state": "pending"})
    assert [i.organisation for i in response.context["page"].object_list] == [opened["funder"]]
    for n in range(30):
        Organisation.objects.create(
            name=f"Actrice {n}", slug=f"actrice-{n}", kind="regional", college="economic", status="published"
        )
    with django_assert_max_num_queries(16):
        client.get(url)
    with django_assert_max_num_queries(8):
        client.get(reverse("observatory_staff:campaigns"))


def test_the_answer_page_is_for_whoever_holds_the_link(client, users, opened):
    token = opened["invitation"].token
    url = reverse("observatory:survey_answer", args=[token])
    assert_access(client, users, url, expected=dict.fromkeys(ROLES, 200))
    response = client.get(url)
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    assert b"noindex" in response.content


def test_unknown_expired_and_closed_links_are_refused_and_write_nothing(client, users, opened):
    token = opened["invitation"].token
    unknown = reverse("observatory:survey_answer", args=["nope"])
    assert_access(client, users, unknown, expected=dict.fromkeys(ROLES, 404))
    assert_access(
        client, users, unknown, method="post", data={"staff_count": "3"}, expected=dict.fromkeys(ROLES, 404)
    )
    Campaign.objects.update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    url = reverse("observatory:survey_answer", args=[token])
    assert_access(
        client, users, url, method="post", data={"staff_count": "3"}, expected=dict.fromkeys(ROLES, 410)
    )
    Campaign.objects.update(status=Campaign.Status.CLOSED)
    response = client.get(reverse("observatory:survey_project_create", args=[token]))
    assert response.status_code == 410 and response["Referrer-Policy"] == "same-origin"


def test_the_answer_form_records_the_figures(client, opened):
    url = reverse("observatory:survey_answer", args=[opened["invitation"].token])
    regional = opened["regional"]
    data = {"acronym": "SEO", "website": "https://seo.example.org", "international_budget": "12 500,50"}
    data |= {"staff_count": "2", "volunteer_count": "30", "awareness_actions": "4", "comment": "Merci"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    invitation = Invitation.objects.get(pk=opened["invitation"].pk)
    assert (
        invitation.state == Invitation.State.ANSWERED and str(invitation.international_budget) == "12500.50"
    )
    assert Organisation.objects.get(pk=regional.pk).website == "https://seo.example.org"
    response = client.post(url, data | {"staff_count": "-1", "website": "pas une adresse"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"staff_count", "website"}


def _project_post(organisation, title):
    data = {"title": title, "activity_status": "2", "default_currency": "EUR", "planned_start": "2025-01-01"}
    data |= {"participations-0-organisation": organisation_label(organisation)}
    data |= {"participations-0-role": str(OrganisationRole.ACCOUNTABLE)}
    for part, rows in (("participations", 1), ("countries", 0), ("sectors", 0), ("budgets", 0)):
        data |= {f"{part}-TOTAL_FORMS": str(rows), f"{part}-INITIAL_FORMS": "0"}
    for part in ("transactions", "documents"):
        data |= {f"{part}-TOTAL_FORMS": "0", f"{part}-INITIAL_FORMS": "0"}
    return data


def test_projects_are_declared_and_updated_for_the_organisation_only(client, opened, project):
    token = opened["invitation"].token
    response = client.post(
        reverse("observatory:survey_project_create", args=[token]),
        _project_post(opened["regional"], "Jardins scolaires"),
    )
    assert response.status_code == 302
    declared = Project.objects.get(title="Jardins scolaires")
    assert declared.reporting_organisation == opened["regional"]
    assert (declared.provenance, declared.status) == (Project.Provenance.SURVEY, Project.Status.SUBMITTED)
    assert declared.campaign == opened["campaign"]

    response = client.get(reverse("observatory:survey_answer", args=[token]))
    assert {p.pk for p in response.context["projects"]} == {project.pk, declared.pk}
    assert client.get(reverse("observatory:survey_project_edit", args=[token, project.pk])).status_code == 200

    other = Project.objects.create(title="Autre", reporting_organisation=opened["funder"])
    response = client.get(reverse("observatory:survey_project_edit", args=[token, other.pk]))
    assert response.status_code == 404 and response["Referrer-Policy"] == "same-origin"
