"""Applying for membership and the staff's review, per role: the public page, the application
form (an organisation one edits, one of the directory, a new one), bad input leaving nothing
written, the decisions (ask for more, refuse, approve, ratify), the e-mails and the badge."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.directory.models import Category, Organisation, Person
from maillage.directory.services import person_create
from maillage.membership.models import Application, GoverningDocument, Membership
from maillage.membership.services.applications import application_submit, membership_end
from tests.access import BACK_OFFICE, assert_access, db_snapshot, make_user
from tests.directory.test_pages import _organisation

APPLY = "/adhesion/"
LIST = "/gestion/adhesions/demandes/"
SPACE = reverse("membership:space")
# Who reads the staff pages: the back office, and elected people, who ratify.
READERS = BACK_OFFICE | {"elected": 200}


def _either(content: str, *texts: str) -> bool:
    """One of the texts (French once the catalogue has it, English before) is on the page."""
    return any(text in content for text in texts)


def _form(documents, **changes):
    data = {
        "organisation": "",
        "size": "25000",
        "statutes": documents["statutes"].pk,
        "charter": documents["charter"].pk,
        "accept_statutes": "on",
        "accept_charter": "on",
        "message": "Nous agissons au Sénégal depuis 2005.",
        "titulaire-first_name": "Awa",
        "titulaire-last_name": "Diop",
        "titulaire-email": "awa.diop@example.org",
        "titulaire-phone": "05 61 00 00 00",
        "suppleant-first_name": "",
        "suppleant-last_name": "",
        "suppleant-email": "",
        "suppleant-phone": "",
    }
    return data | changes


def _new_organisation(name="Jumelages Rodez-Sahel", category="association"):
    return {
        "new-name": name,
        "new-acronym": "",
        "new-category": Category.objects.get(slug=category).pk,
        "new-commune_query": "Rodez (12000)",
        "new-siret": "",
        "new-rna": "",
        "new-website": "",
        "new-email": "",
        "new-address": "",
    }


@pytest.fixture
def applicant(db):
    return make_user("registered", email="demandeuse@example.org")


@pytest.fixture
def organisation(reference_data, applicant):
    organisation = _organisation("Solidarité Toulouse-Sahel")
    organisation.editors.add(applicant)
    return organisation


def _submitted(organisation, applicant, documents, size="25000"):
    representative = person_create(first_name="Awa", last_name="Diop", email="awa.diop@example.org")
    return application_submit(
        applicant=applicant,
        organisation=organisation,
        size=Decimal(size),
        representative=representative,
        statutes=documents["statutes"],
        charter=documents["charter"],
    )


# --- The public page ------------------------------------------------------------------------------


def test_the_page_explains_membership_and_invites_a_visitor_to_log_in(client, documents, year):
    response = client.get(APPLY)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Statuts" in content and "Article 1 — …" in content and "Nous, membres…" in content
    assert f'href="{reverse("account_login")}?next=/adhesion/"' in content
    assert f'href="{reverse("account_signup")}?next=/adhesion/"' in content
    assert "1\xa0500,00 €" in content or "1 500,00 €" in content or "1\u202f500,00 €" in content
    assert 'name="titulaire-email"' not in content
    assert client.post(APPLY, {}).status_code == 302  # to the login page


def test_without_documents_in_force_applications_are_closed(client, applicant):
    client.force_login(applicant)
    response = client.get(APPLY)
    assert response.status_code == 200
    assert 'name="size"' not in response.content.decode()


# --- Applying -------------------------------------------------------------------------------------


def test_a_user_applies_for_an_organisation_they_edit(
    client, applicant, organisation, documents, year, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    page = client.get(APPLY).content.decode()
    assert f'<option value="{organisation.pk}">' in page
    data = _form(
        documents,
        organisation=organisation.pk,
        **{
            "suppleant-first_name": "Jean",
            "suppleant-last_name": "Martin",
            "suppleant-email": "jm@example.org",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, data)
    assert response.status_code == 302 and response.url == SPACE
    application = Application.objects.get()
    assert application.organisation == organisation
    assert application.applicant == applicant
    assert application.status == Application.Status.SUBMITTED
    assert application.size == Decimal("25000")
    assert application.college == "associative"
    assert (application.representative.email, application.deputy.last_name) == (
        "awa.diop@example.org",
        "Martin",
    )
    assert [message.to for message in mail.outbox] == [[applicant.email], ["contact@example.org"]]


def test_a_user_applies_for_an_organisation_of_the_directory(client, applicant, reference_data, documents):
    other = _organisation("Université de Toulouse", category="universite")
    client.force_login(applicant)
    response = client.post(APPLY, _form(documents, organisation=other.pk, size="120000"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.organisation, application.college) == (other, "public")
    assert not other.editors.exists()  # the staff check the link before anything else


def test_a_user_applies_for_a_new_organisation(client, applicant, reference_data, documents):
    client.force_login(applicant)
    response = client.post(APPLY, _form(documents) | _new_organisation())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Jumelages Rodez-Sahel")
    assert organisation.status == Organisation.Status.SUBMITTED
    assert (organisation.college, organisation.commune.code) == ("associative", "12202")
    assert list(organisation.editors.all()) == [applicant]
    assert Application.objects.get().organisation == organisation


def test_the_size_label_follows_the_college_when_the_form_comes_back(
    client, applicant, organisation, documents
):
    client.force_login(applicant)
    response = client.post(APPLY, _form(documents, organisation=organisation.pk, size=""))
    assert response.status_code == 200
    assert re.search(
        r'<label for="id_size"[^>]*>\s*(Budget annuel|Annual budget)', response.content.decode(), re.I
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("second application", ("déjà demandé à adhérer", "already applied")),
        ("already a member", ("déjà membre du réseau", "already a member")),
        ("negative size", ("supérieure ou égale à 0",)),
        ("statutes not accepted", ("Acceptez les statuts", "Accept the statutes")),
        ("invalid e-mail", ("adresse de courriel valide", "adresse électronique valide")),
        ("outdated documents", ("version en vigueur des statuts", "version of the statutes")),
        ("new organisation without commune", ("Commune",)),
    ],
)
def test_bad_input_gets_a_message_and_writes_nothing(
    client, applicant, organisation, documents, make_member, case, expected
):
    data = _form(documents, organisation=organisation.pk)
    if case == "second application":
        _submitted(organisation, applicant, documents)
    elif case == "already a member":
        make_member("Membre de longue date", editor=applicant)
        data["organisation"] = Organisation.objects.get(name="Membre de longue date").pk
    elif case == "negative size":
        data["size"] = "-5"
    elif case == "statutes not accepted":
        del data["accept_statutes"]
    elif case == "invalid e-mail":
        data["titulaire-email"] = "awa.diop@"
    elif case == "outdated documents":  # refused by the service, after the new organisation is made
        old = GoverningDocument.objects.create(
            kind="statutes",
            version="2010",
            title="Statuts",
            body="…",
            in_force_from=datetime.date(2010, 1, 1),
        )
        data = _form(documents, statutes=old.pk) | _new_organisation()
    elif case == "new organisation without commune":
        data = _form(documents) | _new_organisation() | {"new-commune_query": ""}
    client.force_login(applicant)
    before = db_snapshot()
    response = client.post(APPLY, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert _either(content, *expected), content[content.find("form-summary") :][:800]
    assert db_snapshot() == before


# --- Staff pages, per role ------------------------------------------------------------------------


def test_staff_pages_per_role(client, users, applicant, organisation, documents):
    application = _submitted(organisation, applicant, documents)
    detail = reverse("membership_staff:application", args=[application.pk])
    assert_access(client, users, LIST, expected=READERS)
    assert_access(client, users, detail, expected=READERS)
    # A decision without its reason: the staff see the form again, nothing is written.
    decide = {"staff": 200, "administrator": 200, "elected": 403, "auditor": 403}
    assert_access(
        client,
        users,
        detail,
        method="post",
        data={"refuse": "1", "reason": ""},
        expected=BACK_OFFICE | decide,
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert_access(
        client, users, f"{LIST}?export=csv", expected=READERS
    )  # the export of the list, read like the list


def test_the_list_filters_counts_and_keeps_its_queries(client, users, reference_data, documents):
    staff = users["staff"]

    def apply(number):
        for index in range(number):
            owner = make_user(
                "registered", email=f"candidat{Application.objects.count()}-{index}@example.org"
            )
            organisation = _organisation(f"Association {Application.objects.count()}-{index}")
            _submitted(organisation, owner, documents)

    client.force_login(staff)
    apply(2)
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST)
    assert response.status_code == 200
    apply(5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(many) == len(few)
    assert response.content.decode().count("/gestion/adhesions/demandes/") >= 7
    refused = Application.objects.first()
    refused.status = Application.Status.REFUSED
    refused.save()
    content = client.get(LIST).content.decode()
    assert refused.organisation.name not in content  # open ones by default
    content = client.get(LIST, {"status": "refused"}).content.decode()
    assert refused.organisation.name in content
    assert content.count("<tr>") == 2  # the header and the refused one
    export = client.get(LIST, {"status": "all", "export": "csv"})
    assert b"".join(export.streaming_content).decode("utf-8-sig").count("\r\n") == 8


def test_the_detail_shows_the_application_and_its_fee(
    client, users, applicant, organisation, documents, year
):
    application = _submitted(organisation, applicant, documents, size="25000")
    client.force_login(users["auditor"])
    content = client.get(reverse("membership_staff:application", args=[application.pk])).content.decode()
    assert f'href="/annuaire/{organisation.slug}/"' in content
    assert "80,00 €" in content  # the associative scale, from 20,000 €
    assert "awa.diop@example.org" in content
    assert 'name="approve"' not in content  # auditors read only


# --- Decisions ------------------------------------------------------------------------------------


def test_ask_for_more_then_the_applicant_completes(client, users, applicant, organisation, documents):
    application = _submitted(organisation, applicant, documents)
    detail = reverse("membership_staff:application", args=[application.pk])
    edit = reverse("membership:application_edit", args=[application.pk])
    client.force_login(users["staff"])
    response = client.post(detail, {"request_info": "1", "reason": ""})
    assert response.status_code == 200 and _either(response.content.decode(), "manque", "Say what is missing")
    assert (
        client.post(detail, {"request_info": "1", "reason": "Quel est votre budget réel ?"}).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == Application.Status.INCOMPLETE

    client.force_login(users["registered"])
    assert client.get(edit).status_code == 403
    client.force_login(applicant)
    page = client.get(edit).content.decode()
    assert "Quel est votre budget réel ?" in page and 'value="Awa"' in page
    before = db_snapshot()
    titulaire = {
        "titulaire-first_name": "Awa",
        "titulaire-last_name": "Diop",
        "titulaire-email": "awa.diop@example.org",
    }
    response = client.post(edit, {"size": "-1", **titulaire})
    assert response.status_code == 200 and db_snapshot() == before
    data = {
        "size": "45000",
        "message": "Budget 2025 joint.",
        "titulaire-first_name": "Awa",
        "titulaire-last_name": "Diop",
        "titulaire-email": "awa.diop@example.org",
        "titulaire-phone": "",
        "suppleant-first_name": "Jean",
        "suppleant-last_name": "Martin",
        "suppleant-email": "",
        "suppleant-phone": "",
    }
    representative = application.representative
    assert client.post(edit, data).url == SPACE
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert (application.size, application.message) == (Decimal("45000"), "Budget 2025 joint.")
    assert application.representative == representative  # a new person only when changed
    assert application.deputy.last_name == "Martin"
    assert client.get(edit).status_code == 302  # no longer waiting for information


def test_refuse_with_a_reason(
    client, users, applicant, organisation, documents, django_capture_on_commit_callbacks
):
    application = _submitted(organisation, applicant, documents)
    detail = reverse("membership_staff:application", args=[application.pk])
    client.force_login(users["staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, {"refuse": "1", "reason": "Siège hors de la région."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.reason) == (
        Application.Status.REFUSED,
        "Siège hors de la région.",
    )
    assert application.decided_by == users["staff"]
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert "Siège hors de la région." in client.get(detail).content.decode()  # in the history too


def test_approve_makes_a_member_and_sends_the_welcome(
    client, users, applicant, organisation, documents, year, django_capture_on_commit_callbacks
):
    application = _submitted(organisation, applicant, documents)
    client.force_login(users["staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("membership_staff:application", args=[application.pk]), {"approve": "1"}
        )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=organisation)
    assert membership.application == application and membership.dues.get().amount == Decimal("80.00")
    assert len(mail.outbox) == 1 and _either(mail.outbox[0].subject, "Bienvenue", "Welcome")
    assert SPACE in mail.outbox[0].body


def test_approve_then_ratify_when_the_statutes_ask_for_it(
    client, users, applicant, organisation, documents, settings, django_capture_on_commit_callbacks
):
    settings.MAILLAGE_MEMBERSHIP_RATIFICATION = True
    application = _submitted(organisation, applicant, documents)
    detail = reverse("membership_staff:application", args=[application.pk])
    client.force_login(users["staff"])
    assert client.post(detail, {"approve": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert not Membership.objects.exists()
    assert 'name="ratify"' not in client.get(detail).content.decode()
    assert client.post(detail, {"ratify": "1"}).status_code == 403  # the staff do not ratify

    client.force_login(users["elected"])
    assert 'name="ratify"' in client.get(detail).content.decode()
    assert client.post(detail, {"approve": "1"}).status_code == 403  # nor do elected people decide
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail, {"ratify": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert Membership.objects.filter(organisation=organisation).exists()
    assert any(_either(message.subject, "Bienvenue", "Welcome") for message in mail.outbox)


# --- The badge in the directory -------------------------------------------------------------------


def test_the_profile_shows_the_member_badge(client, make_member, reference_data, staff):
    membership = make_member("Eau Vive Occitanie")
    other = _organisation("Pas encore adhérente")
    badge = 'class="message message--success member-badge"'
    assert badge in client.get(f"/annuaire/{membership.organisation.slug}/").content.decode()
    assert badge not in client.get(f"/annuaire/{other.slug}/").content.decode()
    membership_end(
        membership=membership, end="resigned", on=timezone.localdate(), reason="Dissolution.", by=staff
    )
    assert badge not in client.get(f"/annuaire/{membership.organisation.slug}/").content.decode()
    assert Person.objects.filter(last_name__startswith="Titulaire").exists()
