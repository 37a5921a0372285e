"""A training in a real browser: the staff's attendance sheet (boxes ticked on a tablet-sized
screen, saved) and the trainee's questionnaire (radio groups, then thanks) — axe-clean."""

# ruff: noqa: F811 (the engagement fixtures, imported, are parameters of the test)

import datetime

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from maillage.engagement import services_trainings as trainings
from maillage.engagement.models import Attendance, Event, Feedback
from tests.e2e.test_governance_door import _staff_log_in
from tests.engagement.conftest import event_factory  # noqa: F401 (fixture)
from tests.engagement.test_trainings import attendee_add


def _training(event_factory):
    first = timezone.localdate() - datetime.timedelta(days=2)
    zone = timezone.get_current_timezone()
    return event_factory(
        kind=Event.Kind.TRAINING,
        title="Animer un atelier d’éducation à la citoyenneté",
        starts_at=datetime.datetime.combine(first, datetime.time(9), tzinfo=zone),
        ends_at=datetime.datetime.combine(first, datetime.time(17), tzinfo=zone),
        trainer="Camille Formatrice",
    )


def test_the_attendance_sheet_on_a_tablet(new_page, visit, axe_check, event_factory):
    training = _training(event_factory)
    alice = attendee_add(training, "Alice", "Martin")
    bruno = attendee_add(training, "Bruno", "Petit")
    page = new_page(viewport={"width": 820, "height": 1180}, has_touch=True)
    _staff_log_in(page, visit, axe_check)
    visit(page, reverse("engagement_staff:attendance", args=[training.pk]))
    morning, afternoon = trainings.half_days_ensure(training)
    page.locator(f"label[for=p-{alice.pk}-{morning.pk}]").tap()  # the whole cell is the target
    page.locator(f"#p-{bruno.pk}-{afternoon.pk}").check()
    with page.expect_navigation():
        page.locator("form:has(table.attendance-sheet) button[type=submit]").click()
    axe_check(page)
    with translation.override("fr"):
        saved = _("The attendance sheet is saved.")
    expect(page.get_by_role("status")).to_contain_text(saved)
    expect(page.locator(f"#p-{alice.pk}-{morning.pk}")).to_be_checked()
    marks = {(a.attendee_id, a.half_day_id) for a in Attendance.objects.filter(present=True)}
    assert marks == {(alice.pk, morning.pk), (bruno.pk, afternoon.pk)}


def test_the_questionnaire(page, visit, axe_check, event_factory):
    training = _training(event_factory)
    alice = attendee_add(training, "Alice", "Martin")
    trainings.attendance_mark(trainings.half_days_ensure(training)[0], alice, True, None)
    url = reverse("engagement:feedback", args=[alice.feedback_token])
    visit(page, url)
    ratings = {"overall": 5, "content": 4, "trainer": 5, "organisation": 3}
    with translation.override("fr"):
        questions = {name: trainings.rating_label(name) for name in ratings}
        thanks, already = _("Thank you"), _("Questionnaire already answered")
    for name, rating in ratings.items():
        group = page.get_by_role("group", name=str(questions[name]))
        group.get_by_label(str(rating), exact=True).check()
    page.locator("textarea[name=comment]").fill("Très concret.")
    with page.expect_navigation():
        page.locator("form.feedback-form button[type=submit]").click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(thanks)
    answer = Feedback.objects.get(attendee=alice)
    assert (answer.overall, answer.content, answer.trainer, answer.organisation) == (5, 4, 5, 3)
    visit(page, url)
    expect(page.get_by_role("heading", level=1)).to_have_text(already)
