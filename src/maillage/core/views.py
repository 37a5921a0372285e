"""Public pages of the shell, the health check and the error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from maillage.core.health import health_report
from maillage.core.selectors import network_region


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"region": network_region()})


@require_safe
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal_notice.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/personal_data.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, the cache and (when configured) the broker: 200, or 503."""
    report = health_report(broker_url=settings.CELERY_BROKER_URL)
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page or missing token): explain, inside the page shell."""
    return HttpResponseForbidden(render(request, "403_csrf.html").content)
