"""Administration of the membership: administrators define the governing documents and each
year's fee scale; everything else is shown read-only here, because it changes only through the
services (staff pages), which keep the history and the receipts consistent. Payments and
receipts are never changed nor deleted, by anyone."""

import copy
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from maillage.core.admin import RulesModelAdmin
from maillage.membership.models import (
    Application,
    Dues,
    FeeBracket,
    GoverningDocument,
    Membership,
    MembershipYear,
    Payment,
    Receipt,
)
from maillage.membership.services.dues import brackets_check


class ReadOnlyAdmin(RulesModelAdmin):
    """Listed and shown to the back office, changed only by the services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FeeBracketFormSet(BaseInlineFormSet):
    """Checks the scale as it would be saved, with the service's own rule (``brackets_check``):
    the brackets are written in a savepoint, checked, and the savepoint is always rolled back,
    so that an invalid scale shows its message and writes nothing."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        brackets = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)  # type: ignore[attr-defined]
        ]
        savepoint = transaction.savepoint()
        try:
            year = copy.copy(self.instance)
            year.save()
            FeeBracket.objects.filter(year=year).delete()
            for data in brackets:
                FeeBracket.objects.create(
                    year=year,
                    college=data["college"],
                    size_from=data["size_from"],
                    size_to=data.get("size_to"),
                    amount=data["amount"],
                )
            brackets_check(year=year)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        except (DatabaseError, ValueError, TypeError):
            pass  # the year's own form is invalid and says why; the scale is checked once it is valid
        finally:
            transaction.savepoint_rollback(savepoint)


class FeeBracketInline(admin.TabularInline):
    model = FeeBracket
    formset = FeeBracketFormSet
    extra = 0
    fields = ("college", "size_from", "size_to", "amount")

    # The scale belongs to its year: whoever may change the year may change its brackets.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("membership.add_feebracket")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("membership.change_feebracket")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("membership.delete_feebracket")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("membership.view_feebracket")


@admin.register(GoverningDocument)
class GoverningDocumentAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "version", "in_force_from")
    list_filter = ("kind",)
    search_fields = ("title", "version")


@admin.register(MembershipYear)
class MembershipYearAdmin(RulesModelAdmin, SimpleHistoryAdmin):
    list_display = ("year", "call_launched_at", "closed")
    list_filter = ("closed",)
    readonly_fields = ("call_launched_at",)
    inlines = (FeeBracketInline,)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("organisation", "college", "status", "created_at", "decided_at")
    list_filter = ("status", "college")
    search_fields = ("organisation__name",)
    list_select_related = ("organisation",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("organisation", "college", "member_since", "ended_on", "end")
    list_filter = ("college", "end")
    search_fields = ("organisation__name",)
    list_select_related = ("organisation",)


@admin.register(Dues)
class DuesAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("membership", "year", "scale_amount", "amount", "called_at")
    list_filter = ("year", "membership__college")
    search_fields = ("membership__organisation__name",)
    list_select_related = ("membership__organisation", "year")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("dues", "kind", "amount", "method", "received_on", "reference")
    list_filter = ("kind", "method", "dues__year")
    search_fields = ("dues__membership__organisation__name", "reference")
    list_select_related = ("dues__membership__organisation", "dues__year")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organisation_name", "issued_at", "sha256")
    list_filter = ("year",)
    search_fields = ("organisation_name",)
    list_select_related = ("payment",)
