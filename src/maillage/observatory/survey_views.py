"""Placeholder: replaced by its owner."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def campaigns(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_action(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def invitation(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
