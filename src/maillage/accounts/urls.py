from django.urls import path

from maillage.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("mes-donnees/", views.personal_data, name="personal_data"),
    path("supprimer/", views.erase_account, name="erase"),
]
