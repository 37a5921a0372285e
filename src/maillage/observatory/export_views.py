"""Placeholder: replaced by its owner."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def network_iati(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def organisation_iati(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
