"""Staff pages of the agenda, under /gestion/agenda/."""

from django.urls import path

from maillage.engagement import registration_views, staff_views, training_views

app_name = "engagement_staff"
urlpatterns = [
    # Events, moderation, figures (staff_views.py)
    path("", staff_views.event_list, name="event_list"),
    path("nouveau/", staff_views.event_create, name="event_create"),
    path("<int:pk>/", staff_views.event_edit, name="event_edit"),
    path("<int:pk>/moderation/", staff_views.event_moderate, name="event_moderate"),
    path("bilan/", staff_views.report, name="report"),
    # Registrations, check-in, exports (registration_views.py)
    path("<int:pk>/inscrits/", registration_views.participants, name="participants"),
    path(
        "<int:pk>/inscrits/export.<str:file_format>",
        registration_views.participants_export,
        name="participants_export",
    ),
    path("<int:pk>/accueil/", registration_views.check_in, name="check_in"),
    # Trainings: half-days, attendance, certificates, feedback results (training_views.py)
    path("<int:pk>/emargement/", training_views.attendance, name="attendance"),
    path(
        "<int:pk>/emargement/export.<str:file_format>",
        training_views.attendance_export,
        name="attendance_export",
    ),
    path("<int:pk>/attestations.zip", training_views.certificates_zip, name="certificates_zip"),
    path("<int:pk>/satisfaction/", training_views.feedback_results, name="feedback_results"),
    path("<int:pk>/creneaux/", training_views.slots_manage, name="slots_manage"),
]
