from django.urls import path

from maillage.directory import moderation_views

app_name = "directory_moderation"
urlpatterns = [
    path("", moderation_views.queue, name="queue"),
    path("modifications/<int:pk>/", moderation_views.revision, name="revision"),
    path("revendications/<int:pk>/", moderation_views.claim, name="claim"),
    path("organisations/<int:pk>/publier/", moderation_views.publish, name="publish"),
]
