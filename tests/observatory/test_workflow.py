"""The staff's validation of projects: the steps allowed from each status, who is told, what
the history keeps."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from maillage.observatory import workflow
from maillage.observatory.models import Project
from maillage.observatory.services import project_save
from tests.access import make_user

Status = Project.Status


@pytest.fixture
def draft(project_data):
    return project_save(project_data())


@pytest.fixture
def staff(db):
    return make_user("staff", email="equipe@example.org")


@override_settings(MAILLAGE_CONTACT_EMAIL="observatoire@example.org")
def test_submitting_tells_the_staff_and_publishing_tells_the_editors(
    draft, actors, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.project_submit(draft, actors["editor"])
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert [message.to for message in mail.outbox] == [["observatoire@example.org"]]
    assert draft.title in mail.outbox[0].subject
    assert f"/gestion/observatoire/projets/{draft.pk}/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        workflow.project_publish(draft, staff)
    draft.refresh_from_db()
    assert (draft.status, draft.validated_by) == (Status.PUBLISHED, staff)
    assert draft.validated_at is not None
    assert mail.outbox[1].to == [actors["editor"].email]
    assert f"/observatoire/projets/{draft.pk}/" in mail.outbox[1].body
    steps = list(draft.history.order_by("history_id").values_list("status", "history_user"))
    assert steps[-2:] == [(Status.SUBMITTED, actors["editor"].pk), (Status.PUBLISHED, staff.pk)]


def test_sending_back_says_why_to_every_editor(draft, actors, staff, django_capture_on_commit_callbacks):
    second = make_user("organisation_editor", email="second@example.org")
    actors["regional"].editors.add(second)
    workflow.project_submit(draft, actors["editor"])
    with pytest.raises(ValidationError):
        workflow.project_send_back(draft, staff, "  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.project_send_back(draft, staff, "Précisez le budget de 2026.")
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason) == (Status.DRAFT, "Précisez le budget de 2026.")
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "redaction@example.org",
        "second@example.org",
    ]
    assert all("Précisez le budget de 2026." in message.body for message in mail.outbox)
    assert all(f"/observatoire/espace/{draft.pk}/modifier/" in message.body for message in mail.outbox)
    # Submitted again, then published: the reason is gone.
    workflow.project_submit(draft, actors["editor"])
    workflow.project_publish(draft, staff)
    draft.refresh_from_db()
    assert draft.rejection_reason == ""


@pytest.mark.parametrize(
    ("status", "step", "allowed"),
    [
        (Status.DRAFT, "submit", True),
        (Status.SUBMITTED, "submit", False),
        (Status.PUBLISHED, "submit", False),
        (Status.ARCHIVED, "submit", False),
        (Status.SUBMITTED, "publish", True),
        (Status.DRAFT, "publish", True),
        (Status.PUBLISHED, "publish", False),
        (Status.ARCHIVED, "publish", False),
        (Status.SUBMITTED, "send_back", True),
        (Status.PUBLISHED, "send_back", True),
        (Status.DRAFT, "send_back", False),
        (Status.ARCHIVED, "send_back", False),
        (Status.PUBLISHED, "archive", True),
        (Status.ARCHIVED, "archive", False),
    ],
)
def test_each_step_starts_from_its_statuses(project_data, staff, status, step, allowed):
    project = project_save(project_data(), status=status)
    steps = {
        "submit": lambda: workflow.project_submit(project, staff),
        "publish": lambda: workflow.project_publish(project, staff),
        "send_back": lambda: workflow.project_send_back(project, staff, "À revoir."),
        "archive": lambda: workflow.project_archive(project, staff),
    }
    if allowed:
        steps[step]()
        project.refresh_from_db()
        assert project.status != status
    else:
        with pytest.raises(ValidationError):
            steps[step]()
        project.refresh_from_db()
        assert project.status == status


@override_settings(MAILLAGE_CONTACT_EMAIL="observatoire@example.org")
def test_each_submission_is_a_new_email(draft, actors, staff, django_capture_on_commit_callbacks):
    """The outbox key is the step's row in the history: submitted again, told again."""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.project_submit(draft, actors["editor"])
        workflow.project_send_back(draft, staff, "À revoir.")
        workflow.project_submit(draft, actors["editor"])
    submissions = [message for message in mail.outbox if message.to == ["observatoire@example.org"]]
    assert len(submissions) == 2
