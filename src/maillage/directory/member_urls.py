from django.urls import path

from maillage.directory import member_views

app_name = "directory_member"
urlpatterns = [
    path("", member_views.index, name="index"),
    path("ajouter/", member_views.create, name="create"),
    path("<slug:slug>/revendiquer/", member_views.claim, name="claim"),
    path("<slug:slug>/modifier/", member_views.edit, name="edit"),
]
