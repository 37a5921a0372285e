"""Placeholder: replaced by its owner."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def project_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def project_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def project_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
