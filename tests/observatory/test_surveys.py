"""The yearly survey: who is chosen, invitations sent once, reminders by offset, the personal
link's refusals, the answer and its validation, the snapshot frozen at closing."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from maillage.core.models import OutgoingEmail
from maillage.directory.models import Affiliation, Organisation
from maillage.directory.services import (
    affiliation_add,
    organisation_set_member,
    organisation_update,
    person_create,
)
from maillage.observatory.models import Campaign, Invitation, Project, Snapshot
from maillage.observatory.services import ProjectData, project_save
from maillage.observatory.surveys import (
    LinkRefused,
    campaign_create,
    campaign_open,
    campaign_remind,
    invitation_answer,
    invitation_for_token,
    invitation_open,
    invitation_validate,
    profile_changes,
    selected_organisations,
    survey_reminders_send,
)
from maillage.observatory.surveys_snapshot import campaign_close
from tests.access import make_user
from tests.core.test_emails import smtp_server  # noqa: F401  (the fixture)

YEAR = 2025


@pytest.fixture
def survey(actors):
    """The actors, a contact of ``regional`` (a member) and a campaign in preparation for 2025
    surveying every regional actor: ``regional`` and ``funder`` (which has no address)."""
    contact = person_create(first_name="Awa", last_name="Diop", email="Awa.Diop@example.org")
    affiliation_add(person=contact, organisation=actors["regional"], role=Affiliation.Role.CONTACT)
    former = person_create(first_name="Jean", last_name="Ancien", email="ancien@example.org")
    affiliation_add(
        person=former,
        organisation=actors["regional"],
        role=Affiliation.Role.REPRESENTATIVE,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
    )
    organisation_set_member(organisation=actors["regional"], member=True)
    staff = make_user("staff")
    campaign = campaign_create(
        year=YEAR,
        title="Enquête 2025",
        closes_on=timezone.localdate() + datetime.timedelta(days=60),
        selection={"scope": "all"},
        introduction="Merci de votre participation.",
        user=staff,
    )
    return {**actors, "campaign": campaign, "staff": staff}


def _open(survey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return campaign_open(survey["campaign"], survey["staff"])


def _invitation(survey, name="regional"):
    return Invitation.objects.get(campaign=survey["campaign"], organisation=survey[name])


# --- Selection ------------------------------------------------------------------------------------


def test_the_selection_chooses_published_regional_actors_all_members_or_a_filter(survey):
    regional, funder, partner = survey["regional"], survey["funder"], survey["partner"]
    draft = Organisation.objects.create(
        name="Brouillon", slug="brouillon", kind="regional", college="associative", status="draft"
    )
    assert set(selected_organisations({"scope": "all"})) == {regional, funder}
    assert list(selected_organisations({"scope": "members"})) == [regional]
    assert list(selected_organisations({"scope": "filter", "query": "college=public"})) == [funder]
    assert list(selected_organisations({"scope": "filter", "query": "q=solidarite"})) == [regional]
    assert partner not in selected_organisations({"scope": "all"}) and draft.pk


def test_a_campaign_refuses_a_bad_selection_a_past_date_and_a_second_campaign_of_the_year(survey):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        campaign_create(
            year=2024,
            title="x",
            closes_on=tomorrow,
            selection={"scope": "filter", "query": "college=nope"},
            user=None,
        )
    assert "query" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        campaign_create(
            year=YEAR, title="x", closes_on=datetime.date(2020, 1, 1), selection={"scope": "all"}, user=None
        )
    assert set(error.value.message_dict) == {"year", "closes_on"}
    assert Campaign.objects.count() == 1


# --- Invitations ----------------------------------------------------------------------------------


def test_opening_invites_each_organisation_once_and_lists_those_without_address(
    survey, django_capture_on_commit_callbacks
):
    result = _open(survey, django_capture_on_commit_callbacks)

    assert (result.invited, result.sent) == (2, 1)
    assert result.without_address == [survey["funder"]]
    invitation = _invitation(survey)
    # The contact and the editor; not the representative whose designation has ended.
    assert invitation.recipients == ["awa.diop@example.org", "redaction@example.org"]
    assert invitation.state == Invitation.State.SENT and invitation.sent_at is not None
    assert _invitation(survey, "funder").state == Invitation.State.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == invitation.recipients
    assert f"/observatoire/enquete/{invitation.token}/" in message.body
    assert "Merci de votre participation." in message.body
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.OPEN

    # Again: nothing more is sent; once the funder has an address, only it is invited.
    again = _open(survey, django_capture_on_commit_callbacks)
    assert (again.invited, again.sent) == (0, 0)
    organisation_update(organisation=survey["funder"], email="contact@region.example.org")
    last = _open(survey, django_capture_on_commit_callbacks)
    assert (last.invited, last.sent, last.without_address) == (0, 1, [])
    assert [m.to for m in mail.outbox[1:]] == [["contact@region.example.org"]]
    assert OutgoingEmail.objects.filter(key__endswith="-invite").count() == 2
    assert Invitation.objects.count() == 2


def test_reminders_leave_once_per_offset_to_those_who_have_not_answered(
    survey, settings, django_capture_on_commit_callbacks
):
    settings.MAILLAGE_SURVEY_REMINDER_DAYS = [14, 28]
    organisation_update(organisation=survey["funder"], email="contact@region.example.org")
    _open(survey, django_capture_on_commit_callbacks)
    invitation_answer(invitation=_invitation(survey, "funder"), staff=2)
    now = timezone.now()

    def run(days):
        with django_capture_on_commit_callbacks(execute=True):
            return survey_reminders_send(now=now + datetime.timedelta(days=days))

    assert run(13) == 0
    assert run(15) == 1  # the funder has answered: only the regional actor
    assert run(16) == 0
    assert run(29) == 1
    assert run(30) == 0
    invitation = _invitation(survey)
    assert invitation.reminders == 2
    keys = sorted(OutgoingEmail.objects.filter(key__contains="-reminder-").values_list("key", flat=True))
    assert keys == [f"survey-{survey['campaign'].pk}-{survey['regional'].pk}-reminder-{d}" for d in (14, 28)]
    assert mail.outbox[-1].to == invitation.recipients
    assert "2025" in mail.outbox[-1].subject and invitation.token in mail.outbox[-1].body


def test_a_reminder_of_the_staff_counts_for_the_offsets_passed_and_leaves_once_a_day(
    survey, settings, django_capture_on_commit_callbacks
):
    settings.MAILLAGE_SURVEY_REMINDER_DAYS = [14]
    _open(survey, django_capture_on_commit_callbacks)
    Invitation.objects.update(sent_at=timezone.now() - datetime.timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_remind(survey["campaign"], survey["staff"]) == 1
        assert campaign_remind(survey["campaign"], survey["staff"]) == 0
        assert survey_reminders_send() == 0
    assert _invitation(survey).reminders == 1


# --- The personal link ----------------------------------------------------------------------------


def test_the_link_is_refused_when_unknown_closed_or_expired(survey, django_capture_on_commit_callbacks):
    _open(survey, django_capture_on_commit_callbacks)
    invitation = _invitation(survey)
    assert invitation_for_token(invitation.token) == invitation

    with pytest.raises(LinkRefused) as refusal:
        invitation_for_token("not-a-token")
    assert refusal.value.code == "unknown"

    Campaign.objects.update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(LinkRefused) as refusal:
        invitation_for_token(invitation.token)
    assert refusal.value.code == "expired"

    Campaign.objects.update(closes_on=timezone.localdate(), status=Campaign.Status.CLOSED)
    with pytest.raises(LinkRefused) as refusal:
        invitation_for_token(invitation.token)
    assert refusal.value.code == "closed"


def test_the_link_works_until_the_end_of_the_closing_day_in_paris(survey, django_capture_on_commit_callbacks):
    from maillage.observatory.surveys import link_expires_at

    Campaign.objects.update(closes_on=datetime.date(2026, 12, 31))
    survey["campaign"].refresh_from_db()
    # 23:00 UTC on 31 December is midnight in Paris: the first instant refused.
    assert link_expires_at(survey["campaign"]) == datetime.datetime(2026, 12, 31, 23, 0, tzinfo=datetime.UTC)


# --- The answer -----------------------------------------------------------------------------------


def test_an_answer_confirms_or_corrects_the_profile_and_records_the_figures(
    survey, django_capture_on_commit_callbacks
):
    _open(survey, django_capture_on_commit_callbacks)
    invitation = invitation_open(_invitation(survey))
    assert invitation.state == Invitation.State.OPENED and invitation.opened_at is not None

    invitation_answer(
        invitation=invitation,
        profile={"website": "https://seo.example.org", "acronym": "SEO"},
        international_budget=Decimal("120000.50"),
        staff=3,
        volunteers=40,
        awareness_actions=12,
        comment="  Une belle année.  ",
    )

    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ANSWERED
    assert (invitation.international_budget, invitation.staff, invitation.volunteers) == (
        Decimal("120000.50"),
        3,
        40,
    )
    assert invitation.awareness_actions == 12 and invitation.comment == "Une belle année."
    assert invitation.profile_confirmed_at is not None
    regional = Organisation.objects.get(pk=survey["regional"].pk)
    assert regional.website == "https://seo.example.org"
    assert regional.verified_on == timezone.localdate()
    assert [(old, new) for _label, old, new in profile_changes(invitation)] == [
        ("", "https://seo.example.org")
    ]

    # A bad address is refused with the directory's message, and nothing is written.
    with pytest.raises(ValidationError) as error:
        invitation_answer(invitation=invitation, profile={"website": "pas une adresse"}, staff=4)
    assert "website" in error.value.message_dict
    invitation.refresh_from_db()
    assert invitation.staff == 3


def test_validating_an_answer_publishes_its_submitted_projects_and_locks_it(
    survey, project_data, django_capture_on_commit_callbacks
):
    _open(survey, django_capture_on_commit_callbacks)
    invitation = _invitation(survey)
    with pytest.raises(ValidationError):
        invitation_validate(invitation, survey["staff"])  # not answered yet
    declared = project_save(
        project_data(title="Maraîchage à Podor"), provenance=Project.Provenance.SURVEY, status="submitted"
    )
    declared.campaign = survey["campaign"]
    declared.save()
    invitation_answer(invitation=invitation, staff=1)

    invitation_validate(invitation, survey["staff"])

    invitation.refresh_from_db()
    declared.refresh_from_db()
    assert invitation.state == Invitation.State.VALIDATED and invitation.validated_by == survey["staff"]
    assert declared.status == Project.Status.PUBLISHED and declared.validated_by == survey["staff"]
    with pytest.raises(ValidationError):
        invitation_answer(invitation=invitation, staff=9)


# --- Closing and the snapshot ---------------------------------------------------------------------


def test_closing_freezes_the_figures_and_a_later_edit_changes_nothing(
    survey, project, project_data, django_capture_on_commit_callbacks
):
    _open(survey, django_capture_on_commit_callbacks)
    ended = project_save(
        project_data(
            title="Projet de 2023",
            planned_start=datetime.date(2023, 1, 1),
            planned_end=datetime.date(2023, 12, 31),
            actual_start=None,
            budgets=[],
        ),
        status=Project.Status.PUBLISHED,
    )
    invitation = _invitation(survey)
    invitation_answer(invitation=invitation, international_budget=Decimal("1000"), staff=2, volunteers=5)
    invitation_validate(invitation, survey["staff"])
    funder_invitation = _invitation(survey, "funder")
    funder_invitation.state, funder_invitation.staff = Invitation.State.ANSWERED, 50  # not validated
    funder_invitation.save()

    snapshot = campaign_close(survey["campaign"], survey["staff"])

    assert snapshot.year == YEAR
    assert [row["title"] for row in snapshot.projects] == [project.title]  # not the project of 2023
    row = snapshot.projects[0]
    assert row["countries"] == ["SN"] and row["funders"] == ["Région Occitanie"]
    assert row["budget"] == {"EUR": "45000.00"}
    assert row["sectors"] == ["14030 (70 %)", "14081 (30 %)"]
    totals = snapshot.totals
    assert totals["overall"]["projects"] == 1 and totals["overall"]["projects_budget_eur"] == "45000.00"
    assert totals["overall"]["staff"] == 2  # the funder's answer is not validated
    assert totals["overall"]["international_budget"] == "1000.00"
    assert totals["overall"]["invitations"]["validated"] == 1
    assert totals["overall"]["invitations"]["answered"] == 1
    assert totals["by_college"]["associative"]["volunteers"] == 5
    assert totals["by_departement"]["31"]["projects"] == 1
    assert {o["name"]: o["state"] for o in snapshot.organisations} == {
        "Solidarité Eau Occitanie": "validated",
        "Région Occitanie": "answered",
    }
    frozen = (snapshot.organisations, snapshot.projects, snapshot.totals)

    # Later edits of the records change nothing in the snapshot.
    data = ProjectData.of(project)
    data.title = "Un autre titre"
    data.budgets[0]["value"] = Decimal("1")
    project_save(data, project=project)
    organisation_update(organisation=survey["regional"], name="Un autre nom")
    Invitation.objects.update(staff=999)
    stored = Snapshot.objects.get()
    assert (stored.organisations, stored.projects, stored.totals) == frozen
    assert ended.pk not in [row["id"] for row in stored.projects]

    # Closing twice is refused; a closed campaign cannot be opened or reminded again.
    with pytest.raises(ValidationError):
        campaign_close(survey["campaign"], survey["staff"])
    with pytest.raises(ValidationError):
        campaign_open(survey["campaign"], survey["staff"])
    with pytest.raises(ValidationError):
        campaign_remind(Campaign.objects.get(), survey["staff"])
    assert Snapshot.objects.count() == 1


# --- A real SMTP server ---------------------------------------------------------------------------


def test_the_invitation_reaches_a_real_smtp_server_and_its_link_opens_the_answer(
    survey,
    smtp_server,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    _open(survey, django_capture_on_commit_callbacks)

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["To"] == "awa.diop@example.org, redaction@example.org"
    text = next(
        part.get_payload(decode=True).decode()
        for part in received.get_payload()
        if part.get_content_type() == "text/plain"
    )
    link = re.search(r"https?://\S+/observatoire/enquete/\S+/", text).group(0)
    response = client.get(urlsplit(link).path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    assert "Solidarité Eau Occitanie" in response.content.decode()
    assert _invitation(survey).state == Invitation.State.OPENED
