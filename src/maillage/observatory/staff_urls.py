"""Staff pages of the observatory, under /gestion/observatoire/."""

from django.urls import path

from maillage.observatory import atlas_views, iati_views, staff_views, survey_views

app_name = "observatory_staff"
urlpatterns = [
    # Validation of projects (staff_views.py)
    path("projets/", staff_views.project_queue, name="projects"),
    path("projets/<int:pk>/", staff_views.project_review, name="project_review"),
    # IATI import (iati_views.py)
    path("iati/", iati_views.imports, name="iati_imports"),
    path("iati/<int:pk>/", iati_views.import_detail, name="iati_import"),
    # Spreadsheet import and export in the Atlas layout (atlas_views.py)
    path("tableur/", atlas_views.imports, name="atlas_imports"),
    path("tableur/<int:pk>/", atlas_views.import_detail, name="atlas_import"),
    path("tableur/<int:pk>/colonnes/", atlas_views.import_mapping, name="atlas_import_mapping"),
    path("tableur/modele.xlsx", atlas_views.template, name="atlas_template"),
    path("tableur/export.<str:fmt>", atlas_views.export, name="atlas_export"),  # csv | xlsx
    # The yearly survey (survey_views.py)
    path("enquetes/", survey_views.campaigns, name="campaigns"),
    path("enquetes/nouvelle/", survey_views.campaign_create, name="campaign_create"),
    path("enquetes/<int:pk>/", survey_views.campaign, name="campaign"),
    path(
        "enquetes/<int:pk>/action/", survey_views.campaign_action, name="campaign_action"
    ),  # open, remind, close
    path("enquetes/<int:pk>/export.<str:fmt>", survey_views.campaign_export, name="campaign_export"),
    path("enquetes/reponses/<int:pk>/", survey_views.invitation, name="invitation"),
]
