"""Staff pages of the core: the dashboard and the history of any record."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from maillage.core.history import history_entries, history_of, tracked_model, tracked_models
from maillage.core.permissions import permission_required

RECENT_CHANGES = 20


@require_safe
@permission_required("core.view_backoffice")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The latest changes across every tracked model, newest first."""
    recent: list[tuple[Any, type[Model]]] = []
    for model in tracked_models():
        history = history_of(model).select_related("history_user").order_by("-history_date")
        recent.extend((record, model) for record in history[:RECENT_CHANGES])
    recent.sort(key=lambda pair: pair[0].history_date, reverse=True)
    changes = [
        {
            "record": record,
            "model_name": model._meta.verbose_name,
            "url": reverse(
                "backoffice:history",
                args=[model._meta.app_label, model._meta.model_name, getattr(record, model._meta.pk.attname)],
            ),
        }
        for record, model in recent[:RECENT_CHANGES]
    ]
    return render(request, "core/backoffice/dashboard.html", {"changes": changes})


@require_safe
@permission_required("core.view_history")
def record_history(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    model = tracked_model(app_label, model_name)
    if model is None:
        raise Http404
    records = list(
        history_of(model)
        .filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if not records:
        raise Http404
    page = Paginator(history_entries(records), 50).get_page(request.GET.get("page"))
    context = {
        "model": model,
        "record": records[0],
        "page": page,
        "current": model._default_manager.filter(pk=pk).first(),
    }
    return render(request, "core/backoffice/history.html", context)
