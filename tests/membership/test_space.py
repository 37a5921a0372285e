"""The member space (/compte/adhesion/): per role and per object — an editor sees only the
organisations it edits, changes their representatives, and downloads only its own calls and
receipts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.directory.models import Affiliation
from maillage.directory.services import person_create
from maillage.membership.models import Application, Dues, MembershipYear, Payment
from maillage.membership.selectors import representatives
from maillage.membership.services.applications import application_request_info, membership_end
from maillage.membership.services.payments import payment_record
from maillage.membership.status import Status
from tests.access import LOGIN, ROLES, assert_access, make_user
from tests.membership.conftest import make_year

SPACE = reverse("membership:space")


@pytest.fixture
def members(make_member, year, staff, settings, tmp_path):
    """Two members, each with its editor; the first paid its dues (and has a receipt)."""
    settings.MEDIA_ROOT = tmp_path
    first_day = datetime.date(year.year, 1, 1)
    ours = make_member("Solidarité Toulouse", on=first_day)
    theirs = make_member("Cités Unies Montpellier", on=first_day)
    dues = Dues.objects.get(membership=ours, year=year)
    payment = payment_record(
        dues=dues,
        amount=dues.amount,
        method=Payment.Method.CHEQUE,
        received_on=timezone.localdate(),
        by=staff,
    )
    other_dues = Dues.objects.get(membership=theirs, year=year)
    other_payment = payment_record(
        dues=other_dues, amount=Decimal("5.00"), method=Payment.Method.CASH, received_on=first_day, by=staff
    )
    return {
        "ours": ours,
        "theirs": theirs,
        "editor": ours.application.applicant,
        "receipt": payment.receipt,
        "other_receipt": other_payment.receipt,
        "other_dues": other_dues,
    }


def test_the_space_needs_an_account(client, users):
    expected = dict.fromkeys(ROLES, 200) | {"visitor": LOGIN}
    assert_access(client, users, SPACE, expected=expected)


def test_an_account_without_organisation_is_pointed_to_applying(client, users):
    client.force_login(users["registered"])
    content = client.get(SPACE).content.decode()
    assert reverse("membership:apply") in content


def test_an_editor_sees_only_its_organisations(client, members, year):
    client.force_login(members["editor"])
    response = client.get(SPACE)
    content = response.content.decode()
    [card] = response.context["cards"]
    assert card.organisation == members["ours"].organisation
    assert card.status == Status.UP_TO_DATE
    assert "Solidarité Toulouse" in content and "Cités Unies" not in content
    assert str(members["ours"].application.representative) in content
    assert reverse("membership:receipt_pdf", args=[members["receipt"].pk]) in content
    dues = Dues.objects.get(membership=members["ours"], year=year)
    assert reverse("membership:dues_call_pdf", args=[dues.pk]) in content
    assert reverse("membership:representatives", args=[members["ours"].pk]) in content


def test_a_late_member_sees_what_to_pay_and_how(client, members, year, settings):
    year.call_launched_at = timezone.now() - datetime.timedelta(
        days=settings.MAILLAGE_MEMBERSHIP_GRACE_DAYS + 1
    )
    year.save()
    client.force_login(members["theirs"].application.applicant)
    response = client.get(SPACE)
    [card] = response.context["cards"]
    assert card.status == Status.LATE
    dues = members["other_dues"]
    assert card.amount_due == dues.amount - Decimal("5.00")
    content = response.content.decode()
    assert f"COT-{dues.pk}" in content


def test_a_resigned_member_may_apply_again(client, members, staff):
    membership_end(
        membership=members["ours"], end="resigned", on=timezone.localdate(), reason="Départ", by=staff
    )
    client.force_login(members["editor"])
    response = client.get(SPACE)
    [card] = response.context["cards"]
    assert card.status == Status.RESIGNED
    assert reverse("membership:apply") in response.content.decode()
    assert reverse("membership:representatives", args=[members["ours"].pk]) not in response.content.decode()


def test_an_application_sent_back_can_be_completed(client, reference_data, documents, staff):
    from maillage.membership.services.applications import application_submit
    from tests.directory.test_pages import _organisation

    editor = make_user("registered", email="candidate@example.org")
    organisation = _organisation("Jeunes Solidaires Albi")
    organisation.editors.add(editor)
    representative = person_create(first_name="Lou", last_name="Martin")
    application = application_submit(
        applicant=editor,
        organisation=organisation,
        size=Decimal("1000"),
        representative=representative,
        statutes=documents["statutes"],
        charter=documents["charter"],
    )
    application_request_info(application=application, by=staff, comment="Joignez le budget.")
    client.force_login(editor)
    content = client.get(SPACE).content.decode()
    assert application.get_status_display() == Application.Status.INCOMPLETE.label
    assert reverse("membership:application_edit", args=[application.pk]) in content
    assert "Joignez le budget." in content


# --- Representatives ----------------------------------------------------------------------------------


def test_only_the_editors_and_the_staff_change_the_representatives(client, users, members):
    url = reverse("membership:representatives", args=[members["ours"].pk])
    expected = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,  # the editor of another organisation
        "staff": 200,
        "administrator": 200,
        "elected": 403,
        "auditor": 403,  # reads, never writes
    }
    assert_access(client, users, url, expected=expected)
    new_person = {"representative_first_name": "X", "representative_last_name": "Y"}
    written = expected | {"staff": 302, "administrator": 302}
    assert_access(client, users, url, method="post", data=new_person, expected=written)
    client.force_login(members["editor"])
    assert client.get(url).status_code == 200


def test_an_editor_changes_the_representatives(client, members, make_member):
    membership = members["ours"]
    organisation = membership.organisation
    previous = membership.application.representative
    client.force_login(members["editor"])
    url = reverse("membership:representatives", args=[membership.pk])
    # A new titulaire, the former one becomes the suppléant.
    response = client.post(
        url,
        {
            "representative_first_name": "Awa",
            "representative_last_name": "Diop",
            "representative_email": "awa.diop@example.org",
            "representative_phone": "05 61 00 00 00",
            "deputy": previous.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    current = {a.role: a.person for a in representatives(organisation)}
    assert str(current[Affiliation.Role.REPRESENTATIVE]) == "Awa Diop"
    assert current[Affiliation.Role.REPRESENTATIVE].email == "awa.diop@example.org"
    assert current[Affiliation.Role.DEPUTY] == previous
    # The same person twice is refused, with a message, and nothing changes.
    response = client.post(url, {"representative": previous.pk, "deputy": previous.pk})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert {a.role: a.person for a in representatives(organisation)} == current
    # Someone of another organisation cannot be chosen.
    stranger = members["theirs"].application.representative
    response = client.post(url, {"representative": stranger.pk})
    assert response.status_code == 200 and response.context["form"].errors["representative"]
    # No titulaire at all is refused.
    response = client.post(url, {})
    assert response.status_code == 200 and response.context["form"].errors["representative"]


# --- Downloads --------------------------------------------------------------------------------------------


def test_a_member_downloads_its_own_receipt_and_call(client, members, year):
    client.force_login(members["editor"])
    response = client.get(reverse("membership:receipt_pdf", args=[members["receipt"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="recu-{members["receipt"].label}.pdf"'
    assert response.content.startswith(b"%PDF")
    dues = Dues.objects.get(membership=members["ours"], year=year)
    response = client.get(reverse("membership:dues_call_pdf", args=[dues.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")


def test_someone_elses_receipt_and_call_are_refused(client, users, members):
    receipt_url = reverse("membership:receipt_pdf", args=[members["other_receipt"].pk])
    call_url = reverse("membership:dues_call_pdf", args=[members["other_dues"].pk])
    client.force_login(members["editor"])
    assert client.get(receipt_url).status_code == 404
    assert client.get(call_url).status_code == 404
    expected = {
        "visitor": LOGIN,
        "registered": 404,
        "organisation_editor": 404,
        "staff": 200,
        "administrator": 200,
        "elected": 404,
        "auditor": 200,
    }
    assert_access(client, users, receipt_url, expected=expected)
    assert client.get(reverse("membership:receipt_pdf", args=[999999])).status_code == 302  # logged out


def test_an_account_that_edits_two_members_sees_both(client, members, make_member, year):
    second = make_member("Terres Solidaires", editor=members["editor"], on=datetime.date(year.year, 1, 1))
    MembershipYear.objects.filter(pk=year.pk).update(call_launched_at=None)
    make_year(year.year - 1)
    client.force_login(members["editor"])
    cards = client.get(SPACE).context["cards"]
    assert [card.organisation for card in cards] == sorted(
        [members["ours"].organisation, second.organisation], key=lambda o: o.name
    )
