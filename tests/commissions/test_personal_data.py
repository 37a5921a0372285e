"""A member of a commission downloads what the commissions hold about them, and erases it:
memberships end, messages are emptied (the thread stays), history included."""

from maillage.commissions import services_threads
from maillage.commissions.models import Member, Post
from maillage.commissions.personal_data import ERASED
from maillage.core.privacy import personal_data_erase, personal_data_export


def test_a_member_downloads_and_erases_their_messages(commission):
    member = commission["member"]
    thread = services_threads.thread_create(
        commission=commission["commission"],
        author=commission["convener"],
        title="Calendrier",
        body="<p>Quand ?</p>",
    )
    services_threads.post_create(thread=thread, author=member, body="<p>Mon numéro : 06 11 22 33 44</p>")
    exported = personal_data_export(member)["commissions"]
    assert exported["memberships"][0]["commission"] == "Formation"
    assert "06 11 22 33 44" in exported["messages"][0]["body"]

    personal_data_erase(member)
    post = Post.objects.get(thread=thread, author=None)
    assert post.body == ERASED
    assert not any("06 11 22 33 44" in record.body for record in post.history.all())
    assert Member.objects.get(user=member).state == Member.State.LEFT
    assert thread.posts.count() == 2  # the convener's message stays
