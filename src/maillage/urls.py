"""The site's URLs. Paths are French; each app keeps its own ``urls.py``."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = settings.MAILLAGE_NETWORK_NAME

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("maillage.core.urls")),
    path("gestion/annuaire/moderation/", include("maillage.directory.moderation_urls")),
    path("gestion/annuaire/", include("maillage.directory.staff_urls")),
    path("gestion/adhesions/", include("maillage.membership.staff_urls")),
    path("gestion/gouvernance/", include("maillage.governance.staff_urls")),
    path("gestion/agenda/", include("maillage.engagement.staff_urls")),
    path("gestion/observatoire/", include("maillage.observatory.staff_urls")),
    path("gestion/", include("maillage.core.backoffice_urls")),
    path("", include("maillage.membership.urls")),
    path("gouvernance/", include("maillage.governance.urls")),
    path("commissions/", include("maillage.commissions.urls")),
    path("agenda/", include("maillage.engagement.urls")),
    path("observatoire/espace/", include("maillage.observatory.member_urls")),
    path("observatoire/", include("maillage.observatory.urls")),
    path("compte/", include("maillage.accounts.urls")),
    path("annuaire/espace/", include("maillage.directory.member_urls")),
    path("annuaire/", include("maillage.directory.urls")),
    path("compte/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]


def _media(request: HttpRequest, path: str) -> HttpResponseBase:
    """The uploads (logos), in embedded mode only: a laptop has no web server in front of Django.
    ``MEDIA_ROOT`` is read at each request, as tests change it."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


if settings.EMBEDDED:
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/") + "<path:path>", _media))
