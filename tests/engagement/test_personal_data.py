"""A registrant downloads what the agenda holds about them, and erases it: the registration
stays (the event's counts), without the names, addresses and answers."""

from maillage.core.privacy import personal_data_erase, personal_data_export
from maillage.engagement.models import Attendee, Registration
from tests.access import make_user


def test_a_registrant_downloads_and_erases_their_registrations(event_factory):
    event = event_factory(title="Formation méthodologie de projet")
    user = make_user("registered", email="awa.diop@example.org")
    registration = Registration.objects.create(
        event=event, user=user, email=user.email, answers={"Régime alimentaire": "végétarien"}
    )
    Attendee.objects.create(registration=registration, first_name="Awa", last_name="Diop", email=user.email)

    exported = personal_data_export(user)["engagement"]
    assert exported["registrations"][0]["answers"] == {"Régime alimentaire": "végétarien"}
    assert exported["registrations"][0]["attendees"][0]["last_name"] == "Diop"

    personal_data_erase(user)
    registration.refresh_from_db()
    assert registration.user is None and registration.answers == {} and "awa" not in registration.email
    assert Attendee.objects.get(registration=registration).last_name == "anonymisée"
    assert not registration.history.filter(email__icontains="awa").exists()
