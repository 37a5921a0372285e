"""Staff administration of the directory: organisations with their people, bulk publication,
tagging and the full export."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from maillage.core.admin import RulesModelAdmin
from maillage.directory import services
from maillage.directory.models import Affiliation, Category, Organisation, Person, Tag
from maillage.directory.staff_export import full_export_response


class OrganisationForm(ModelForm):
    class Meta:
        model = Organisation
        fields = "__all__"  # noqa: DJ007 — the administration shows every field

    def _post_clean(self) -> None:
        # After the instance is built from the form (Django's hook), our cross-field rules.
        super()._post_clean()  # type: ignore[misc]
        for field, message in services.organisation_errors(self.instance).items():
            self.add_error(field if field in self.fields else None, message)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("person",)


class TagChoiceForm(forms.Form):
    """The intermediate page of the bulk tagging: an existing tag, or the name of a new one."""

    tag = forms.ModelChoiceField(Tag.objects.all(), label=_("Tag"), required=False, empty_label="—")
    new_tag = forms.CharField(
        label=_("Or a new tag"),
        max_length=80,
        required=False,
        help_text=_("Type a name to create a new tag."),
    )

    def __init__(self, *args: Any, add: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add = add
        if not add:
            del self.fields["new_tag"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("tag") and data.get("new_tag", "").strip():
            raise ValidationError(_("Choose a tag or type a new one, not both."))
        if not data.get("tag") and not data.get("new_tag", "").strip():
            raise ValidationError(
                _("Choose a tag.") if not self.add else _("Choose a tag or type a new one.")
            )
        return data

    def tag_to_apply(self) -> Tag:
        return self.cleaned_data["tag"] or services.tag_get_or_create(name=self.cleaned_data["new_tag"])


@admin.register(Tag)
class TagAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "organisation_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).annotate(organisation_total=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="organisation_total")
    def organisation_count(self, tag: Any) -> int:
        return int(tag.organisation_total)


@admin.register(Organisation)
class OrganisationAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    form = OrganisationForm
    list_display = ("name", "acronym", "kind", "college", "category", "commune", "status", "updated_at")
    list_filter = ("status", "kind", "college", "category", "source", "tags")
    search_fields = ("name", "acronym", "siret", "rna", "commune__name")
    list_select_related = ("category", "commune")
    autocomplete_fields = ("commune",)
    filter_horizontal = ("themes", "sdgs", "dac_sectors", "editors", "tags")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AffiliationInline,)
    actions = ("publish", "archive", "add_tag", "remove_tag", "export_csv", "export_xlsx")

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Organisation], status: str) -> None:
        changed = 0
        for organisation in queryset:
            services.organisation_set_status(organisation=organisation, status=status)
            changed += 1
        message = ngettext("%(count)d organisation updated.", "%(count)d organisations updated.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected organisations"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        self._set_status(request, queryset, Organisation.Status.PUBLISHED)

    @admin.action(description=_("Archive the selected organisations"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        self._set_status(request, queryset, Organisation.Status.ARCHIVED)

    def _tag(
        self, request: HttpRequest, queryset: QuerySet[Organisation], *, add: bool
    ) -> HttpResponse | None:
        """Ask which tag on an intermediate page (as Django's deletion does), then apply it."""
        form = TagChoiceForm(request.POST if "apply" in request.POST else None, add=add)
        if form.is_valid():
            try:
                tag = form.tag_to_apply()
            except ValidationError as exc:
                form.add_error("new_tag", exc.messages)
            else:
                changed = services.organisations_tag(queryset, tag, add=add)
                message = (
                    ngettext(
                        "Tag “%(tag)s” added to %(count)d organisation.",
                        "Tag “%(tag)s” added to %(count)d organisations.",
                        changed,
                    )
                    if add
                    else ngettext(
                        "Tag “%(tag)s” removed from %(count)d organisation.",
                        "Tag “%(tag)s” removed from %(count)d organisations.",
                        changed,
                    )
                )
                self.message_user(request, message % {"tag": tag, "count": changed}, messages.SUCCESS)
                return None
        title = gettext("Add a tag") if add else gettext("Remove a tag")
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "organisations": list(queryset.select_related(None).only("pk", "name", "acronym")),
            "action": "add_tag" if add else "remove_tag",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/directory/organisation/tag_confirmation.html", context)

    @admin.action(description=_("Add a tag"), permissions=["change"])
    def add_tag(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> HttpResponse | None:
        return self._tag(request, queryset, add=True)

    @admin.action(description=_("Remove a tag"), permissions=["change"])
    def remove_tag(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> HttpResponse | None:
        return self._tag(request, queryset, add=False)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("directory.export_organisation")

    @admin.action(description=_("Export (all fields), CSV"), permissions=["export"])
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> HttpResponse | StreamingHttpResponse:
        return full_export_response(queryset, "csv")

    @admin.action(description=_("Export (all fields), XLSX"), permissions=["export"])
    def export_xlsx(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> HttpResponse | StreamingHttpResponse:
        return full_export_response(queryset, "xlsx")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.organisation_locate(organisation=form.instance)


@admin.register(Person)
class PersonAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "email", "job_title", "public_consent_at")
    search_fields = ("last_name", "first_name", "email")
    list_filter = (("public_consent_at", admin.EmptyFieldListFilter),)
    autocomplete_fields = ("user",)


@admin.register(Category)
class CategoryAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("name_fr", "name_en", "college", "position", "active")
    list_filter = ("college", "active")
    search_fields = ("name_fr", "name_en")
