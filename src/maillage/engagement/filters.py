"""The filters of the agenda, all in the URL (?kind=training&departement=31&free=yes…)."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Departement, Theme
from maillage.engagement.models import Event, TicketCategory

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def paying() -> Exists:
    """Whether an event has a ticket category with a price: an event without one is free."""
    return Exists(TicketCategory.objects.filter(event=OuterRef("pk"), price__gt=0))


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All"))
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        field_name="commune__departement",
        empty_label=_("All"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        field_name="themes",
        empty_label=_("All"),
    )
    online = django_filters.ChoiceFilter(
        label=_("Online"), choices=YES_NO, method="filter_online", empty_label=_("All")
    )
    free = django_filters.ChoiceFilter(
        label=_("Free"), choices=YES_NO, method="filter_free", empty_label=_("All")
    )

    class Meta:
        model = Event
        fields: tuple[str, ...] = ("kind", "departement", "theme", "online", "free")

    def filter_online(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        online = ~Q(online_url="")
        return queryset.filter(online if value == "yes" else ~online)

    def filter_free(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return queryset.filter(~paying() if value == "yes" else paying())


class StaffEventFilter(EventFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Event.Status.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="starts_at__year")

    class Meta(EventFilter.Meta):
        fields = ("status", "year", *EventFilter.Meta.fields)
