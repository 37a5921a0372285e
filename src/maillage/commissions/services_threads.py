"""Writes on the discussion threads, and the e-mails they cause.

A message is stored as sanitised HTML (``services.minutes_clean``, like the minutes). Once it
is committed, members who chose "at once" get one e-mail each, and anyone mentioned
(``@Prénom Nom`` or ``@adresse``) gets one whatever their choice; the others read it in their
daily or weekly digest. Every e-mail carries its key in the outbox, so that nothing is ever
sent twice, and a one-click unsubscribe link."""

import datetime
import html
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.commissions.models import Commission, Member, Post, Thread
from maillage.commissions.services import minutes_clean
from maillage.core.emails import email_queue_template
from maillage.core.models import OutgoingEmail


def edit_minutes() -> int:
    return int(settings.MAILLAGE_POST_EDIT_MINUTES)


def post_editable(post: Post, user: Any, now: datetime.datetime | None = None) -> bool:
    """The author may correct a message for ``MAILLAGE_POST_EDIT_MINUTES``, unless it was hidden."""
    now = now or timezone.now()
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and post.hidden_by_id is None
        and now - post.created_at <= datetime.timedelta(minutes=edit_minutes())
    )


def _body(text: str) -> str:
    body = minutes_clean(text)  # the one sanitiser of the commissions' rich text
    if not strip_tags(body).strip():
        raise ValidationError({"body": _("The message is empty (scripts and unsafe content are removed).")})
    return body


def mentions_find(commission: Commission, text: str) -> list[User]:
    """Active members named in ``text`` as ``@Prénom Nom`` or ``@e-mail``, case and accents as typed."""
    haystack = html.unescape(strip_tags(text)).casefold()
    if "@" not in haystack:
        return []
    found = []
    for member in commission.members.filter(state=Member.State.ACTIVE).select_related("user"):
        user = member.user
        names = [f"@{user.email}".casefold()]
        full_name = " ".join(user.get_full_name().split())
        if full_name:
            names.append(f"@{full_name}".casefold())
        if any(re.search(re.escape(name) + r"(?!\w)", haystack) for name in names):
            found.append(user)
    return found


def _post_store(*, thread: Thread, author: User, body: str) -> Post:
    post = Post.objects.create(thread=thread, author=author, body=body)
    post.mentions.set([user for user in mentions_find(thread.commission, body) if user.pk != author.pk])
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at, updated_at=timezone.now())
    thread.last_post_at = post.created_at
    transaction.on_commit(lambda: _notify_later(post.pk))
    return post


def _notify_later(post_id: int) -> None:
    from maillage.commissions.tasks import post_notify

    post_notify.delay(post_id)


@transaction.atomic
def thread_create(*, commission: Commission, author: User, title: str, body: str) -> Thread:
    """A new topic and its first message."""
    thread = Thread.objects.create(commission=commission, author=author, title=title.strip())
    _post_store(thread=thread, author=author, body=_body(body))
    return thread


@transaction.atomic
def post_create(*, thread: Thread, author: User, body: str) -> Post:
    """A reply. Raises ValidationError if the thread is closed to replies."""
    if thread.locked:
        raise ValidationError(_("This thread is closed to replies."))
    return _post_store(thread=thread, author=author, body=_body(body))


@transaction.atomic
def post_edit(*, post: Post, user: User, body: str) -> Post:
    """The author's correction, within the edit window; people newly mentioned are told."""
    if not post_editable(post, user):
        raise PermissionDenied(
            _("A message can only be corrected by its author, within %(minutes)s minutes.")
            % {"minutes": edit_minutes()}
        )
    post.body = _body(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at", "updated_at"])
    before = set(post.mentions.values_list("pk", flat=True))
    mentioned = [
        user for user in mentions_find(post.thread.commission, post.body) if user.pk != post.author_id
    ]
    post.mentions.set(mentioned)
    if {user.pk for user in mentioned} - before:
        transaction.on_commit(lambda: _notify_later(post.pk))
    return post


@transaction.atomic
def post_moderate(*, post: Post, moderator: User, hide: bool) -> Post:
    """Hide a message from the members (its author and the moderators still see it), or show
    it again. The history records who did it."""
    post.hidden_by = moderator if hide else None
    post.save(update_fields=["hidden_by", "updated_at"])
    return post


@transaction.atomic
def member_notify_set(*, member: Member, notify: str) -> Member:
    """How the member hears of new messages: immediate, daily, weekly, or none."""
    if notify not in Member.Notify.values:
        raise ValidationError({"notify": _("Choose one of the proposed options.")})
    if notify in (Member.Notify.DAILY, Member.Notify.WEEKLY) and member.notify not in (
        Member.Notify.DAILY,
        Member.Notify.WEEKLY,
    ):
        member.digest_sent_at = timezone.now()  # the first digest starts from now, not from joining
    member.notify = notify
    member.save(update_fields=["notify", "digest_sent_at", "updated_at"])
    return member


@transaction.atomic
def member_unsubscribe(*, token: Any) -> Member | None:
    """No more e-mail about the threads for the membership holding ``token`` (one click)."""
    member = Member.objects.filter(unsubscribe_token=token).first()
    if member is not None and member.notify != Member.Notify.NONE:
        member.notify = Member.Notify.NONE
        member.save(update_fields=["notify", "updated_at"])
    return member


# --- E-mail -----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return str(settings.MAILLAGE_SITE_URL).rstrip("/") + path


def plain_text(body: str) -> str:
    """A stored message as text for an e-mail: paragraphs kept, tags dropped."""
    text = body.replace("<br>", "\n").replace("</p>", "\n\n").replace("</li>", "\n")
    return "\n".join(line.strip() for line in html.unescape(strip_tags(text)).strip().splitlines())


def _send(*, member: Member, template: str, context: dict[str, Any], key: str) -> None:
    """Queue ``commissions/email/<template>.txt`` (first line: the subject) to ``member``, in
    their language, with the unsubscribe and settings links."""
    user = member.user
    unsubscribe_url = _absolute(reverse("commissions:unsubscribe", args=[member.unsubscribe_token]))
    context = {
        "member": member,
        "commission": member.commission,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": _absolute(reverse("commissions:notifications", args=[member.commission.slug])),
        **context,
    }
    email_queue_template(
        to=[user.email],
        template=f"commissions/email/{template}.txt",
        context=context,
        language=user.language,
        key=key,
        # One-click unsubscribe in the mail client (RFC 8058): a POST to the same link.
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def post_notify(*, post_id: int) -> int:
    """E-mail a new message to the members who want it at once and to those it mentions,
    the author aside. Safe to run twice: each e-mail has its key. Returns how many were queued."""
    post = (
        Post.objects.select_related("thread__commission", "author").filter(pk=post_id, hidden_by=None).first()
    )
    if post is None:
        return 0
    commission = post.thread.commission
    mentioned = set(post.mentions.values_list("pk", flat=True))
    recipients = commission.members.filter(state=Member.State.ACTIVE, user__is_active=True).select_related(
        "user", "commission"
    )
    if post.author_id is not None:
        recipients = recipients.exclude(user_id=post.author_id)
    url = _absolute(
        reverse("commissions:thread", args=[commission.slug, post.thread_id]) + f"#message-{post.pk}"
    )
    queued = 0
    for member in recipients:
        if member.notify != Member.Notify.IMMEDIATE and member.user_id not in mentioned:
            continue
        _send(
            member=member,
            template="post",
            context={
                "post": post,
                "thread": post.thread,
                "author": post.author,
                "text": plain_text(post.body),
                "url": url,
                "mentioned": member.user_id in mentioned,
            },
            key=f"post:{post.pk}:to:{member.pk}",
        )
        queued += 1
    Post.objects.filter(pk=post.pk).update(notified=True)
    return queued


def digest_period(frequency: str, now: datetime.datetime) -> str:
    """The day ("2026-03-02") or ISO week ("2026-W10") a digest covers, for its outbox key."""
    day = timezone.localdate(now)
    if frequency == Member.Notify.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def digests_send(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """One e-mail per member who chose ``frequency`` (daily or weekly) with the visible
    messages of their commission since their last digest (or since they joined), their own
    aside. A second run in the same period sends nothing. Returns how many were queued."""
    if frequency not in (Member.Notify.DAILY, Member.Notify.WEEKLY):
        raise ValueError(frequency)
    now = now or timezone.now()
    period = digest_period(frequency, now)
    members = list(
        Member.objects.filter(
            state=Member.State.ACTIVE, notify=frequency, user__is_active=True, commission__active=True
        ).select_related("user", "commission")
    )
    if not members:
        return 0
    since = {member.pk: member.digest_sent_at or member.created_at for member in members}
    posts_by_commission: dict[int, list[Post]] = defaultdict(list)
    posts = Post.objects.filter(
        thread__commission__in={member.commission_id for member in members},
        hidden_by=None,
        created_at__gt=min(since.values()),
        created_at__lte=now,
    ).select_related("thread", "author")
    for post in posts.order_by("thread__title", "thread_id", "created_at"):
        posts_by_commission[post.thread.commission_id].append(post)
    already = set(
        OutgoingEmail.objects.filter(
            key__in=[f"digest:{member.pk}:{period}" for member in members]
        ).values_list("key", flat=True)
    )
    queued = 0
    for member in members:
        key = f"digest:{member.pk}:{period}"
        if key in already:
            continue  # sent this period: the next digest picks up from digest_sent_at
        news = [
            post
            for post in posts_by_commission[member.commission_id]
            if post.created_at > since[member.pk] and post.author_id != member.user_id
        ]
        with transaction.atomic():
            if news:
                _send(
                    member=member,
                    template="digest",
                    context={"threads": _by_thread(news, member.commission.slug)},
                    key=key,
                )
                queued += 1
            Member.objects.filter(pk=member.pk).update(digest_sent_at=now)
    return queued


def _by_thread(posts: Iterable[Post], slug: str) -> list[dict[str, Any]]:
    threads: dict[int, dict[str, Any]] = {}
    for post in posts:
        entry = threads.setdefault(
            post.thread_id,
            {
                "thread": post.thread,
                "url": _absolute(reverse("commissions:thread", args=[slug, post.thread_id])),
                "posts": [],
            },
        )
        entry["posts"].append({"post": post, "author": post.author, "text": plain_text(post.body)})
    return list(threads.values())
