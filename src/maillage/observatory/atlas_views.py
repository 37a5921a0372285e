"""Placeholder: replaced by its owner."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def imports(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def import_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def template(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
