"""What the observatory holds about a person — the survey invitations sent to their address,
the imports they ran, what they validated and changed — downloaded, then erased: the invitation
stays without their address, the projects stay without their name."""

import datetime

import pytest
from django.utils import timezone

from maillage.core.history import history_of
from maillage.core.privacy import personal_data_erase, personal_data_export
from maillage.observatory.models import Campaign, IatiImport, Invitation, Project
from maillage.observatory.services import project_save
from tests.access import make_user


@pytest.fixture
def person(actors):
    return make_user("staff", email="Awa.Diop@example.org")


def test_a_person_downloads_and_erases_what_the_observatory_holds(person, actors, project, project_data):
    campaign = Campaign.objects.create(
        year=2025, title="Enquête 2025", closes_on=datetime.date(2026, 1, 31), created_by=person
    )
    invitation = Invitation.objects.create(
        campaign=campaign,
        organisation=actors["regional"],
        recipients=["awa.diop@example.org", "contact@seo.example.org"],
        state=Invitation.State.SENT,
        sent_at=timezone.now(),
    )
    other = Invitation.objects.create(
        campaign=Campaign.objects.create(
            year=2024, title="Enquête 2024", closes_on=datetime.date(2025, 1, 31)
        ),
        organisation=actors["regional"],
        recipients=["not.awa.diop@example.org"],
    )
    IatiImport.objects.create(user=person, file_name="activites-2025.xml")
    project_save(project_data(title="Accès à l’eau potable à Podor, phase 2"), project=project, user=person)
    Project.objects.filter(pk=project.pk).update(validated_by=person, validated_at=timezone.now())

    exported = personal_data_export(person)["observatory"]
    assert [row["campaign"] for row in exported["survey_invitations"]] == ["Enquête 2025"]
    assert [row["file"] for row in exported["iati_imports"]] == ["activites-2025.xml"]
    assert exported["projects_validated"] == ["Accès à l’eau potable à Podor, phase 2"]
    assert exported["changes_made"]["project"] == 1

    personal_data_erase(person)
    invitation.refresh_from_db()
    assert invitation.recipients == ["contact@seo.example.org"]
    assert not history_of(Invitation).filter(recipients__icontains="awa.diop@").exclude(id=other.pk).exists()
    other.refresh_from_db()
    assert other.recipients == ["not.awa.diop@example.org"]  # another address that merely contains it
    assert IatiImport.objects.get().user is None
    project.refresh_from_db()
    assert project.validated_by is None and project.title.endswith("phase 2")
    assert not project.history.filter(validated_by=person).exists()
    assert Campaign.objects.get(pk=campaign.pk).created_by is None
