"""Imports of payments: a French bank statement (Windows-1252, « ; », « 1 234,56 »), a HelloAsso
export, the matching suggestions, a line never recorded twice, and all or nothing."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from maillage.membership.models import Dues, Payment
from maillage.membership.statements import (
    BANK,
    StatementRejected,
    parse_amount,
    parse_date,
    statement_read,
    statement_record,
)
from tests.access import db_snapshot


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def members(make_member, year):
    """Two members and their dues: 80,00 € and 600,00 €."""
    toulouse = make_member("Solidarité Toulouse", size=Decimal("25000"))
    rodez = make_member("Mairie de Rodez", category="collectivite-territoriale", size=Decimal("24000"))
    return Dues.objects.get(membership=toulouse), Dues.objects.get(membership=rodez)


def _fr(message):
    with translation.override("fr"):
        return gettext(message)


def _page(response):
    return html.unescape(response.content.decode())


def _day(days_ago=0):
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def _bank_file(toulouse, rodez, *, future=False):
    when = _day(1).strftime("%d/%m/%Y")
    later = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y") if future else when
    text = (
        "Relevé du compte courant n° 0001;;\r\n"
        "Date;Libellé;Montant\r\n"
        f"{when};VIR SEPA SOLIDARITE TLSE REF COT-{toulouse.pk};80,00\r\n"
        f"{when};PRLV ÉLECTRICITÉ;-1 234,56\r\n"
        f"{later};VIREMENT MAIRIE DE RODEZ COTISATION;600,00\r\n"
        f"{when};VIR INCONNU;1\u00a0234,56\r\n"
    )
    return SimpleUploadedFile("releve.csv", text.encode("cp1252"), content_type="text/csv")


def _upload(client, upload, kind="bank"):
    response = client.post(reverse("membership_staff:statement_upload"), {"kind": kind, "file": upload})
    assert response.status_code == 302, _page(response)[:2000]
    return response.url


def test_french_amounts_and_dates():
    assert parse_amount("1 234,56") == Decimal("1234.56")
    assert parse_amount("1\u202f234,56 €") == Decimal("1234.56")
    assert parse_amount("1.234,56") == Decimal("1234.56")
    assert parse_amount("-30,00") == Decimal("-30.00")
    assert parse_amount("1234.5") == Decimal("1234.5")
    assert parse_date("31/01/2026") == datetime.date(2026, 1, 31)
    assert parse_date("31/01/2026 14:05") == datetime.date(2026, 1, 31)
    assert parse_date("2026-01-31T00:00:00") == datetime.date(2026, 1, 31)


def test_a_windows_1252_bank_statement_is_matched_then_recorded(client, members, staff):
    toulouse, rodez = members
    client.force_login(staff)
    url = _upload(client, _bank_file(toulouse, rodez))
    response = client.get(url)
    assert response.status_code == 200
    rows = {row["line"].line: row for row in response.context["rows"]}
    assert rows[3]["suggestion"].dues_id == toulouse.pk and rows[3]["suggestion"].sure  # COT reference
    assert rows[4]["line"].ignored  # a debit
    assert rows[5]["suggestion"].dues_id == rodez.pk and not rows[5]["suggestion"].sure  # amount and name
    assert rows[6]["line"].amount == "1234.56" and rows[6]["suggestion"] is None
    assert "PRLV ÉLECTRICITÉ" in _page(response)  # Windows-1252 read as such

    response = client.post(url, {"line-3": str(toulouse.pk), "line-5": str(rodez.pk), "line-6": ""})
    assert response.status_code == 302
    payments = {p.dues_id: p for p in Payment.objects.all()}
    assert set(payments) == {toulouse.pk, rodez.pk}
    assert payments[toulouse.pk].method == "transfer"
    assert payments[toulouse.pk].received_on == _day(1)
    assert len(payments[toulouse.pk].source_key) == 64
    assert all(hasattr(payment, "receipt") for payment in payments.values())


def test_a_line_is_never_recorded_twice(client, members, staff):
    toulouse, rodez = members
    client.force_login(staff)
    url = _upload(client, _bank_file(toulouse, rodez))
    client.post(url, {"line-3": str(toulouse.pk)})
    assert Payment.objects.count() == 1

    again = _upload(client, _bank_file(toulouse, rodez))
    response = client.get(again)
    rows = {row["line"].line: row for row in response.context["rows"]}
    assert rows[3]["recorded"] and rows[3]["field"] is None
    assert _fr("already recorded") in _page(response)
    before = db_snapshot()
    response = client.post(again, {"line-3": str(toulouse.pk)})  # the field is not offered: ignored
    assert response.status_code == 400
    assert db_snapshot() == before

    lines = statement_read(_bank_file(toulouse, rodez), BANK)
    recorded = next(line for line in lines if line.line == 3)
    with pytest.raises(StatementRejected) as refused:
        statement_record(kind=BANK, lines=lines, choices={recorded.key: toulouse}, by=staff)
    assert refused.value.errors[recorded.key] == [_fr("This line has already been recorded as a payment.")]
    assert Payment.objects.count() == 1


def test_all_or_nothing(client, members, staff):
    toulouse, rodez = members
    client.force_login(staff)
    url = _upload(client, _bank_file(toulouse, rodez, future=True))
    before = db_snapshot()
    response = client.post(url, {"line-3": str(toulouse.pk), "line-5": str(rodez.pk)})
    assert response.status_code == 400
    assert _fr("The date cannot be in the future.") in _page(response)
    assert db_snapshot() == before
    response = client.post(url, {"line-3": str(toulouse.pk)})
    assert response.status_code == 302
    assert Payment.objects.get().dues == toulouse


def test_a_helloasso_export(client, members, staff):
    toulouse, rodez = members
    email = toulouse.membership.application.representative.email
    when = _day(2).strftime("%d/%m/%Y 10:42")
    text = (
        "Référence commande;Date;Montant;Statut;Nom;Prénom;Email\n"
        f"12345;{when};80,00;Autorisé;Titulaire;Camille;{email.upper()}\n"
        f"12346;{when};80,00;Refusé;Titulaire;Camille;{email}\n"
        f"12347;{when};600,00;Autorisé;Durand;Lou;lou@example.org\n"
    )
    client.force_login(staff)
    url = _upload(client, SimpleUploadedFile("helloasso.csv", text.encode()), kind="helloasso")
    response = client.get(url)
    rows = {row["line"].line: row for row in response.context["rows"]}
    assert rows[2]["suggestion"].dues_id == toulouse.pk  # by the payer's e-mail
    assert rows[3]["line"].ignored and rows[3]["field"] is None  # refused
    assert rows[4]["suggestion"] is None
    response = client.post(url, {"line-2": str(toulouse.pk), "line-4": str(rodez.pk)})
    assert response.status_code == 302
    payments = Payment.objects.order_by("amount")
    assert [(p.method, p.amount, p.reference) for p in payments] == [
        ("helloasso", Decimal("80.00"), "12345"),
        ("helloasso", Decimal("600.00"), "12347"),
    ]


def test_an_unreadable_file_says_why(client, members, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("releve.csv", b"Nom;Ville\nA;B\n")
    before = db_snapshot()
    response = client.post(reverse("membership_staff:statement_upload"), {"kind": "bank", "file": upload})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert db_snapshot() == before


def test_another_users_statement_is_not_found(client, members, staff, users):
    toulouse, rodez = members
    client.force_login(staff)
    url = _upload(client, _bank_file(toulouse, rodez))
    client.force_login(users["administrator"])
    assert client.get(url).status_code == 404
