"""Fee scales in the administration, the call for payment (each member once, with its PDF, even
when launched twice), reminders at their offsets (each once), and amounts set by hand."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from maillage.directory.models import College
from maillage.membership.models import Dues, FeeBracket, MembershipYear, Reminder
from maillage.membership.services.dues import reminders_send
from maillage.membership.services.payments import payment_record
from tests.access import db_snapshot, make_user
from tests.core.test_emails import smtp_server  # noqa: F401 — the real SMTP server fixture


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAILLAGE_MEMBERSHIP_REMINDER_DAYS = [30, 60]


def _fr(message, **params):
    with translation.override("fr"):
        text = gettext(message)
    return text % params if params else text


def _page(response):
    return html.unescape(response.content.decode())


# --- Fee scales ---------------------------------------------------------------------------------------


def _year_form(year, brackets):
    data = {
        "year": str(year),
        "brackets-TOTAL_FORMS": str(len(brackets)),
        "brackets-INITIAL_FORMS": "0",
        "brackets-MIN_NUM_FORMS": "0",
        "brackets-MAX_NUM_FORMS": "1000",
    }
    for index, (college, size_from, size_to, amount) in enumerate(brackets):
        data |= {
            f"brackets-{index}-college": college,
            f"brackets-{index}-size_from": size_from,
            f"brackets-{index}-size_to": size_to,
            f"brackets-{index}-amount": amount,
        }
    return data


def test_an_administrator_defines_a_fee_scale(client, db):
    client.force_login(make_user("administrator"))
    brackets = [
        ("associative", "0", "20000", "30"),
        ("associative", "20000", "", "80"),
        ("public", "0", "", "150"),
    ]
    response = client.post(reverse("admin:membership_membershipyear_add"), _year_form(2031, brackets))
    assert response.status_code == 302, _page(response)[:3000]
    year = MembershipYear.objects.get(year=2031)
    assert list(year.brackets.values_list("college", "amount")) == [
        ("associative", Decimal("30.00")),
        ("associative", Decimal("80.00")),
        ("public", Decimal("150.00")),
    ]


def test_an_overlapping_scale_is_refused_and_nothing_is_saved(client, db):
    client.force_login(make_user("administrator"))
    brackets = [("associative", "0", "25000", "30"), ("associative", "20000", "", "80")]
    before = db_snapshot()
    response = client.post(reverse("admin:membership_membershipyear_add"), _year_form(2031, brackets))
    assert response.status_code == 200
    with translation.override("fr"):
        message = gettext("Two brackets of %(college)s overlap from %(size)s.") % {
            "college": College("associative").label,
            "size": Decimal("20000.00"),
        }
    assert message in _page(response)
    assert db_snapshot() == before


def test_changing_a_scale_into_an_overlap_keeps_the_old_scale(client, year):
    client.force_login(make_user("administrator"))
    url = reverse("admin:membership_membershipyear_change", args=[year.pk])
    kept = list(FeeBracket.objects.filter(year=year).values_list("pk", "size_from", "size_to", "amount"))
    economic = FeeBracket.objects.get(year=year, college="economic", size_from=10)
    data = _year_form(year.year, [])
    data |= {"brackets-INITIAL_FORMS": str(len(kept)), "brackets-TOTAL_FORMS": str(len(kept))}
    for index, bracket in enumerate(FeeBracket.objects.filter(year=year).order_by("college", "size_from")):
        data |= {
            f"brackets-{index}-id": str(bracket.pk),
            f"brackets-{index}-year": str(year.pk),
            f"brackets-{index}-college": bracket.college,
            f"brackets-{index}-size_from": str(bracket.size_from),
            f"brackets-{index}-size_to": "" if bracket.size_to is None else str(bracket.size_to),
            f"brackets-{index}-amount": str(bracket.amount),
        }
        if bracket == economic:
            data[f"brackets-{index}-size_from"] = "5"  # below the end (10) of the first bracket
    response = client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    assert (
        list(FeeBracket.objects.filter(year=year).values_list("pk", "size_from", "size_to", "amount")) == kept
    )


# --- The call for payment -------------------------------------------------------------------------------


def test_the_call_goes_once_to_each_member_with_its_pdf(
    client, make_member, year, staff, django_capture_on_commit_callbacks
):
    first = make_member("Solidarité Toulouse", size=Decimal("25000"))
    second = make_member("Mairie de Rodez", category="collectivite-territoriale", size=Decimal("24000"))
    client.force_login(staff)
    url = reverse("membership_staff:call_launch", args=[year.year])
    page = _page(client.get(url))
    assert "2" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.application.representative.email, second.application.representative.email]
    )
    for message in mail.outbox:
        ((name, content, mimetype),) = message.attachments
        assert (name, mimetype) == (f"appel-cotisation-{year.year}.pdf", "application/pdf")
        assert content.startswith(b"%PDF")
    assert Dues.objects.filter(year=year, called_at__isnull=False).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert len(mail.outbox) == 2  # launched twice, sent once

    third = make_member("Terres d’Échanges", size=Decimal("5000"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 3  # only the new member's call
    assert mail.outbox[-1].to == [third.application.representative.email]


def test_a_closed_year_has_no_call(client, make_member, year, staff):
    make_member("Solidarité Toulouse")
    MembershipYear.objects.filter(pk=year.pk).update(closed=True)
    client.force_login(staff)
    before = db_snapshot()
    response = client.post(reverse("membership_staff:call_launch", args=[year.year]), follow=True)
    assert _fr("The year %(year)s is closed.", year=year.year) in _page(response)
    assert db_snapshot() == before


def test_a_real_smtp_server_receives_the_call_with_its_pdf(
    client,
    make_member,
    year,
    staff,
    smtp_server,  # noqa: F811 — the imported fixture
    django_capture_on_commit_callbacks,
):
    member = make_member("Solidarité Toulouse", size=Decimal("25000"))
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("membership_staff:call_launch", args=[year.year]))
    received = [m for m in smtp_server.messages if m["To"] == member.application.representative.email]
    calls = [m for m in received if any(p.get_content_type() == "application/pdf" for p in m.walk())]
    assert len(calls) == 1
    pdf = next(part for part in calls[0].walk() if part.get_content_type() == "application/pdf")
    assert pdf.get_filename() == f"appel-cotisation-{year.year}.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF")


# --- Reminders ------------------------------------------------------------------------------------------


def test_reminders_at_30_and_60_days_are_sent_once_each(
    make_member, year, staff, django_capture_on_commit_callbacks
):
    from maillage.membership.services.dues import dues_call_launch

    unpaid = make_member("Solidarité Toulouse", size=Decimal("25000"))
    paid = make_member("Mairie de Rodez", category="collectivite-territoriale", size=Decimal("24000"))
    with django_capture_on_commit_callbacks(execute=True):
        dues_call_launch(year=year, by=staff)
    paid_dues = Dues.objects.get(membership=paid)
    payment_record(
        dues=paid_dues, amount=paid_dues.amount, method="cash", received_on=timezone.localdate(), by=staff
    )
    mail.outbox.clear()
    today = timezone.localdate()

    def remind(days):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(today=today + datetime.timedelta(days=days))

    assert remind(29) == 0
    assert remind(30) == 1
    assert remind(31) == 0
    assert remind(60) == 1
    assert remind(90) == 0
    assert [message.to for message in mail.outbox] == [[unpaid.application.representative.email]] * 2
    assert sorted(Reminder.objects.values_list("offset_days", flat=True)) == [30, 60]


# --- Amounts set by hand --------------------------------------------------------------------------------


def test_staff_set_an_amount_with_a_reason(client, make_member, year, staff):
    dues = Dues.objects.get(membership=make_member("Solidarité Toulouse", size=Decimal("25000")))
    client.force_login(staff)
    url = reverse("membership_staff:dues_amount", args=[dues.pk])
    before = db_snapshot()
    response = client.post(url, {"amount": "40,00", "override_reason": ""})
    assert response.status_code == 400
    assert _fr("Give the reason for an amount that differs from the scale.") in _page(response)
    for amount in ("-1", "100000,01"):
        assert client.post(url, {"amount": amount, "override_reason": "x"}).status_code == 400
    assert db_snapshot() == before
    response = client.post(url, {"amount": "40,00", "override_reason": "Structure en difficulté"})
    assert response.status_code == 302
    dues.refresh_from_db()
    assert (dues.scale_amount, dues.amount, dues.override_reason) == (
        Decimal("80.00"),
        Decimal("40.00"),
        "Structure en difficulté",
    )
    assert dues.history.count() == 2
    page = _page(client.get(reverse("membership_staff:dues", args=[dues.pk])))
    assert "Structure en difficulté" in page and "40,00 €" in page
