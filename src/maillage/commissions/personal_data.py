"""The personal data of the commissions: a user's memberships, the messages they wrote and the
documents they uploaded. Erasure ends the memberships, empties the messages (the threads keep
their order and the others' replies) and forgets who uploaded what; the documents stay, as the
commission's work."""

from typing import Any

from django.utils import timezone

from maillage.accounts.models import User
from maillage.commissions.models import DocumentVersion, Member, Post
from maillage.core.privacy import history_scrub

ERASED = "<p>—</p>"  # what is left of an erased message


def export(user: User) -> dict[str, Any]:
    return {
        "memberships": [
            {
                "commission": member.commission.name,
                "role": member.role,
                "state": member.state,
                "start": member.start.isoformat() if member.start else None,
                "end": member.end.isoformat() if member.end else None,
                "notify": member.notify,
            }
            for member in Member.objects.filter(user=user).select_related("commission")
        ],
        "messages": [
            {"thread": post.thread.title, "written_at": post.created_at.isoformat(), "body": post.body}
            for post in Post.objects.filter(author=user).select_related("thread")
        ],
        "documents_uploaded": [
            {"document": version.document.title, "version": version.number, "file": version.filename}
            for version in DocumentVersion.objects.filter(uploaded_by=user).select_related("document")
        ],
    }


def erase(user: User) -> None:
    today = timezone.localdate()
    Member.objects.filter(user=user, state__in=["requested", "invited", "active"]).update(
        state=Member.State.LEFT, end=today
    )
    for post in Post.objects.filter(author=user):
        post.body, post.author = ERASED, None
        post._change_reason = "erasure"  # type: ignore[attr-defined]
        post.save(update_fields=["body", "author", "updated_at"])
        history_scrub(Post, post.pk, {"body": ERASED, "author_id": None})
    for post in Post.objects.filter(mentions=user):
        post.mentions.remove(user)
    DocumentVersion.objects.filter(uploaded_by=user).update(uploaded_by=None)
