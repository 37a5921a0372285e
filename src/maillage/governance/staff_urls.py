"""Staff pages of governance, under /gestion/gouvernance/."""

from django.urls import path

from maillage.governance import staff_assemblies, staff_bodies, staff_votes

app_name = "governance_staff"
urlpatterns = [
    # Bodies and mandates, alerts, minutes (staff_bodies.py)
    path("", staff_bodies.index, name="index"),
    path("mandats/nouveau/", staff_bodies.mandate_add, name="mandate_add"),
    path("mandats/<int:pk>/fin/", staff_bodies.mandate_end, name="mandate_end"),
    path("mandats/<int:pk>/ratification/", staff_bodies.mandate_ratify, name="mandate_ratify"),
    path("assemblees/<int:pk>/proces-verbal/", staff_bodies.minutes, name="minutes"),
    # Assemblies: preparation, convocation, roll, door, projector (staff_assemblies.py)
    path("assemblees/", staff_assemblies.assembly_list, name="assembly_list"),
    path("assemblees/nouvelle/", staff_assemblies.assembly_create, name="assembly_create"),
    path("assemblees/<int:pk>/", staff_assemblies.assembly_detail, name="assembly"),
    path("assemblees/<int:pk>/convocation/", staff_assemblies.convene, name="convene"),
    path("assemblees/<int:pk>/etat/", staff_assemblies.assembly_state, name="assembly_state"),
    path("assemblees/<int:pk>/accueil/", staff_assemblies.door, name="door"),
    path("assemblees/<int:pk>/ecran/", staff_assemblies.projector, name="projector"),
    path("assemblees/<int:pk>/ecran/quorum/", staff_assemblies.projector_quorum, name="projector_quorum"),
    path("assemblees/<int:pk>/journal/", staff_assemblies.action_log, name="log"),
    # Votes: resolutions, elections, candidacies, counts (staff_votes.py)
    path("assemblees/<int:pk>/votes/nouveau/", staff_votes.vote_create, name="vote_create"),
    path("instances/<slug:slug>/votes/nouveau/", staff_votes.body_vote_create, name="body_vote_create"),
    path("votes/<int:pk>/", staff_votes.vote_detail, name="vote"),
    path("votes/<int:pk>/etat/", staff_votes.vote_state, name="vote_state"),
    path("votes/<int:pk>/decompte/", staff_votes.hand_counts, name="hand_counts"),
    path("candidatures/<int:pk>/", staff_votes.candidacy_decide, name="candidacy_decide"),
]
