from django.urls import path

from maillage.core import backoffice

app_name = "backoffice"
urlpatterns = [
    path("", backoffice.dashboard, name="dashboard"),
    path("historique/<str:app_label>/<str:model_name>/<int:pk>/", backoffice.record_history, name="history"),
]
