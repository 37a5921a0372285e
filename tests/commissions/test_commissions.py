"""The commissions' pages and services: who sees what, joining and leaving, invitations,
meetings, minutes, carried-over actions and the yearly activity."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.commissions import services
from maillage.commissions.models import Commission, Document, Meeting, Member, Outcome, Registration
from maillage.core.models import OutgoingEmail
from tests.access import LOGIN, assert_access, make_user

pytestmark = pytest.mark.django_db


def _meeting(commission: Commission, *, days: int, title: str = "Réunion", **fields) -> Meeting:
    starts = timezone.now() + datetime.timedelta(days=days)
    defaults = {"place": "Toulouse", "agenda": "1. Tour de table"}
    defaults.update(fields)
    return services.meeting_create(
        commission=commission,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        **defaults,
    )


def _member(commission: Commission, user) -> Member:
    return commission.members.get(user=user, state=Member.State.ACTIVE)


@pytest.fixture
def everyone(users, commission):
    """The roles of the network, and the people of the commission."""
    return {**users, **{key: commission[key] for key in ("convener", "member", "outsider")}}


# Who gets what -----------------------------------------------------------------------------

MEMBERS_PART = {
    "visitor": LOGIN,
    "registered": 403,
    "organisation_editor": 403,
    "staff": 200,
    "administrator": 200,
    "elected": 403,
    "auditor": 200,
    "convener": 200,
    "member": 200,
    "outsider": 403,
}
MANAGERS = {**MEMBERS_PART, "auditor": 403, "member": 403}
REPORT = {**MEMBERS_PART, "member": 403}


def test_index_and_commission_page_are_public(client, everyone, commission):
    expected = dict.fromkeys(MEMBERS_PART, 200)
    assert_access(client, everyone, reverse("commissions:index"), expected=expected)
    url = reverse("commissions:commission", args=[commission["commission"].slug])
    assert_access(client, everyone, url, expected=expected)


def test_public_part_shows_public_minutes_only(client, commission):
    body = commission["commission"]
    public = _meeting(body, days=-30, title="Réunion publique")
    services.minutes_save(meeting=public, minutes="<p>Compte rendu ouvert</p>", public=True)
    private = _meeting(body, days=-10, title="Réunion interne")
    services.minutes_save(meeting=private, minutes="<p>Compte rendu réservé</p>", public=False)
    url = reverse("commissions:commission", args=[body.slug])

    client.force_login(commission["outsider"])
    page = client.get(url).content.decode()
    assert "Compte rendu ouvert" in page
    assert "Compte rendu réservé" not in page
    assert "Réunion interne" not in page  # the meetings list is for members
    assert "Claire" in page  # the convener is public

    client.force_login(commission["member"])
    page = client.get(url).content.decode()
    assert "Réunion interne" in page
    assert "Odile" in page  # the members list


def test_members_only_pages_by_role(client, everyone, commission):
    body = commission["commission"]
    meeting = _meeting(body, days=7)
    assert_access(
        client, everyone, reverse("commissions:meeting", args=[body.slug, meeting.pk]), expected=MEMBERS_PART
    )
    assert_access(client, everyone, reverse("commissions:members", args=[body.slug]), expected=MANAGERS)
    assert_access(
        client, everyone, reverse("commissions:meeting_create", args=[body.slug]), expected=MANAGERS
    )
    minutes = reverse("commissions:meeting_minutes", args=[body.slug, meeting.pk])
    assert_access(client, everyone, minutes, expected=MANAGERS)
    assert_access(client, everyone, reverse("commissions:activity", args=[body.slug]), expected=REPORT)
    assert_access(client, everyone, reverse("commissions:activity_csv", args=[body.slug]), expected=REPORT)


def test_refused_writes_change_nothing(client, everyone, commission):
    body = commission["commission"]
    meeting = _meeting(body, days=-1)
    refused = {**MANAGERS, "staff": 302, "administrator": 302, "convener": 302}
    minutes = reverse("commissions:meeting_minutes", args=[body.slug, meeting.pk])
    data = {"action": "minutes", "minutes": "<p>Nouveau</p>"}
    assert_access(client, everyone, minutes, method="post", data=data, expected=refused)
    create = reverse("commissions:meeting_create", args=[body.slug])
    starts = timezone.localtime() + datetime.timedelta(days=3)
    fields = {
        "title": "Nouvelle",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Montpellier",
        "agenda": "Ordre du jour",
    }
    assert_access(client, everyone, create, method="post", data=fields, expected=refused)
    assert body.meetings.filter(title="Nouvelle").count() == 3  # staff, administrator, convener


def test_non_member_cannot_register_by_url(client, commission):
    body = commission["commission"]
    meeting = _meeting(body, days=7)
    client.force_login(commission["outsider"])
    url = reverse("commissions:meeting", args=[body.slug, meeting.pk])
    response = client.post(url, {"action": "register", "answer": "attending"})
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_unknown_meeting_or_other_commissions_meeting_is_404(client, commission):
    body = commission["commission"]
    other = Commission.objects.create(slug="autre", name="Autre", purpose="…")
    meeting = _meeting(other, days=7)
    client.force_login(commission["member"])
    assert client.get(reverse("commissions:meeting", args=[body.slug, meeting.pk])).status_code == 404


# Members -------------------------------------------------------------------------------------


def test_join_accept_leave(client, commission):
    body, outsider = commission["commission"], commission["outsider"]
    client.force_login(outsider)
    response = client.post(reverse("commissions:join", args=[body.slug]))
    assert response.status_code == 302
    request = body.members.get(user=outsider)
    assert request.state == Member.State.REQUESTED
    # Asking twice makes no second request.
    client.post(reverse("commissions:join", args=[body.slug]))
    assert body.members.filter(user=outsider).count() == 1
    # A member may not answer; the convener does.
    client.force_login(commission["member"])
    decide = reverse("commissions:member_decide", args=[body.slug, request.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 403
    client.force_login(commission["convener"])
    members_page = client.get(reverse("commissions:members", args=[body.slug])).content.decode()
    assert outsider.email in members_page
    client.post(decide, {"decision": "accept"})
    request.refresh_from_db()
    assert request.state == Member.State.ACTIVE
    assert request.start == timezone.localdate()
    email = OutgoingEmail.objects.get(key=f"commissions:decision:{request.pk}")
    assert email.to == [outsider.email]
    # The new member sees the members' part, then leaves.
    client.force_login(outsider)
    meeting = _meeting(body, days=3)
    assert client.get(reverse("commissions:meeting", args=[body.slug, meeting.pk])).status_code == 200
    client.post(reverse("commissions:leave", args=[body.slug]))
    request.refresh_from_db()
    assert request.state == Member.State.LEFT
    assert request.end == timezone.localdate()
    assert client.get(reverse("commissions:meeting", args=[body.slug, meeting.pk])).status_code == 403


def test_refused_request_is_told(client, commission):
    body, outsider = commission["commission"], commission["outsider"]
    request = services.member_request(commission=body, user=outsider)
    client.force_login(commission["convener"])
    client.post(reverse("commissions:member_decide", args=[body.slug, request.pk]), {"decision": "refuse"})
    request.refresh_from_db()
    assert request.state == Member.State.REFUSED
    assert OutgoingEmail.objects.filter(
        key=f"commissions:decision:{request.pk}", to=[outsider.email]
    ).exists()
    # Refused, they may ask again later.
    assert services.member_request(commission=body, user=outsider).state == Member.State.REQUESTED


def test_request_for_the_edited_organisation(commission):
    from maillage.directory.models import Organisation

    outsider = commission["outsider"]
    organisation = Organisation.objects.create(
        slug="asso-test", name="Asso test", kind=Organisation.Kind.PARTNER, country="SN"
    )
    organisation.editors.add(outsider)
    member = services.member_request(commission=commission["commission"], user=outsider)
    assert member.organisation == organisation


def test_invite_and_accept(client, commission):
    body, outsider = commission["commission"], commission["outsider"]
    client.force_login(commission["convener"])
    url = reverse("commissions:members", args=[body.slug])
    response = client.post(url, {"email": "personne-inconnue@example.org"})
    assert response.status_code == 400
    assert not OutgoingEmail.objects.exists()
    response = client.post(url, {"email": outsider.email.upper()})
    assert response.status_code == 302
    invited = body.members.get(user=outsider)
    assert invited.state == Member.State.INVITED
    email = OutgoingEmail.objects.get(key=f"commissions:invitation:{invited.pk}")
    assert email.to == [outsider.email]
    assert body.name in email.subject
    # Inviting again is refused: one open membership at a time.
    assert client.post(url, {"email": outsider.email}).status_code == 400
    # The convener cannot accept for the invited person; the invited person accepts.
    client.post(reverse("commissions:member_decide", args=[body.slug, invited.pk]), {"decision": "accept"})
    invited.refresh_from_db()
    assert invited.state == Member.State.INVITED
    client.force_login(outsider)
    page = client.get(reverse("commissions:commission", args=[body.slug])).content.decode()
    assert "invit" in page.lower()
    client.post(reverse("commissions:join", args=[body.slug]))
    invited.refresh_from_db()
    assert invited.state == Member.State.ACTIVE


def test_roles_and_the_last_convener(client, commission):
    body = commission["commission"]
    convener = _member(body, commission["convener"])
    member = _member(body, commission["member"])
    client.force_login(commission["convener"])
    url = reverse("commissions:member_decide", args=[body.slug, convener.pk])
    client.post(url, {"role": "member"})  # the only convener: refused
    convener.refresh_from_db()
    assert convener.role == Member.Role.CONVENER
    client.post(reverse("commissions:member_decide", args=[body.slug, member.pk]), {"role": "convener"})
    member.refresh_from_db()
    assert member.role == Member.Role.CONVENER
    client.force_login(commission["member"])  # now a convener: may manage
    assert client.get(reverse("commissions:members", args=[body.slug])).status_code == 200


# Meetings ------------------------------------------------------------------------------------


def test_meeting_create_registration_attendance(client, commission):
    body = commission["commission"]
    client.force_login(commission["convener"])
    starts = timezone.localtime() + datetime.timedelta(days=10)
    fields = {
        "title": "Réunion de rentrée",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "",
        "video_url": "",
        "agenda": "1. Rentrée",
    }
    response = client.post(reverse("commissions:meeting_create", args=[body.slug]), fields)
    assert response.status_code == 400  # no place nor video link, and ends before it starts
    assert not body.meetings.exists()
    fields.update(ends_at=(starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), place="Toulouse")
    response = client.post(reverse("commissions:meeting_create", args=[body.slug]), fields)
    meeting = body.meetings.get()
    assert response.url == reverse("commissions:meeting", args=[body.slug, meeting.pk])
    assert meeting.sequence == 0

    client.force_login(commission["member"])
    url = reverse("commissions:meeting", args=[body.slug, meeting.pk])
    client.post(url, {"action": "register", "answer": "excused"})
    client.post(url, {"action": "register", "answer": "attending"})
    registration = Registration.objects.get()
    assert (registration.member.user, registration.answer) == (commission["member"], "attending")

    # A change of the meeting bumps its calendar revision.
    client.force_login(commission["convener"])
    fields["place"] = "Montpellier"
    client.post(url, {"action": "update", **fields})
    meeting.refresh_from_db()
    assert (meeting.place, meeting.sequence) == ("Montpellier", 1)

    # Attendance is for the past meeting.
    past = _meeting(body, days=-1)
    other = _member(body, commission["other_member"])
    member = _member(body, commission["member"])
    Registration.objects.create(meeting=past, member=member, answer="attending")
    past_url = reverse("commissions:meeting", args=[body.slug, past.pk])
    client.post(past_url, {"action": "attendance", "present": [other.pk]})
    attended = dict(past.registrations.values_list("member_id", "attended"))
    assert attended == {member.pk: False, other.pk: True}


def test_minutes_are_sanitised(client, commission):
    body = commission["commission"]
    meeting = _meeting(body, days=-2)
    client.force_login(commission["convener"])
    url = reverse("commissions:meeting_minutes", args=[body.slug, meeting.pk])
    minutes = (
        '<h2>Décisions</h2><p onclick="steal()">Bonjour <strong>tous</strong></p>'
        "<script>alert('x')</script>"
        '<a href="https://example.org/cr" target="_blank">lien</a><a href="javascript:alert(1)">piège</a>'
        '<img src="x" onerror="alert(1)"><p style="color:red">couleur</p>'
    )
    client.post(url, {"action": "minutes", "minutes": minutes, "public": "on"})
    meeting.refresh_from_db()
    assert "<script" not in meeting.minutes
    assert "alert" not in meeting.minutes
    assert "onclick" not in meeting.minutes
    assert "onerror" not in meeting.minutes and "<img" not in meeting.minutes
    assert "style=" not in meeting.minutes and "javascript:" not in meeting.minutes
    assert "<h2>Décisions</h2>" in meeting.minutes
    assert "<strong>tous</strong>" in meeting.minutes
    assert 'rel="noopener' in meeting.minutes
    assert meeting.minutes_public
    page = client.get(reverse("commissions:commission", args=[body.slug])).content.decode()
    assert "steal()" not in page and "<strong>tous</strong>" in page


def test_plain_text_minutes_become_paragraphs(commission):
    meeting = _meeting(commission["commission"], days=-2)
    services.minutes_save(meeting=meeting, minutes="Premier point\n\nSecond point & suite")
    assert meeting.minutes.count("<p>") == 2
    assert "&amp; suite" in meeting.minutes


def test_minutes_wait_for_the_meeting(commission):
    meeting = _meeting(commission["commission"], days=2)
    with pytest.raises(services.ValidationError):
        services.minutes_save(meeting=meeting, minutes="Trop tôt")


def test_carried_over_actions(client, commission):
    body = commission["commission"]
    owner = _member(body, commission["member"])
    first = _meeting(body, days=-60, title="Première")
    second = _meeting(body, days=-30, title="Deuxième")
    third = _meeting(body, days=10, title="Troisième")
    open_one = services.outcome_add(meeting=first, kind="action", text="Action ouverte", owner=owner)
    done = services.outcome_add(meeting=first, kind="action", text="Action faite", owner=owner)
    services.outcome_add(meeting=first, kind="decision", text="Une décision")
    later = services.outcome_add(meeting=second, kind="action", text="Action de la deuxième")
    services.outcome_set_status(outcome=done, status=Outcome.Status.DONE)

    assert list(services.open_actions(body, before=second)) == [open_one]
    assert list(services.open_actions(body, before=third)) == [open_one, later]
    assert list(services.open_actions(body, before=first)) == []

    client.force_login(commission["member"])
    page = client.get(reverse("commissions:meeting", args=[body.slug, third.pk])).content.decode()
    assert "Action ouverte" in page and "Action de la deuxième" in page
    assert "Action faite" not in page
    # Done through the minutes page of a later meeting: it stops carrying over.
    client.force_login(commission["convener"])
    minutes = reverse("commissions:meeting_minutes", args=[body.slug, second.pk])
    client.post(minutes, {"action": "status", "outcome": open_one.pk, "status": "done"})
    assert list(services.open_actions(body, before=third)) == [later]


def test_outcome_owner_must_be_a_member(commission):
    body = commission["commission"]
    meeting = _meeting(body, days=-1)
    other = Commission.objects.create(slug="autre", name="Autre", purpose="…")
    stranger = Member.objects.create(commission=other, user=commission["outsider"], state="active")
    with pytest.raises(services.ValidationError):
        services.outcome_add(meeting=meeting, kind="action", text="Faire", owner=stranger)


# Activity ------------------------------------------------------------------------------------


def _activity_data(body: Commission, members: list[Member], year: int) -> dict[str, int]:
    """Meetings of ``year`` (all past) with attendances, decisions and actions; and noise
    outside the year or the commission that must not count."""
    paris = timezone.get_default_timezone()
    days = [
        datetime.datetime(year, 3, 10, 14, tzinfo=paris),
        datetime.datetime(year, 10, 5, 14, tzinfo=paris),
    ]
    expected = {"meetings": 0, "present": 0, "recorded": 0, "decisions": 0, "actions": 0, "done": 0}
    for index, starts in enumerate(days):
        meeting = services.meeting_create(
            commission=body,
            title=f"Réunion {index}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Toulouse",
            agenda="…",
        )
        expected["meetings"] += 1
        present = members[: index + 1]
        for member in members:
            Registration.objects.create(meeting=meeting, member=member, answer="attending")
        services.attendance_mark(meeting=meeting, present=present)
        expected["present"] += len(present)
        expected["recorded"] += len(members)
        services.outcome_add(meeting=meeting, kind="decision", text="Décision")
        expected["decisions"] += 1
        action = services.outcome_add(meeting=meeting, kind="action", text="Action")
        expected["actions"] += 1
        if index == 0:
            services.outcome_set_status(outcome=action, status="done")
            expected["done"] += 1
    noise = services.meeting_create(
        commission=body,
        title="L’année d’avant",
        starts_at=datetime.datetime(year - 1, 12, 31, 20, tzinfo=paris),
        ends_at=datetime.datetime(year - 1, 12, 31, 22, tzinfo=paris),
        place="Toulouse",
        agenda="…",
    )
    services.outcome_add(meeting=noise, kind="decision", text="Hors année")
    document = Document.objects.create(commission=body, title="Programme")
    expected["documents"] = 1
    Document.objects.filter(pk=document.pk).update(created_at=datetime.datetime(year, 5, 1, 12, tzinfo=paris))
    return expected


def test_activity_figures(commission):
    body = commission["commission"]
    members = list(body.members.filter(state="active").order_by("pk"))
    year = timezone.localdate().year - 1
    expected = _activity_data(body, members, year)
    with CaptureQueriesContext(connection) as queries:
        figures = services.activity(body, year)
    assert len(queries) == 1
    assert figures["meetings_held"] == expected["meetings"]
    assert figures["attendances"] == expected["present"]
    assert figures["attendances_recorded"] == expected["recorded"]
    assert figures["attendance_rate"] == round(100 * expected["present"] / expected["recorded"])
    assert figures["decisions"] == expected["decisions"]
    assert figures["actions"] == expected["actions"]
    assert figures["actions_done"] == expected["done"]
    assert figures["documents_added"] == expected["documents"]
    empty = services.activity(body, year - 5)
    assert empty["meetings_held"] == 0 and empty["attendance_rate"] is None


def test_activity_page_and_csv(client, commission):
    body = commission["commission"]
    members = list(body.members.filter(state="active").order_by("pk"))
    year = timezone.localdate().year - 1
    expected = _activity_data(body, members, year)
    client.force_login(commission["convener"])
    page = client.get(reverse("commissions:activity", args=[body.slug]), {"year": year})
    assert page.status_code == 200 and str(year) in page.content.decode()
    assert client.get(reverse("commissions:activity", args=[body.slug]), {"year": "abc"}).status_code == 400
    response = client.get(reverse("commissions:activity_csv", args=[body.slug]), {"year": year})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows[0]) == 4
    values = {row[2]: row[3] for row in rows[1:]}
    assert all(row[0] == body.name and row[1] == str(year) for row in rows[1:])
    assert str(expected["meetings"]) in values.values()
    assert len(rows) - 1 == 7
    assert (
        client.get(reverse("commissions:activity_csv", args=[body.slug]), {"year": "1800"}).status_code == 400
    )


# Lists ---------------------------------------------------------------------------------------


def _commissions(prefix: str, count: int) -> None:
    """``count`` commissions, each with a convener, a member, a past and a coming meeting."""
    for index in range(count):
        body = Commission.objects.create(
            slug=f"{prefix}{index}", name=f"Commission {prefix}{index}", purpose="Objet"
        )
        for number, role in enumerate(("convener", "member")):
            user = make_user("registered", email=f"{prefix}{index}-{number}@example.org")
            Member.objects.create(commission=body, user=user, state="active", role=role)
        _meeting(body, days=5 + index, title=f"Réunion {prefix}{index}")
        _meeting(body, days=-5, title=f"Passée {prefix}{index}")


def _index_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("commissions:index"))
    assert response.status_code == 200
    return len(queries)


def test_index_queries_do_not_grow(client, commission):
    client.force_login(commission["member"])
    _commissions("a", 1)
    assert Commission.objects.count() == 2
    small = _index_queries(client)
    _commissions("b", 4)
    assert Commission.objects.count() == 6
    assert _index_queries(client) == small
    page = client.get(reverse("commissions:index")).content.decode()
    assert "Réunion b3" in page and "Commission a0" in page


def test_index_shows_next_meeting_and_counts(client, commission):
    body = commission["commission"]
    _meeting(body, days=20, title="Plus tard")
    _meeting(body, days=2, title="Bientôt")
    _meeting(body, days=-2, title="Passée")
    response = client.get(reverse("commissions:index"))
    listed = next(c for c in response.context["commissions"] if c.pk == body.pk)
    assert listed.next_meeting_title == "Bientôt"
    assert listed.members_count == body.members.filter(state="active").count()
    assert [m.user for m in listed.conveners] == [commission["convener"]]


# Demo ----------------------------------------------------------------------------------------


def test_demo_seed_is_idempotent_and_sends_nothing(settings, tmp_path):
    from maillage.accounts import demo as accounts_demo
    from maillage.commissions import demo
    from maillage.core.seeding import DemoReport

    accounts_demo.seed(DemoReport())
    first = DemoReport()
    demo.seed(first)
    slugs = [slug for slug, *_rest in demo.COMMISSIONS]
    assert list(
        Commission.objects.filter(slug__in=slugs).order_by("slug").values_list("slug", flat=True)
    ) == sorted(slugs)
    assert Commission.objects.get(slug="agir-au-senegal").country == "SN"
    assert Commission.objects.get(slug="agir-a-madagascar").country == "MG"
    now = timezone.now()
    for body in Commission.objects.filter(slug__in=slugs):
        assert body.members.filter(state="active", role="convener").exists()
        assert body.meetings.filter(starts_at__gt=now).count() == 1
        past = body.meetings.filter(starts_at__lte=now)
        assert past.count() == 2 and all(meeting.minutes for meeting in past)
        assert Outcome.objects.filter(meeting__commission=body, kind="decision").exists()
        assert services.open_actions(body).exists()
    counts = {model: model.objects.count() for model in (Commission, Member, Meeting, Registration, Outcome)}
    demo.seed(DemoReport())
    assert {model: model.objects.count() for model in counts} == counts
    assert not OutgoingEmail.objects.filter(key__startswith="commissions:").exists()
    assert first.created["commissions"] == len(slugs)
    assert all(login[1] not in {email for email, *_rest in demo.EXTRA_ACCOUNTS} for login in first.logins)


# Administration ------------------------------------------------------------------------------


def test_admin_pages(client, users, commission):
    body = commission["commission"]
    meeting = _meeting(body, days=3)
    pages = [
        reverse("admin:commissions_commission_changelist"),
        reverse("admin:commissions_commission_change", args=[body.pk]),
        reverse("admin:commissions_commission_add"),
        reverse("admin:commissions_meeting_changelist"),
        reverse("admin:commissions_meeting_change", args=[meeting.pk]),
    ]
    client.force_login(users["staff"])
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(commission["convener"])  # conveners run their commission from its pages
    assert client.get(pages[0]).status_code == 302


def _grow(body: Commission, prefix: str, count: int) -> None:
    """``count`` more members, each with a registration, an action and a past meeting."""
    for index in range(count):
        user = make_user("registered", email=f"{prefix}{index}@example.org")
        member = Member.objects.create(commission=body, user=user, state="active")
        past = _meeting(body, days=-10 - index, title=f"Passée {prefix}{index}")
        coming = _meeting(body, days=10 + index, title=f"Prochaine {prefix}{index}")
        services.minutes_save(meeting=past, minutes="<p>CR</p>", public=True)
        services.outcome_add(meeting=past, kind="action", text=f"Action {prefix}{index}", owner=member)
        Registration.objects.create(meeting=past, member=member, answer="attending", attended=True)
        services.registration_set(meeting=coming, member=member, answer="excused")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_commission_and_meeting_pages_queries_do_not_grow(client, commission):
    body = commission["commission"]
    last = _meeting(body, days=30, title="Dernière")
    client.force_login(commission["convener"])
    page = reverse("commissions:commission", args=[body.slug])
    meeting = reverse("commissions:meeting", args=[body.slug, last.pk])
    minutes = reverse("commissions:meeting_minutes", args=[body.slug, last.pk])
    _grow(body, "a", 1)
    small = [_queries(client, url) for url in (page, meeting, minutes)]
    _grow(body, "b", 5)
    assert [_queries(client, url) for url in (page, meeting, minutes)] == small
    assert "Action b4" in client.get(meeting).content.decode()  # carried over
