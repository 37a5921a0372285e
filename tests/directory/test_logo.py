"""Organisations' logos through the member space: checked, cleaned, moderated, shown."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from maillage.core.history import history_entries
from maillage.directory.models import Category, Organisation, Revision
from maillage.directory.moderation import LOGO_PENDING_DIR, organisation_values
from maillage.directory.services import organisation_create
from tests.access import db_snapshot


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Uploads go to a temporary folder, and the test sees every file written there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files(media: Path) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def _image(fmt: str = "PNG", size: tuple[int, int] = (120, 60), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (0, 90, 160))
    kwargs = {}
    if exif:  # what a phone writes: its make and where the photo was taken
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"
        tags[0x8825] = {1: "N", 2: (43.0, 36.0, 12.0)}
        kwargs["exif"] = tags.tobytes()
    output = io.BytesIO()
    image.save(output, format=fmt, **kwargs)
    return output.getvalue()


def _upload(data: bytes, name: str = "logo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def published(reference_data):
    return organisation_create(
        name="Les Amis de Ziguinchor",
        college="associative",
        category=Category.objects.get(slug="association"),
        commune_id="12202",
        status="published",
        logo=ContentFile(_image(size=(80, 80)), name="ancien.png"),
    )


@pytest.fixture
def editor(client, users, published):
    published.editors.add(users["organisation_editor"])
    client.force_login(users["organisation_editor"])
    return users["organisation_editor"]


def _form(organisation, **extra):
    values = organisation_values(organisation)
    data = {
        key: "" if value is None else value
        for key, value in values.items()
        if key not in ("commune", "countries", "themes", "sdgs", "languages")
    }
    return data | {"commune_query": "Rodez"} | extra


def _says(page: str, french: str, english: str) -> bool:
    """The message in French (the default language), or in English until the catalogue has it."""
    return french in page or english in page


def test_a_proposed_logo_waits_cleaned_the_staff_see_both_and_approve(
    client, users, published, editor, media, django_capture_on_commit_callbacks
):
    old_name = published.logo.name
    response = client.post(
        reverse("directory_member:edit", args=[published.slug]),
        _form(published, logo=_upload(_image("JPEG", exif=True), "photo.jpg", "image/jpeg")),
    )
    assert response.status_code == 302
    revision = Revision.objects.get()
    pending = revision.proposed["logo"]
    assert pending.startswith(LOGO_PENDING_DIR) and pending.endswith(".jpg")
    published.refresh_from_db()
    assert published.logo.name == old_name  # the published logo stays meanwhile
    with default_storage.open(pending) as stored:
        data = stored.read()
    assert b"PhoneMaker" not in data and not Image.open(io.BytesIO(data)).getexif()  # no EXIF, no GPS

    client.force_login(users["staff"])
    page = client.get(reverse("directory_moderation:revision", args=[revision.pk])).content.decode()
    assert f'src="{published.logo.url}"' in page and f'src="{default_storage.url(pending)}"' in page
    assert _says(page, "Logo publié de Les Amis de Ziguinchor", "Published logo of Les Amis de Ziguinchor")
    assert _says(page, "Logo proposé pour Les Amis de Ziguinchor", "Proposed logo of Les Amis de Ziguinchor")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_moderation:revision", args=[revision.pk]), {"approve": "1"})
    published.refresh_from_db()
    assert published.logo.name.startswith("logos/") and not published.logo.name.startswith(LOGO_PENDING_DIR)
    assert os.path.basename(published.logo.name) == os.path.basename(pending)
    assert not default_storage.exists(pending)  # the pending file is gone
    assert default_storage.exists(old_name)  # the former logo stays: the history refers to it
    latest = history_entries(list(published.history.all()))[0]
    assert any(change.field == "logo" and change.new == published.logo.name for change in latest.changes)

    client.logout()
    profile = client.get(reverse("directory:organisation", args=[published.slug])).content.decode()
    assert f'src="{published.logo.url}"' in profile
    assert _says(profile, 'alt="Logo de Les Amis de Ziguinchor"', 'alt="Logo of Les Amis de Ziguinchor"')
    served = client.get(published.logo.url)  # embedded mode serves the uploads
    assert served.status_code == 200 and b"".join(served.streaming_content) == data


BAD_FILES = {
    "disguised": (
        lambda: _upload(b"Ceci n'est pas une image.\n" * 10, "logo.png"),
        "n’est pas une image PNG, JPEG ou WebP",
        "is not a PNG, JPEG or WebP image",
    ),
    "svg": (
        lambda: _upload(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "image/svg+xml",
        ),
        "SVG",
        "SVG",
    ),
    "svg named png": (
        lambda: _upload(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "logo.png"),
        "SVG",
        "SVG",
    ),
    "gif": (
        lambda: _upload(_image("GIF"), "logo.gif", "image/gif"),
        "PNG, JPEG ou WebP",
        "PNG, JPEG or WebP",
    ),
    "too heavy": (
        lambda: _upload(_noise_png(), "logo.png"),
        "Le logo doit peser 1\u00a0Mo au plus.",
        "The logo must weigh 1 MB at most.",
    ),
    "too many pixels": (lambda: _upload(_image(size=(4001, 20))), "4000 × 4000", "4000 × 4000"),
}


def _noise_png() -> bytes:
    """A real PNG over 1 MB: noise does not compress."""
    image = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    output = io.BytesIO()
    image.save(output, format="PNG")
    assert len(output.getvalue()) > 1024 * 1024
    return output.getvalue()


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_logo_is_refused_in_french_and_nothing_is_written(client, published, editor, media, kind):
    make, french, english = BAD_FILES[kind]
    files_before, before = _files(media), db_snapshot()
    response = client.post(
        reverse("directory_member:edit", args=[published.slug]),
        _form(published, description="Une autre description.", logo=make()),
    )
    assert response.status_code == 200
    assert _says(response.content.decode(), french, english)
    assert db_snapshot() == before and not Revision.objects.exists()
    assert _files(media) == files_before


def test_a_bad_logo_for_a_new_organisation_writes_nothing(client, users, reference_data, media):
    client.force_login(users["registered"])
    before = db_snapshot()
    data = {
        "name": "Terres d’Échanges Aveyron",
        "college": "associative",
        "category": Category.objects.get(slug="association").pk,
        "commune_query": "Rodez",
    }
    response = client.post(
        reverse("directory_member:create"), data | {"logo": _upload(b"GIF89a pas vraiment")}
    )
    assert response.status_code == 200 and db_snapshot() == before and _files(media) == []

    response = client.post(
        reverse("directory_member:create"), data | {"logo": _upload(_image(), "mon logo.png")}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Terres d’Échanges Aveyron")
    assert organisation.status == "submitted"  # seen by nobody but its editor and the staff
    assert organisation.logo.name.startswith("logos/") and "mon logo" not in organisation.logo.name
    assert _files(media) == [organisation.logo.name]


def test_a_pending_logo_lives_as_long_as_its_proposal(
    client, users, published, editor, media, django_capture_on_commit_callbacks
):
    url = reverse("directory_member:edit", args=[published.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(published, logo=_upload(_image())))
    first = Revision.objects.get().proposed["logo"]

    # Another proposal without a file keeps the pending logo, and the form shows it.
    page = client.get(url).content.decode()
    assert f'src="{default_storage.url(first)}"' in page and 'name="remove_logo"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(published, acronym="AAZ"))
    assert Revision.objects.get().proposed["logo"] == first and default_storage.exists(first)

    # Another logo replaces it: the first file goes.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(published, logo=_upload(_image("WEBP"), "logo.webp", "image/webp")))
    second = Revision.objects.get().proposed["logo"]
    assert second != first and not default_storage.exists(first) and default_storage.exists(second)

    # Both a new logo and its removal: the editor must choose.
    response = client.post(url, _form(published, logo=_upload(_image()), remove_logo="on"))
    assert response.status_code == 200 and Revision.objects.get().proposed["logo"] == second

    # Sent back: the pending file goes, the published logo stays.
    revision = Revision.objects.get()
    client.force_login(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory_moderation:revision", args=[revision.pk]),
            {"return": "1", "comment": "Un logo plus lisible, svp."},
        )
    assert not default_storage.exists(second) and default_storage.exists(published.logo.name)
    page = client.get(reverse("directory_moderation:revision", args=[revision.pk])).content.decode()
    assert f'src="{default_storage.url(second)}"' not in page  # no broken image
    assert _files(media) == [published.logo.name]


def test_removing_the_logo_is_proposed_then_approved(
    client, users, published, editor, media, django_capture_on_commit_callbacks
):
    old_name = published.logo.name
    client.post(reverse("directory_member:edit", args=[published.slug]), _form(published, remove_logo="on"))
    revision = Revision.objects.get()
    assert revision.proposed["logo"] == ""
    client.force_login(users["staff"])
    page = client.get(reverse("directory_moderation:revision", args=[revision.pk])).content.decode()
    assert f'src="{published.logo.url}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_moderation:revision", args=[revision.pk]), {"approve": "1"})
    published.refresh_from_db()
    assert not published.logo and default_storage.exists(old_name)
    profile = client.get(reverse("directory:organisation", args=[published.slug])).content.decode()
    assert (
        "Les Amis de Ziguinchor" in profile
        and 'alt="Logo de' not in profile
        and 'alt="Logo of' not in profile
    )


def test_staff_set_a_logo_at_once(client, users, published, media):
    client.force_login(users["staff"])
    response = client.post(
        reverse("directory_member:edit", args=[published.slug]), _form(published, logo=_upload(_image()))
    )
    assert response.status_code == 302 and not Revision.objects.exists()
    published.refresh_from_db()
    assert published.logo.name.startswith("logos/") and not published.logo.name.startswith(LOGO_PENDING_DIR)
