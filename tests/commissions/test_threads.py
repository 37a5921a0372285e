"""Discussion threads: topics and replies, sanitised messages, mentions, edit window, moderation,
e-mail preferences, immediate e-mails (one through a real SMTP server), digests, unsubscribe."""

# ruff: noqa: F811 (the imported SMTP fixture is a parameter of a test)

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from maillage.commissions import services_threads
from maillage.commissions.models import Member, Post, Thread
from maillage.commissions.tasks import digests_send
from maillage.core.models import OutgoingEmail
from tests.access import LOGIN, assert_access
from tests.core.test_emails import smtp_server  # noqa: F401 — the real SMTP server fixture

SCRIPT = '<p onclick="steal()">Bonjour</p><script>alert("pris")</script><a href="javascript:alert(1)">ici</a>'


def _membership(commission, role: str) -> Member:
    return Member.objects.get(commission=commission["commission"], user=commission[role])


def _notify(commission, **choices: str) -> None:
    for role, notify in choices.items():
        Member.objects.filter(commission=commission["commission"], user=commission[role]).update(
            notify=notify
        )


@pytest.fixture
def thread(commission):
    return services_threads.thread_create(
        commission=commission["commission"],
        author=commission["convener"],
        title="Calendrier des formations 2026",
        body="Quelles dates pour les sessions d’automne ?",
    )


def test_a_member_starts_a_topic_and_another_replies(client, commission, django_capture_on_commit_callbacks):
    client.force_login(commission["member"])
    response = client.post(
        reverse("commissions:threads", args=["formation"]),
        {"title": "Échanges de pratiques", "body": "Premier paragraphe.\n\nSecond paragraphe."},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("commissions:thread", args=["formation", thread.pk])
    first = thread.posts.get()
    assert first.author == commission["member"]
    assert first.body == "<p>Premier paragraphe.</p>\n\n<p>Second paragraphe.</p>"

    client.force_login(commission["other_member"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commissions:thread", args=["formation", thread.pk]), {"body": "Je participe !"}
        )
    reply = thread.posts.latest("created_at")
    assert response.url.endswith(f"#message-{reply.pk}")
    thread.refresh_from_db()
    assert thread.last_post_at == reply.created_at
    page = client.get(reverse("commissions:thread", args=["formation", thread.pk])).content.decode()
    assert "Second paragraphe." in page and "Je participe !" in page
    rows = client.get(reverse("commissions:threads", args=["formation"])).context["threads"]
    assert [(t.title, t.messages - 1) for t in rows] == [("Échanges de pratiques", 1)]


def test_the_list_of_topics_takes_the_same_queries_however_long(client, commission, thread):
    client.force_login(commission["member"])
    url = reverse("commissions:threads", args=["formation"])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(3):
        services_threads.thread_create(
            commission=commission["commission"],
            author=commission["member"],
            title=f"Sujet {number}",
            body="Texte",
        )
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(more) == len(few)
    assert len(response.context["threads"]) == 4


def test_a_thread_page_takes_the_same_queries_however_many_messages(client, commission, thread):
    client.force_login(commission["convener"])  # a moderator: every message shows its buttons
    url = reverse("commissions:thread", args=["formation", thread.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(3):
        services_threads.post_create(thread=thread, author=commission["member"], body=f"Réponse {number}")
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(more) == len(few)
    assert len(response.context["posts"]) == 4


def test_a_script_in_a_message_is_neutralised(client, commission, thread):
    client.force_login(commission["member"])
    client.post(reverse("commissions:thread", args=["formation", thread.pk]), {"body": SCRIPT})
    stored = thread.posts.latest("created_at").body
    assert "Bonjour" in stored
    for dangerous in ("<script", "onclick", "javascript:", "alert("):
        assert dangerous not in stored
    page = client.get(reverse("commissions:thread", args=["formation", thread.pk])).content.decode()
    assert "Bonjour" in page
    for dangerous in ('alert("pris")', "onclick", "javascript:alert"):
        assert dangerous not in page


def test_a_message_of_nothing_but_script_is_refused(client, commission, thread):
    client.force_login(commission["member"])
    response = client.post(
        reverse("commissions:thread", args=["formation", thread.pk]), {"body": "<script>alert(1)</script>"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert thread.posts.count() == 1


def test_a_mentioned_member_is_told_at_once_whatever_their_choice(
    client, commission, thread, django_capture_on_commit_callbacks
):
    _notify(commission, other_member=Member.Notify.NONE, convener=Member.Notify.WEEKLY)
    client.force_login(commission["member"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("commissions:thread", args=["formation", thread.pk]),
            {"body": "Merci @Odile, et toi @CONVENER@example.org ? (@Oscar n’est pas membre)"},
        )
    post = thread.posts.latest("created_at")
    assert set(post.mentions.all()) == {commission["other_member"], commission["convener"]}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "convener@example.org",
        "other-member@example.org",
    ]
    to_odile = next(message for message in mail.outbox if message.to == ["other-member@example.org"])
    token = _membership(commission, "other_member").unsubscribe_token
    assert reverse("commissions:unsubscribe", args=[token]) in to_odile.body
    assert "Merci @Odile" in to_odile.body
    assert OutgoingEmail.objects.filter(key=f"post:{post.pk}:to:{_membership(commission, 'other_member').pk}")
    assert post.mentions.filter(pk=commission["member"].pk).exists() is False


def test_immediate_e_mails_go_to_those_who_chose_them_but_the_author_once_only(
    commission, thread, django_capture_on_commit_callbacks
):
    _notify(
        commission,
        convener=Member.Notify.IMMEDIATE,
        member=Member.Notify.IMMEDIATE,
        other_member=Member.Notify.DAILY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        post = services_threads.post_create(
            thread=thread, author=commission["member"], body="Le 12 octobre ?"
        )
    assert [message.to for message in mail.outbox] == [["convener@example.org"]]
    message = mail.outbox[0]
    assert "Le 12 octobre ?" in message.body
    assert (
        settings.MAILLAGE_SITE_URL + reverse("commissions:thread", args=["formation", thread.pk])
        in message.body
    )
    token = _membership(commission, "convener").unsubscribe_token
    assert reverse("commissions:unsubscribe", args=[token]) in message.body
    # The mail client's one-click unsubscribe (RFC 8058) posts to the same link.
    assert message.extra_headers["List-Unsubscribe"].endswith(
        reverse("commissions:unsubscribe", args=[token]) + ">"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    post.refresh_from_db()
    assert post.notified
    with django_capture_on_commit_callbacks(execute=True):
        assert services_threads.post_notify(post_id=post.pk) == 1  # the same key: queued once
    assert len(mail.outbox) == 1


def test_the_immediate_e_mail_reaches_a_real_smtp_server(
    commission, thread, smtp_server, django_capture_on_commit_callbacks
):
    _notify(commission, other_member=Member.Notify.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        services_threads.post_create(
            thread=thread, author=commission["member"], body="Rendez-vous à Montpellier."
        )
    received = [message for message in smtp_server.messages if message["To"] == "other-member@example.org"]
    assert len(received) == 1
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode() for part in received[0].get_payload()
    }
    assert "Rendez-vous à Montpellier." in parts["text/plain"]
    token = _membership(commission, "other_member").unsubscribe_token
    assert reverse("commissions:unsubscribe", args=[token]) in parts["text/plain"]
    assert OutgoingEmail.objects.get(to=["other-member@example.org"]).status == OutgoingEmail.Status.SENT


def test_the_author_corrects_within_the_window_and_not_after(client, commission, thread):
    post = thread.posts.get()
    url = reverse("commissions:post_edit", args=["formation", post.pk])
    client.force_login(commission["member"])
    assert client.get(url).status_code == 403  # not the author

    client.force_login(commission["convener"])
    response = client.post(url, {"body": "Quelles dates pour les sessions d’automne et d’hiver ?"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert "hiver" in post.body and post.edited_at is not None

    minutes = services_threads.edit_minutes()
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes + 1)
    )
    response = client.post(url, {"body": "Trop tard"}, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    post.refresh_from_db()
    assert "Trop tard" not in post.body
    with translation.override("fr"):
        refusal = gettext(
            "This message can no longer be changed: messages can be corrected within %(minutes)s minutes."
        ) % {"minutes": minutes}
    assert escape(refusal) in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("commissions:thread", args=["formation", thread.pk])


def test_only_conveners_and_staff_moderate(client, commission, thread, users):
    post = thread.posts.get()
    url = reverse("commissions:post_moderate", args=["formation", post.pk])
    assert_access(
        client,
        users,
        url,
        method="post",
        data={"action": "show"},
        expected={
            "visitor": LOGIN,
            "registered": 403,
            "organisation_editor": 403,
            "staff": 302,
            "administrator": 302,
            "elected": 403,
            "auditor": 403,
        },
    )
    for role in ("member", "outsider"):
        client.force_login(commission[role])
        assert client.post(url, {"action": "hide"}).status_code == 403
    post.refresh_from_db()
    assert post.hidden_by is None

    client.force_login(commission["convener"])
    assert client.post(url, {"action": "hide"}).status_code == 302
    post.refresh_from_db()
    assert post.hidden_by == commission["convener"]
    thread_url = reverse("commissions:thread", args=["formation", thread.pk])
    with translation.override("fr"):
        hidden = gettext("Message hidden by the moderators")
    assert "sessions d’automne" in client.get(thread_url).content.decode()  # the moderator still reads it

    client.force_login(commission["member"])
    page = client.get(thread_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert hidden in page and "sessions d’automne" not in page

    client.force_login(commission["convener"])
    client.post(url, {"action": "show"})
    post.refresh_from_db()
    assert post.hidden_by is None


def test_a_member_chooses_their_e_mails(client, commission):
    url = reverse("commissions:notifications", args=["formation"])
    client.force_login(commission["member"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"notify": "weekly"}).status_code == 302
    assert _membership(commission, "member").notify == Member.Notify.WEEKLY
    assert client.post(url, {"notify": "hourly"}).status_code == 200  # not a choice: the form says so
    assert _membership(commission, "member").notify == Member.Notify.WEEKLY
    client.force_login(commission["outsider"])
    assert client.get(url).status_code == 403


def test_a_digest_is_sent_once_with_the_visible_messages_of_others(
    commission, thread, django_capture_on_commit_callbacks
):
    _notify(
        commission,
        convener=Member.Notify.DAILY,
        member=Member.Notify.DAILY,
        other_member=Member.Notify.WEEKLY,
    )
    services_threads.post_create(thread=thread, author=commission["member"], body="Le 12 octobre ?")
    hidden = services_threads.post_create(thread=thread, author=commission["member"], body="Message retiré")
    services_threads.post_moderate(post=hidden, moderator=commission["convener"], hide=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send.delay("daily").get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send.delay("daily").get() == 0  # a second run sends nothing
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["convener@example.org", "member@example.org"]
    to_convener = by_recipient["convener@example.org"].body
    assert "Le 12 octobre ?" in to_convener and "Message retiré" not in to_convener
    assert "Quelles dates" not in to_convener  # the convener's own message
    to_member = by_recipient["member@example.org"].body
    assert "Quelles dates" in to_member and "Le 12 octobre ?" not in to_member
    token = _membership(commission, "member").unsubscribe_token
    assert reverse("commissions:unsubscribe", args=[token]) in to_member
    assert _membership(commission, "member").digest_sent_at is not None
    assert len(mail.outbox) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send.delay("weekly").get() == 1
    assert mail.outbox[-1].to == ["other-member@example.org"]


def test_the_beat_schedule_sends_the_digests():
    tasks = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "maillage.commissions.tasks.digests_send" in tasks
    args = sorted(
        entry["args"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].endswith("digests_send")
    )
    assert args == [("daily",), ("weekly",)]


def test_unsubscribe_by_token_without_logging_in(client, commission):
    member = _membership(commission, "member")
    url = reverse("commissions:unsubscribe", args=[member.unsubscribe_token])
    response = client.get(url)
    assert response.status_code == 200 and b"<form" in response.content
    member.refresh_from_db()
    assert member.notify == Member.Notify.DAILY  # a link checker opening the link changes nothing
    response = client.post(url)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.notify == Member.Notify.NONE


def test_one_click_unsubscribe_from_the_mail_client(client, commission):
    """RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click``, with no session nor CSRF token."""
    csrf_client = client.__class__(enforce_csrf_checks=True)
    member = _membership(commission, "other_member")
    url = reverse("commissions:unsubscribe", args=[member.unsubscribe_token])
    response = csrf_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.notify == Member.Notify.NONE
    other = _membership(commission, "convener")
    assert other.notify == Member.Notify.DAILY
    unknown = url.replace(str(member.unsubscribe_token), "00000000-0000-4000-8000-000000000000")
    assert client.post(unknown).status_code == 404


def test_threads_are_for_members_and_the_back_office(client, commission, thread, users):
    post = thread.posts.get()
    expected = {
        "visitor": LOGIN,
        "registered": 403,
        "organisation_editor": 403,
        "staff": 200,
        "administrator": 200,
        "elected": 403,
        "auditor": 200,
    }
    for url in (
        reverse("commissions:threads", args=["formation"]),
        reverse("commissions:thread", args=["formation", thread.pk]),
    ):
        assert_access(client, users, url, expected=expected)
    posting = {**expected, "staff": 403, "administrator": 403, "auditor": 403}  # reading is not taking part
    assert_access(
        client,
        users,
        reverse("commissions:thread", args=["formation", thread.pk]),
        method="post",
        data={"body": "Intrusion"},
        expected=posting,
    )
    client.force_login(commission["outsider"])
    for url in (
        reverse("commissions:threads", args=["formation"]),
        reverse("commissions:thread", args=["formation", thread.pk]),
        reverse("commissions:post_edit", args=["formation", post.pk]),
        reverse("commissions:notifications", args=["formation"]),
    ):
        assert client.get(url).status_code == 403
    assert thread.posts.count() == 1


def test_the_demo_documents_and_threads_are_seeded_once_and_silently(
    commission, django_capture_on_commit_callbacks
):
    from maillage.commissions import demo_threads
    from maillage.core.seeding import DemoReport

    with django_capture_on_commit_callbacks(execute=True):
        first, second = DemoReport(), DemoReport()
        demo_threads.seed(first)
        demo_threads.seed(second)
    formation = commission["commission"]
    assert formation.threads.count() == len(demo_threads.THREADS) == first.created["discussion threads"]
    assert formation.documents.count() == len(demo_threads.DOCUMENTS) == first.created["documents"]
    assert second.created == {"documents": 0, "discussion threads": 0}
    version = formation.documents.first().versions.get()
    assert version.file.read(5) == b"%PDF-" and version.content_type == "application/pdf"
    assert Post.objects.filter(thread__commission=formation, notified=False).count() == 0
    assert Post.objects.filter(mentions__isnull=False).exists()
    assert mail.outbox == [] and not OutgoingEmail.objects.exists()
