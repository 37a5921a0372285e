"""The agenda in the Django admin: events with their ticket categories and questions."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from maillage.engagement.models import Event, Question, Registration, TicketCategory


class TicketCategoryInline(admin.TabularInline):
    model = TicketCategory
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "status", "starts_at", "commune")
    list_filter = ("status", "kind")
    search_fields = ("title", "slug", "summary")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("commune", "organisers")
    filter_horizontal = ("themes",)
    raw_id_fields = ("proposed_by",)
    readonly_fields = ("ical_uid", "sequence")
    inlines = (TicketCategoryInline, QuestionInline)


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("email", "event", "status", "category", "created_at")
    list_filter = ("status",)
    search_fields = ("email", "event__title")
    raw_id_fields = ("event", "category", "user", "organisation")
