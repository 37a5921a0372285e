"""Reads of the directory, aware of who is reading."""

from django.db.models import Q, QuerySet

from maillage.core.rules import is_back_office
from maillage.directory.models import Affiliation, Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:  # type: ignore[no-untyped-def]
    """Published organisations for everyone; all of them for the back office; an editor's own
    organisations whatever their status."""
    organisations = Organisation.objects.all()
    if is_back_office(user):
        return organisations
    published = Q(status=Organisation.Status.PUBLISHED)
    if not user.is_authenticated:
        return organisations.filter(published)  # no join: the public list stays cheap
    return organisations.filter(published | Q(editors=user)).distinct()


def public_contacts(organisation: Organisation) -> QuerySet[Affiliation]:
    """The current affiliations of people who consented to the publication of their details."""
    return (
        organisation.affiliations.filter(person__public_consent_at__isnull=False, end__isnull=True)
        .select_related("person")
        .order_by("role", "person__last_name")
    )
