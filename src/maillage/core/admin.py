"""The administration of the core's reference data.

Permissions come from ``rules`` (``core/rules.py``), not from Django's permission tables: the
back office reads the reference data, administrators edit the themes. Territories and codelists
are read-only here: ``maillage load_reference`` loads them from their sources."""

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from maillage.core.models import Commune, DacCategory, DacSector, Departement, Region, Sdg, SdgTarget, Theme


class RulesModelAdmin(admin.ModelAdmin):
    """A model admin whose permissions are the rules ``<app>.<action>_<model>``, and which
    appears to whoever may read the back office."""

    def _has_perm(self, request: HttpRequest, action: str, obj: models.Model | None = None) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.{action}_{self.opts.model_name}", obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.view_backoffice")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has_perm(request, "view", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._has_perm(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has_perm(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has_perm(request, "delete", obj)


class ReferenceAdmin(RulesModelAdmin):
    """Read-only for everyone, superusers included: the loader owns these tables."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ("code", "name", "zone")
    list_filter = ("zone",)
    search_fields = ("code", "name")


@admin.register(Departement)
class DepartementAdmin(ReferenceAdmin):
    list_display = ("code", "name", "region", "zone")
    list_filter = ("zone", "region")
    list_select_related = ("region",)
    search_fields = ("code", "name")


@admin.register(Commune)
class CommuneAdmin(ReferenceAdmin):
    list_display = ("code", "name", "departement", "population", "postal_codes")
    list_filter = ("departement__region",)
    list_select_related = ("departement",)
    search_fields = ("code", "name", "search_name", "postal_codes")


@admin.register(Sdg)
class SdgAdmin(ReferenceAdmin):
    list_display = ("number", "name_fr", "name_en")
    search_fields = ("name_fr", "name_en")


@admin.register(SdgTarget)
class SdgTargetAdmin(ReferenceAdmin):
    list_display = ("code", "name_fr", "name_en")
    list_filter = ("goal",)
    search_fields = ("code", "name_fr", "name_en")


@admin.register(DacCategory)
class DacCategoryAdmin(ReferenceAdmin):
    list_display = ("code", "name_fr", "name_en", "active")
    list_filter = ("active",)
    search_fields = ("code", "name_fr", "name_en")


@admin.register(DacSector)
class DacSectorAdmin(ReferenceAdmin):
    list_display = ("code", "name_fr", "name_en", "category", "active")
    list_filter = ("active", "category")
    list_select_related = ("category",)
    search_fields = ("code", "name_fr", "name_en")


def dac_category_label(category: DacCategory) -> str:
    label = f"{category.code} - {category.name}"
    return label if category.active else f"{label} ({gettext('withdrawn')})"


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin, RulesModelAdmin):
    """Administrators edit the thesaurus; the slug is fixed once created, because
    ``load_reference`` recognises the themes it seeded by their slug."""

    list_display = ("name_fr", "name_en", "position", "slug")
    search_fields = ("slug", "name_fr", "name_en", "description_fr", "description_en")
    filter_horizontal = ("dac_categories",)
    fieldsets = (
        (None, {"fields": ("slug", "position")}),
        (_("French"), {"fields": ("name_fr", "description_fr")}),
        (_("English"), {"fields": ("name_en", "description_en")}),
        (_("Statistics"), {"fields": ("dac_categories",)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("slug",) if obj is not None else ()

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Sequence[str]]:
        return {"slug": ("name_fr",)} if obj is None else {}

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if isinstance(field, ModelMultipleChoiceField):
            field.label_from_instance = dac_category_label  # type: ignore[method-assign,assignment]
        return field
