"""Public IATI downloads: the published projects of the whole network, or those an organisation
of the directory reports, as IATI 2.03 activity files streamed while the database is read."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from maillage.directory.models import Organisation
from maillage.observatory.iati.writer import iati_stream
from maillage.observatory.models import Project


def _download(projects: QuerySet[Project], filename: str) -> StreamingHttpResponse:
    if not projects.exists():
        raise Http404  # the schema wants at least one activity in a file
    response = StreamingHttpResponse(iati_stream(projects), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def published_projects() -> QuerySet[Project]:
    return Project.objects.filter(status=Project.Status.PUBLISHED)


@require_safe
def network_iati(request: HttpRequest) -> StreamingHttpResponse:
    """Every published project of the network (404 while there is none)."""
    return _download(published_projects(), f"iati-{timezone.localdate():%Y-%m-%d}.xml")


@require_safe
def organisation_iati(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The published projects a published organisation reports (404 for any other, and when it
    reports none)."""
    organisation = get_object_or_404(Organisation, slug=slug, status=Organisation.Status.PUBLISHED)
    projects = published_projects().filter(reporting_organisation=organisation)
    return _download(projects, f"iati-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.xml")
