"""Forms of the discussion threads and of the e-mail preference. A message is typed in a plain
text area (paragraphs at blank lines, or simple HTML): the service sanitises it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.commissions.models import Member

BODY_HELP = _(
    "Leave a blank line between paragraphs. To notify a member, write @ followed by their first "
    "and last name or their e-mail address, e.g. @Awa Diallo."
)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
    )


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Topic"), max_length=200)
    field_order = ("title", "body")


class NotifyForm(forms.Form):
    notify = forms.ChoiceField(
        label=_("E-mails about the discussions of this commission"),
        choices=Member.Notify.choices,
        widget=forms.RadioSelect,
    )
