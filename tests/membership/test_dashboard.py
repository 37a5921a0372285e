"""The staff's dashboard, list of members, exports and payments journal; and the set-based
statuses (reports.memberships_with_status), which must agree with status.membership_status."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from maillage.membership.models import Dues, Membership, MembershipYear, Payment
from maillage.membership.reports import memberships_with_status
from maillage.membership.services.applications import membership_end
from maillage.membership.services.dues import dues_ensure
from maillage.membership.services.payments import payment_cancel, payment_record
from maillage.membership.status import Status, membership_status
from tests.access import BACK_OFFICE, LOGIN, assert_access
from tests.membership.conftest import make_year

D = datetime.date


def launch(year: int, on: datetime.date | datetime.datetime) -> MembershipYear:
    membership_year = MembershipYear.objects.filter(year=year).first() or make_year(year)
    if isinstance(on, datetime.datetime):
        membership_year.call_launched_at = on
    else:
        membership_year.call_launched_at = timezone.make_aware(
            datetime.datetime.combine(on, datetime.time(12))
        )
    membership_year.save()
    return membership_year


def pay(membership, year, on, staff, amount=None) -> Payment:
    dues = dues_ensure(membership=membership, year=MembershipYear.objects.get(year=year))
    return payment_record(
        dues=dues, amount=amount or dues.amount, method=Payment.Method.TRANSFER, received_on=on, by=staff
    )


# --- The set-based statuses agree with the one-by-one computation -----------------------------------


def test_the_statuses_of_all_members_agree_with_membership_status(make_member, staff, settings):
    settings.MAILLAGE_MEMBERSHIP_GRACE_DAYS = 60
    launch(2023, D(2023, 2, 1))
    launch(2024, D(2024, 2, 1))
    make_year(2025)  # a scale, no call: the grace period runs from 1 January
    start = D(2023, 1, 15)
    paid_up = make_member("Toujours à jour", on=start)
    pay(paid_up, 2023, D(2023, 3, 1), staff)
    pay(paid_up, 2024, D(2024, 3, 1), staff)
    pay(paid_up, 2025, D(2025, 2, 1), staff)
    late_next_year = make_member("En retard l’an suivant", on=start)
    pay(late_next_year, 2023, D(2023, 3, 1), staff)
    dues_ensure(membership=late_next_year, year=MembershipYear.objects.get(year=2024))
    make_member("Jamais payé", on=start)
    partial = make_member("Paiement partiel", on=start)
    pay(partial, 2023, D(2023, 3, 1), staff, amount=Decimal("10.00"))
    overpaid = make_member("Trop payé", on=D(2023, 5, 1))
    pay(overpaid, 2023, D(2023, 5, 2), staff, amount=Decimal("500.00"))
    resigned = make_member("Démission", on=start)
    membership_end(membership=resigned, end="resigned", on=D(2023, 9, 30), reason="Départ", by=staff)
    struck_off = make_member("Radiée", on=start)
    membership_end(membership=struck_off, end="struck_off", on=D(2024, 6, 1), reason="Impayés", by=staff)
    joined_later = make_member("Arrivée en 2024", on=D(2024, 6, 1))
    cancelled = make_member("Paiement annulé", on=start)
    payment_cancel(
        payment=pay(cancelled, 2023, D(2023, 3, 1), staff), reason="Chèque sans provision", by=staff
    )
    dates = [
        D(2023, 1, 10), D(2023, 3, 1), D(2023, 4, 5), D(2023, 12, 31), D(2024, 1, 5), D(2024, 3, 15),
        D(2024, 4, 2), D(2024, 7, 1), D(2025, 1, 5), D(2025, 3, 1), D(2025, 3, 3), timezone.localdate(),
    ]  # fmt: skip
    seen = set()
    memberships = list(Membership.objects.all())
    assert joined_later in memberships and len(memberships) == 9
    for on in dates:
        with CaptureQueriesContext(connection) as queries:
            computed = dict(memberships_with_status(on=on).values_list("pk", "status"))
        assert len(queries) == 2, on  # the year's call, and the memberships
        for membership in memberships:
            expected = membership_status(membership, on)
            assert computed[membership.pk] == expected, (membership, on, computed[membership.pk], expected)
            seen.add(expected)
    assert seen == set(Status), set(Status) - seen  # every case was met


# --- Dashboard ---------------------------------------------------------------------------------------


@pytest.fixture
def scene(make_member, year, staff, settings):
    """This year's call launched long enough ago for the grace period to be over: one member
    paid, one is late, one lapsed (joined last year, never paid)."""
    today = timezone.localdate()
    launch(year.year, timezone.now() - datetime.timedelta(days=settings.MAILLAGE_MEMBERSHIP_GRACE_DAYS + 1))
    make_year(year.year - 1)
    paid_up = make_member("Association à jour", on=D(year.year, 1, 1))
    pay(paid_up, year.year, today, staff)
    late = make_member("Association en retard", on=D(year.year, 1, 1), category="collectivite-territoriale")
    lapsed = make_member("Association radiable", on=D(year.year - 1, 1, 1))
    dues_ensure(membership=lapsed, year=year)
    return {"paid_up": paid_up, "late": late, "lapsed": lapsed, "today": today}


def test_the_dashboard_is_for_the_back_office(client, users, scene):
    assert_access(client, users, reverse("membership_staff:dashboard"), expected=BACK_OFFICE)


def test_the_dashboard_counts_members_and_dues(client, users, scene, year):
    client.force_login(users["auditor"])
    response = client.get(reverse("membership_staff:dashboard"))
    assert response.status_code == 200
    totals = {row.year: row for row in response.context["years"]}
    dues = Dues.objects.filter(year=year)
    expected = sum(d.amount for d in dues)
    received = sum(p.amount for p in Payment.objects.filter(dues__year=year))
    assert (totals[year.year].expected, totals[year.year].received) == (expected, received)
    assert totals[year.year].members == dues.count()
    colleges = {row.label: row.count for row in response.context["breakdowns"]["college"]}
    assert sum(colleges.values()) == Membership.objects.count()
    late = [m.organisation.name for m in response.context["late"]]
    assert sorted(late) == sorted([scene["late"].organisation.name, scene["lapsed"].organisation.name])
    content = response.content.decode()
    assert scene["late"].organisation.name in content
    assert reverse("membership_staff:dues", args=[response.context["late"][0].dues_id]) in content
    assert f"{expected:.2f}".replace(".", ",") in content.replace("\u202f", "").replace("\xa0", "")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _members(make_member, count, start):
    for number in range(count):
        make_member(f"Membre {start + number:03d}", on=D(timezone.localdate().year, 1, 1))


@pytest.mark.parametrize(
    "url",
    [
        reverse("membership_staff:dashboard"),
        reverse("membership_staff:member_list"),
        reverse("membership_staff:member_list") + "?status=late&college=associative",
        reverse("membership_staff:member_export", args=["csv"]),
        reverse("membership_staff:payment_journal"),
    ],
)
def test_pages_and_exports_do_not_query_per_member(client, users, make_member, year, staff, url):
    client.force_login(users["staff"])
    _members(make_member, 3, 0)
    for membership in Membership.objects.all():
        pay(membership, year.year, timezone.localdate(), staff, amount=Decimal("5.00"))
    small = _queries(client, url)
    _members(make_member, 7, 3)
    for membership in Membership.objects.filter(dues__payments__isnull=True):
        pay(membership, year.year, timezone.localdate(), staff, amount=Decimal("5.00"))
    assert Membership.objects.count() == 10
    assert _queries(client, url) == small


# --- List of members ---------------------------------------------------------------------------------


def test_the_member_list_filters_in_the_url(client, users, scene):
    assert_access(client, users, reverse("membership_staff:member_list"), expected=BACK_OFFICE)
    client.force_login(users["staff"])
    url = reverse("membership_staff:member_list")

    def names(query):
        response = client.get(url, query)
        return sorted(m.organisation.name for m in response.context["page"].object_list)

    everyone = sorted(m.organisation.name for m in Membership.objects.all())
    assert names({}) == everyone
    assert names({"status": "late"}) == [scene["late"].organisation.name]
    assert names({"status": "lapsed"}) == [scene["lapsed"].organisation.name]
    assert names({"status": "up_to_date"}) == [scene["paid_up"].organisation.name]
    assert names({"college": "public"}) == [scene["late"].organisation.name]
    assert names({"category": "collectivite-territoriale"}) == [scene["late"].organisation.name]
    assert names({"departement": "31"}) == everyone
    assert names({"departement": "34"}) == []
    assert names({"q": "retard"}) == [scene["late"].organisation.name]
    assert names({"status": "nonsense"}) == everyone  # an invalid filter is ignored


def test_the_member_export_lists_members_with_their_representatives(client, users, scene, year):
    client.force_login(users["auditor"])
    response = client.get(reverse("membership_staff:member_export", args=["csv"]), {"status": "up_to_date"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    _header, row = rows
    membership = scene["paid_up"]
    representative = membership.application.representative
    assert row[0] == membership.organisation.name
    assert str(representative) in row[7] and representative.email in row[8]
    assert row[6] == str(Status.UP_TO_DATE.label)
    dues = Dues.objects.get(membership=membership, year=year)
    assert Decimal(row[9]) == dues.amount and Decimal(row[10]) == dues.amount
    response = client.get(reverse("membership_staff:member_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == Membership.objects.count() + 1
    assert client.get(reverse("membership_staff:member_export", args=["pdf"])).status_code == 404


# --- One member, and its end ---------------------------------------------------------------------------


def test_the_member_page_shows_its_dues_and_representatives(client, users, scene):
    membership = scene["paid_up"]
    url = reverse("membership_staff:member", args=[membership.pk])
    assert_access(client, users, url, expected=BACK_OFFICE)
    client.force_login(users["auditor"])
    content = client.get(url).content.decode()
    assert str(membership.application.representative) in content
    assert Payment.objects.get(dues__membership=membership).receipt.label in content
    assert reverse("membership_staff:member_end", args=[membership.pk]) not in content  # auditors read


def test_staff_record_the_end_of_a_membership(client, users, scene):
    membership = scene["lapsed"]
    url = reverse("membership_staff:member_end", args=[membership.pk])
    data = {"end": "struck_off", "ended_on": scene["today"].isoformat(), "end_reason": "Impayés répétés"}
    team = dict.fromkeys(BACK_OFFICE, 403) | {"visitor": LOGIN, "staff": 200, "administrator": 200}
    assert_access(client, users, url, expected=team)
    refused = dict.fromkeys(BACK_OFFICE, 403) | {"visitor": LOGIN}
    del refused["staff"], refused["administrator"]
    for role, want in refused.items():  # a refused POST changes nothing
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.post(url, data)
        assert response.status_code == 302 if want == LOGIN else response.status_code == want, role
    membership.refresh_from_db()
    assert membership.ended_on is None
    client.force_login(users["staff"])
    response = client.post(url, data | {"end_reason": " "})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, data)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.end, membership.ended_on) == ("struck_off", scene["today"])
    assert membership_status(membership) == Status.STRUCK_OFF
    records = membership.history.count()
    assert client.post(url, data).status_code == 302  # already ended: told, nothing changes
    assert membership.history.count() == records


# --- Payments journal ------------------------------------------------------------------------------------


def _journal(client, query=None):
    response = client.get(reverse("membership_staff:payment_journal"), query or {})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_payments_journal_for_the_accountant(client, users, scene, staff, year):
    assert_access(client, users, reverse("membership_staff:payment_journal"), expected=BACK_OFFICE)
    payment = Payment.objects.get(dues__membership=scene["paid_up"])
    credit = payment_cancel(payment=payment, reason="Erreur de saisie", by=staff)
    client.force_login(users["auditor"])
    header, *rows = _journal(client)
    assert len(header) == 8
    assert len(rows) == 2
    by_receipt = {row[1]: row for row in rows}
    line = by_receipt[payment.receipt.label]
    assert line[0] == payment.received_on.strftime("%d/%m/%Y")
    assert line[2] == scene["paid_up"].organisation.name
    assert line[3] == str(year.year)
    assert line[7] == f"{payment.amount:.2f}".replace(".", ",")
    assert by_receipt[credit.receipt.label][7] == f"-{payment.amount:.2f}".replace(".", ",")
    assert len(_journal(client, {"year": year.year - 1})) == 1  # the header only
    today = scene["today"]
    assert len(_journal(client, {"from": today.isoformat(), "to": today.isoformat()})) == 3
    tomorrow = today + datetime.timedelta(days=1)
    assert len(_journal(client, {"from": tomorrow.isoformat()})) == 1
    assert len(_journal(client, {"from": "pas une date"})) == 3  # ignored
