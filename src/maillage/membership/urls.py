"""Public and member pages of the membership: applying (/adhesion/) and the member space
(/compte/adhesion/)."""

from django.urls import path

from maillage.membership import space_views, views

app_name = "membership"
urlpatterns = [
    path("adhesion/", views.apply, name="apply"),
    path("adhesion/demande/<int:pk>/", views.application_edit, name="application_edit"),
    path("compte/adhesion/", space_views.space, name="space"),
    path("compte/adhesion/<int:pk>/representants/", space_views.representatives, name="representatives"),
    path("compte/adhesion/appel/<int:pk>.pdf", space_views.dues_call_pdf, name="dues_call_pdf"),
    path("compte/adhesion/recu/<int:pk>.pdf", space_views.receipt_pdf, name="receipt_pdf"),
]
