"""Maillage: the platform of a regional multi-actor network of international cooperation."""

from maillage.celery import app as celery_app

__all__ = ["celery_app"]
