"""The projects of the organisations a user edits, under /observatoire/espace/."""

from django.urls import path

from maillage.observatory import member_views

app_name = "observatory_member"
urlpatterns = [
    path("", member_views.my_projects, name="projects"),
    path("nouveau/<slug:slug>/", member_views.project_create, name="project_create"),
    path("<int:pk>/modifier/", member_views.project_edit, name="project_edit"),
    path("<int:pk>/soumettre/", member_views.project_submit, name="project_submit"),
    # Suggestions of the project form (public: the survey's form uses them too)
    path("organisations.json", member_views.organisation_suggestions, name="organisation_suggestions"),
]
