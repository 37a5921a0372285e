"""Reads of the core's reference data."""

from django.conf import settings
from django.db.models import F, Q, QuerySet

from maillage.core.models import Commune, Region
from maillage.core.models.reference import search_key


def network_region() -> Region | None:
    """The network's région (``settings.MAILLAGE_REGION``) with its départements prefetched, or
    None while the reference data is not loaded."""
    return Region.objects.prefetch_related("departements").filter(code=settings.MAILLAGE_REGION).first()


def communes_matching(query: str, *, limit: int = 20) -> QuerySet[Commune]:
    """Communes for an autocomplete: by postal-code prefix when ``query`` is made of digits
    ("3407" → Montpellier), else by name prefix, ignoring case, accents and punctuation
    ("beziers", "saint jean de v"). The most populated first."""
    query = query.strip()
    if query.isdigit():
        condition = Q(postal_codes__startswith=query) | Q(postal_codes__contains=f" {query}")
    else:
        key = search_key(query)
        if not key:
            return Commune.objects.none()
        condition = Q(search_name__startswith=key)
    return (
        Commune.objects.filter(condition)
        .select_related("departement")
        .order_by(F("population").desc(nulls_last=True), "name", "code")[:limit]
    )
