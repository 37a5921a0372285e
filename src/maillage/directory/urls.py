"""The public directory, under /annuaire/."""

from django.urls import path

from maillage.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("carte/", views.organisations_map, name="map"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("<slug:slug>/", views.organisation, name="organisation"),
]
