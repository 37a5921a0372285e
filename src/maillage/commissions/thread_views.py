"""The discussion threads of a commission (members only), the moderation by its conveners, and
each member's choice of e-mails — down to the one-click unsubscribe from an e-mail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from maillage.commissions import services_threads
from maillage.commissions.document_views import guard
from maillage.commissions.forms_threads import NotifyForm, PostForm, ThreadForm
from maillage.commissions.models import Commission, Member, Post, Thread


def _form_errors(form: PostForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    commission = get_object_or_404(Commission, slug=slug)
    if (refused := guard(request, "commissions.view_members_part", commission)) is not None:
        return refused
    can_post = request.user.has_perm("commissions.add_post", commission)
    form = ThreadForm()
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        form = ThreadForm(request.POST)
        if form.is_valid():
            try:
                thread = services_threads.thread_create(
                    commission=commission,
                    author=request.user,  # type: ignore[arg-type]
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your topic has been published."))
                return redirect("commissions:thread", slug=slug, pk=thread.pk)
    threads = commission.threads.select_related("author").annotate(messages=Count("posts"))
    context = {"commission": commission, "threads": threads, "form": form, "can_post": can_post}
    return render(request, "commissions/thread_list.html", context)


@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("commission"), commission__slug=slug, pk=pk)
    commission = thread.commission
    if (refused := guard(request, "commissions.view_members_part", commission)) is not None:
        return refused
    can_post = not thread.locked and request.user.has_perm("commissions.add_post", commission)
    form = PostForm()
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        form = PostForm(request.POST)
        if form.is_valid():
            try:
                post = services_threads.post_create(
                    thread=thread,
                    author=request.user,  # type: ignore[arg-type]
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your reply has been published."))
                return redirect(f"{_thread_path(slug, thread.pk)}#message-{post.pk}")
    can_moderate = request.user.has_perm("commissions.moderate_post", commission)
    posts = [
        {
            "post": post,
            "editable": services_threads.post_editable(post, request.user),
            "visible": post.hidden_by_id is None or can_moderate,
        }
        for post in thread.posts.select_related("author", "hidden_by")
    ]
    context = {
        "commission": commission,
        "thread": thread,
        "posts": posts,
        "form": form,
        "can_post": can_post,
        "can_moderate": can_moderate,
    }
    return render(request, "commissions/thread.html", context)


def _post(request: HttpRequest, slug: str, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.select_related("thread__commission", "author"), thread__commission__slug=slug, pk=pk
    )


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The author corrects a message within ``MAILLAGE_POST_EDIT_MINUTES``; later, a message
    says why it can no longer be changed."""
    post = _post(request, slug, pk)
    if (refused := guard(request, "commissions.change_post", post)) is not None:
        return refused
    if not services_threads.post_editable(post, request.user):
        messages.error(
            request,
            _("This message can no longer be changed: messages can be corrected within %(minutes)s minutes.")
            % {"minutes": services_threads.edit_minutes()},
        )
        return redirect("commissions:thread", slug=slug, pk=post.thread_id)
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services_threads.post_edit(post=post, user=request.user, body=form.cleaned_data["body"])  # type: ignore[arg-type]
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your message has been corrected."))
            return redirect(f"{_thread_path(slug, post.thread_id)}#message-{post.pk}")
    context = {"commission": post.thread.commission, "thread": post.thread, "post": post, "form": form}
    return render(request, "commissions/thread_post_edit.html", context)


def _thread_path(slug: str, thread_id: int) -> str:
    return reverse("commissions:thread", args=[slug, thread_id])


@require_POST
def post_moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Conveners and staff hide a message from the members, or show it again."""
    post = _post(request, slug, pk)
    if (refused := guard(request, "commissions.moderate_post", post)) is not None:
        return refused
    hide = request.POST.get("action") != "show"
    services_threads.post_moderate(post=post, moderator=request.user, hide=hide)  # type: ignore[arg-type]
    messages.success(request, _("The message is hidden.") if hide else _("The message is shown again."))
    return redirect(f"{_thread_path(slug, post.thread_id)}#message-{post.pk}")


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest, slug: str) -> HttpResponse:
    commission = get_object_or_404(Commission, slug=slug)
    if (refused := guard(request, "commissions.add_post", commission)) is not None:
        return refused
    member = get_object_or_404(commission.members, user=request.user, state=Member.State.ACTIVE)
    form = NotifyForm(request.POST or None, initial={"notify": member.notify})
    if request.method == "POST" and form.is_valid():
        services_threads.member_notify_set(member=member, notify=form.cleaned_data["notify"])
        messages.success(request, _("Your choice has been saved."))
        return redirect("commissions:notifications", slug=slug)
    return render(request, "commissions/notifications.html", {"commission": commission, "form": form})


@csrf_exempt  # the token in the URL is the secret; mail clients POST without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an e-mail, without logging in: GET asks to confirm (a link checker must
    not unsubscribe anyone), POST — from the page or the mail client's
    ``List-Unsubscribe=One-Click`` — stops the e-mails of this commission."""
    member = get_object_or_404(Member.objects.select_related("commission"), unsubscribe_token=token)
    if request.method == "POST":
        services_threads.member_unsubscribe(token=member.unsubscribe_token)
        return render(
            request, "commissions/notifications_unsubscribed.html", {"commission": member.commission}
        )
    return render(
        request,
        "commissions/notifications_unsubscribe.html",
        {"commission": member.commission, "member": member},
    )
