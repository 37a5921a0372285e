"""The personal data of the directory: the person record of a user and their affiliations."""

from typing import Any

from maillage.accounts.models import User
from maillage.core.privacy import history_scrub
from maillage.directory.models import Person

PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "job_title")


def export(user: User) -> dict[str, Any]:
    person = Person.objects.filter(user=user).prefetch_related("affiliations__organisation").first()
    return {
        "person": None
        if person is None
        else {
            **{field: getattr(person, field) for field in PERSON_FIELDS},
            "public_consent_at": person.public_consent_at.isoformat() if person.public_consent_at else None,
            "public_consent_wording": person.public_consent_wording,
            "affiliations": [
                {
                    "organisation": affiliation.organisation.name,
                    "role": affiliation.role,
                    "start": affiliation.start.isoformat() if affiliation.start else None,
                    "end": affiliation.end.isoformat() if affiliation.end else None,
                }
                for affiliation in person.affiliations.all()
            ],
        },
        "organisations_edited": sorted(user.edited_organisations.values_list("name", flat=True)),
    }


def erase(user: User) -> None:
    """The person's affiliations stay (organisations keep their history) with an anonymous person."""
    user.edited_organisations.clear()
    person = Person.objects.filter(user=user).first()
    if person is None:
        return
    anonymous = {
        "first_name": "Personne",
        "last_name": f"anonymisée n° {person.pk}",
        "email": "",
        "phone": "",
        "job_title": "",
        "public_consent_at": None,
        "public_consent_wording": "",
    }
    for field, value in anonymous.items():
        setattr(person, field, value)
    person.user = None
    person._change_reason = "erasure"  # type: ignore[attr-defined]
    person.save()
    history_scrub(Person, person.pk, anonymous | {"user_id": None})
