"""Placeholder: replaced by its owner."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def project_queue(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def project_review(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
