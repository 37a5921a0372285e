"""Public and member pages of governance, under /gouvernance/."""

from django.urls import path

from maillage.governance import ballot_views, member_views, public_views

app_name = "governance"
urlpatterns = [
    # Compositions of the bodies, published minutes (public_views.py)
    path("", public_views.index, name="index"),
    path("instances/<slug:slug>/", public_views.body, name="body"),
    path("proces-verbaux/<int:pk>.pdf", public_views.minutes_pdf, name="minutes_pdf"),
    # A member's side of an assembly: answer, proxy, its document (member_views.py)
    path("assemblees/<int:pk>/", member_views.assembly, name="assembly"),
    path("assemblees/participation/<int:pk>/reponse/", member_views.answer, name="answer"),
    path("assemblees/participation/<int:pk>/pouvoir.pdf", member_views.proxy_pdf, name="proxy_pdf"),
    path("assemblees/participation/<int:pk>/badge/", member_views.badge, name="badge"),
    # Voting online (ballot_views.py)
    path("votes/<int:pk>/", ballot_views.ballot, name="ballot"),
    path("votes/<int:pk>/lien/<str:secret>/", ballot_views.ballot_link, name="ballot_link"),
    path("votes/<int:pk>/urne/", ballot_views.ballot_box, name="ballot_box"),
    path("votes/<int:pk>/urne.json", ballot_views.ballot_box_json, name="ballot_box_json"),
]
