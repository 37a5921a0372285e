"""Placeholder: replaced by its owner."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def my_projects(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def project_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def project_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def project_submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
