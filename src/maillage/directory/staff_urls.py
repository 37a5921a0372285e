"""Staff pages of the directory, under /gestion/annuaire/."""

from django.urls import path

from maillage.directory import staff_views

app_name = "directory_staff"
urlpatterns = [
    path("imports/", staff_views.import_list, name="import_list"),
    path("imports/nouveau/", staff_views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", staff_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/colonnes/", staff_views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/apercu/", staff_views.import_preview, name="import_preview"),
    path("export.<str:file_format>", staff_views.full_export, name="full_export"),
    path("doublons/", staff_views.duplicate_list, name="duplicate_list"),
    path("doublons/fusion/<int:first>/<int:second>/", staff_views.duplicate_merge, name="duplicate_merge"),
]
