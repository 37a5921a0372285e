"""The agenda, under /agenda/."""

from django.urls import path

from maillage.engagement import registration_views, training_views, views

app_name = "engagement"
urlpatterns = [
    # The agenda and events (views.py)
    path("", views.agenda, name="agenda"),
    path("mois/", views.month, name="month"),
    path("carte/", views.agenda_map, name="map"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("proposer/", views.propose, name="propose"),
    path("<slug:slug>/", views.event, name="event"),
    path("<slug:slug>/evenement.ics", views.event_ics, name="event_ics"),
    # Registrations, waiting list, check-in (registration_views.py)
    path("<slug:slug>/inscription/", registration_views.register, name="register"),
    path("inscription/<uuid:token>/", registration_views.registration, name="registration"),
    path("inscription/<uuid:token>/annuler/", registration_views.cancel, name="cancel"),
    path("inscription/<uuid:token>/accepter/", registration_views.accept_offer, name="accept_offer"),
    # Advice sessions, trainings, certificates, questionnaire (training_views.py)
    path("<slug:slug>/creneaux/", training_views.slots, name="slots"),
    path("creneau/<int:pk>/reserver/", training_views.slot_book, name="slot_book"),
    path("questionnaire/<uuid:token>/", training_views.feedback, name="feedback"),
    path("attestation/<uuid:token>.pdf", training_views.certificate, name="certificate"),
]
