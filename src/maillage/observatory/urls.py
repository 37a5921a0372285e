"""Public pages of the observatory, under /observatoire/."""

from django.urls import path

from maillage.observatory import export_views, survey_answer_views, views

app_name = "observatory"
urlpatterns = [
    # The projects (views.py)
    path("", views.index, name="index"),
    path("projets/", views.project_list, name="projects"),
    path("projets/export.<str:fmt>", views.project_export, name="projects_export"),  # csv | xlsx
    path("projets/<int:pk>/", views.project_detail, name="project"),
    # IATI downloads of published projects (export_views.py)
    path("iati.xml", export_views.network_iati, name="iati_network"),
    path("iati/<slug:slug>.xml", export_views.organisation_iati, name="iati_organisation"),
    # The yearly survey, by personal link (survey_answer_views.py)
    path("enquete/<str:token>/", survey_answer_views.answer, name="survey_answer"),
    path(
        "enquete/<str:token>/projets/nouveau/",
        survey_answer_views.project_create,
        name="survey_project_create",
    ),
    path(
        "enquete/<str:token>/projets/<int:pk>/", survey_answer_views.project_edit, name="survey_project_edit"
    ),
]
