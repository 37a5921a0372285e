"""Forms of the assemblies' pages: preparing an assembly with its documents, a second
convocation, a member's answer, and the door's search.

Documents are checked by their content, not their name (``core.uploads``): an executable renamed
``rapport.pdf`` is refused."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.uploads import validate_document
from maillage.governance.models import Assembly, Participation


def _datetime_field(label: Any) -> forms.SplitDateTimeField:
    return forms.SplitDateTimeField(
        label=label,
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date", "aria-label": cast(str, gettext_lazy("Day"))},
            time_attrs={"type": "time", "aria-label": cast(str, gettext_lazy("Time of day"))},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
        help_text=gettext_lazy("Paris time."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files at once, each checked."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.odt,.docx"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(DocumentsField, self).clean(upload, initial) for upload in files]
        errors = []
        for upload in cleaned:
            try:
                validate_document(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


class AssemblyForm(forms.ModelForm):
    starts_at = _datetime_field(gettext_lazy("Date and time"))
    documents = DocumentsField(
        label=gettext_lazy("Documents (PDF, ODT or DOCX, 10 MB at most each)"), required=False
    )

    class Meta:
        model = Assembly
        fields = ("title", "kind", "mode", "starts_at", "place", "online_url", "agenda")
        widgets = {"agenda": forms.Textarea(attrs={"rows": 6})}

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        mode = data.get("mode")
        if mode in (Assembly.Mode.ROOM, Assembly.Mode.HYBRID) and not data.get("place"):
            self.add_error("place", _("Say where the assembly meets."))
        if mode in (Assembly.Mode.ONLINE, Assembly.Mode.HYBRID) and not data.get("online_url"):
            self.add_error("online_url", _("Give the link of the online meeting."))
        return data


class DocumentForm(forms.Form):
    documents = DocumentsField(label=gettext_lazy("Documents (PDF, ODT or DOCX, 10 MB at most each)"))


class SecondConvocationForm(forms.Form):
    starts_at = _datetime_field(gettext_lazy("Date and time of the second convocation"))


class AssemblyFilterForm(forms.Form):
    WHEN = (
        ("upcoming", gettext_lazy("Upcoming")),
        ("past", gettext_lazy("Past")),
        ("all", gettext_lazy("All")),
    )
    when = forms.ChoiceField(label=gettext_lazy("When"), choices=WHEN, required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("Any")), *Assembly.State.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("Any")), *Assembly.Kind.choices],
        required=False,
    )


def eligible_holders(participation: Participation) -> QuerySet[Participation]:
    """Who may hold this member's proxy (the service checks again, with the cap)."""
    holders = (
        Participation.objects.filter(assembly_id=participation.assembly_id, may_vote=True)
        .exclude(pk=participation.pk)
        .exclude(answer=Participation.Answer.PROXY)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if settings.MAILLAGE_PROXY_SAME_COLLEGE:
        holders = holders.filter(college=participation.college)
    return holders


class HolderField(forms.ModelChoiceField):
    """The holders by their member's name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation.name)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[c for c in Participation.Answer.choices if c[0]],
        widget=forms.RadioSelect,
    )
    proxy_holder = HolderField(
        label=gettext_lazy("Member holding the proxy"),
        queryset=Participation.objects.none(),
        required=False,
        empty_label=gettext_lazy("— choose a member —"),
        help_text=gettext_lazy("Only when you give a proxy."),
    )

    def __init__(self, *args: Any, participation: Participation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(HolderField, self.fields["proxy_holder"]).queryset = eligible_holders(participation)
        if not participation.may_vote:  # no voting right: no proxy to give
            cast(forms.ChoiceField, self.fields["answer"]).choices = [
                (value, label) for value, label in Participation.Answer.choices if value not in ("", "proxy")
            ]
            del self.fields["proxy_holder"]


class DoorTokenForm(forms.Form):
    token = forms.UUIDField(label=gettext_lazy("Sign-in code (QR code)"))
