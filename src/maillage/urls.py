"""The site's URLs. Paths are French; each app keeps its own ``urls.py``."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = settings.MAILLAGE_NETWORK_NAME

urlpatterns = [
    path("", include("maillage.core.urls")),
    path("gestion/annuaire/moderation/", include("maillage.directory.moderation_urls")),
    path("gestion/annuaire/", include("maillage.directory.staff_urls")),
    path("gestion/", include("maillage.core.backoffice_urls")),
    path("compte/", include("maillage.accounts.urls")),
    path("annuaire/espace/", include("maillage.directory.member_urls")),
    path("annuaire/", include("maillage.directory.urls")),
    path("compte/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
