"""Moderation services: claims of organisations and changes proposed by their editors.

Editors' changes to a published organisation wait for the staff as a ``Revision``; the
published version stays online meanwhile. Changes to an organisation not yet published apply
at once (nobody sees it but its editors and the staff). Staff changes always apply at once.

A proposed logo cannot wait in the database's JSON: the file waits in the default storage under
``logos/pending/<random>.<ext>`` and ``Revision.proposed["logo"]`` holds its storage name (``""``
proposes to remove the logo; no key, no change). The pending file lives as long as the
proposal: a new proposal on top of a pending one keeps it unless it brings another logo or
removes it (the replaced file is deleted); approving copies it to the organisation's logo and
deletes it; sending the proposal back deletes it (the editor sends the logo again with the
corrected proposal). Deletions wait for the commit. Logos an organisation had before stay in
the storage: its history refers to them."""

from __future__ import annotations

import posixpath
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.accounts.services import user_grant_role
from maillage.core.emails import email_queue
from maillage.core.models import Commune, Sdg, Theme
from maillage.core.roles import Role
from maillage.core.rules import is_team
from maillage.directory import services
from maillage.directory.models import Claim, Organisation, Revision
from maillage.directory.moderation_models import Decision

SCALAR_FIELDS = (
    "name", "acronym", "legal_form", "siren", "siret", "rna", "description", "website", "email", "phone",
    "address", "year_founded", "staff", "volunteers", "budget", "languages",
)  # fmt: skip
EDITABLE_FIELDS = (*SCALAR_FIELDS, "commune", "countries", "themes", "sdgs")
LOGO_PENDING_DIR = "logos/pending/"


def organisation_values(organisation: Organisation) -> dict[str, Any]:
    """The editable values of an organisation, as JSON: codes and ids for the related records."""
    values = {field: getattr(organisation, field) for field in SCALAR_FIELDS}
    values["commune"] = organisation.commune_id
    values["countries"] = sorted(country.code for country in organisation.countries)
    values["themes"] = sorted(organisation.themes.values_list("pk", flat=True))
    values["sdgs"] = sorted(organisation.sdgs.values_list("pk", flat=True))
    return values


def fields_from_values(values: dict[str, Any]) -> dict[str, Any]:
    """JSON values back to what ``organisation_update`` takes."""
    fields = {field: values[field] for field in SCALAR_FIELDS if field in values}
    if "commune" in values:
        fields["commune"] = Commune.objects.filter(pk=values["commune"]).first()
    if "countries" in values:
        fields["countries"] = values["countries"]
    if "themes" in values:
        fields["themes"] = list(Theme.objects.filter(pk__in=values["themes"]))
    if "sdgs" in values:
        fields["sdgs"] = list(Sdg.objects.filter(pk__in=values["sdgs"]))
    return fields


def _notify(user: User | None, subject: str, text: str) -> None:
    if user is None or not user.is_active:
        return
    with translation.override(user.language):
        email_queue(to=[user.email], subject=str(subject), text=str(text))


def _delete_pending_logo_on_commit(name: str | None) -> None:
    """Delete a pending logo once the transaction commits (never a published one)."""
    if name and name.startswith(LOGO_PENDING_DIR):
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def organisation_propose(
    *,
    organisation: Organisation,
    author: User,
    values: dict[str, Any],
    logo: File[bytes] | None = None,
    remove_logo: bool = False,
) -> Revision | None:
    """Apply the change (staff, or an organisation not published yet) or record it for the staff.

    ``logo`` is a new logo, already checked (``validators.logo_from_upload``); ``remove_logo``
    takes the logo off. The proposed values are checked now, so that the staff only review
    valid changes; a file is written only once they are."""
    if is_team(author) or organisation.status != Organisation.Status.PUBLISHED:
        fields = fields_from_values(values)
        if logo is not None or remove_logo:
            fields["logo"] = logo if logo is not None else ""
        try:
            services.organisation_update(organisation=organisation, **fields)
        except BaseException:
            if logo is not None and organisation.logo.name:
                default_storage.delete(organisation.logo.name)  # written before the failure
            raise
        return None
    trial = Organisation.objects.get(pk=organisation.pk)
    with transaction.atomic():  # validate on a copy, then undo
        services.organisation_update(organisation=trial, **fields_from_values(values))
        transaction.set_rollback(True)
    revision = organisation.revisions.filter(status=Decision.PENDING).first() or Revision(
        organisation=organisation
    )
    previous = revision.proposed.get("logo") if revision.pk else None
    values = dict(values)
    if logo is not None:
        values["logo"] = default_storage.save(f"{LOGO_PENDING_DIR}{uuid.uuid4().hex}{_extension(logo)}", logo)
    elif remove_logo:
        values["logo"] = ""
    elif previous is not None:
        values["logo"] = previous  # a pending logo stays proposed
    revision.author, revision.proposed = author, values
    try:
        revision.save()
    except BaseException:
        if logo is not None:
            default_storage.delete(values["logo"])
        raise
    if previous != values.get("logo"):
        _delete_pending_logo_on_commit(previous)
    return revision


def _extension(file: File[bytes]) -> str:
    return posixpath.splitext(file.name or "")[1].lower()


def revision_logo_change(revision: Revision) -> dict[str, Any] | None:
    """The logo a revision proposes, beside the published one, for the staff's diff: the URLs
    of both images (None: no logo, or the pending file was deleted once decided)."""
    if "logo" not in revision.proposed:
        return None
    proposed, current = revision.proposed["logo"] or "", revision.organisation.logo
    if posixpath.basename(proposed) == posixpath.basename(current.name or ""):
        return None  # no change, or this very file was approved (it keeps its name)
    return {
        "label": str(Organisation._meta.get_field("logo").verbose_name),
        "before": current.url if current else None,
        "after": default_storage.url(proposed) if proposed and default_storage.exists(proposed) else None,
        "removed": not proposed,
    }


def _logo_to_publish(name: str) -> File[bytes] | str:
    """The organisation's new logo: a copy of the pending file (saved under the logo field's own
    path), or ``""`` to remove it."""
    if not name:
        return ""
    if not default_storage.exists(name):
        raise ValidationError(_("The proposed logo is no longer stored: send the change back to its author."))
    with default_storage.open(name) as pending:
        return ContentFile(pending.read(), name=posixpath.basename(name))


def revision_changes(revision: Revision) -> list[tuple[str, Any, Any]]:
    """``(field label, current value, proposed value)`` for every field the revision changes."""
    current = organisation_values(revision.organisation)
    changes = []
    for field in EDITABLE_FIELDS:
        if field in revision.proposed and revision.proposed[field] != current[field]:
            label = getattr(Organisation._meta.get_field(field), "verbose_name", field)
            changes.append((str(label), current[field], revision.proposed[field]))
    return changes


@transaction.atomic
def revision_decide(*, revision: Revision, by: User, approve: bool, comment: str = "") -> Revision:
    if revision.status != Decision.PENDING:
        raise ValidationError(_("This change has already been decided."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what to change before sending it back.")})
    organisation = revision.organisation
    if approve:
        reason = _("Change proposed by %(author)s, approved") % {"author": revision.author}
        organisation._change_reason = reason  # type: ignore[attr-defined]
        fields = fields_from_values(revision.proposed)
        if "logo" in revision.proposed:
            fields["logo"] = _logo_to_publish(revision.proposed["logo"])
        try:
            services.organisation_update(organisation=organisation, **fields)
        except BaseException:
            if fields.get("logo"):
                default_storage.delete(organisation.logo.name)  # the copy, if written
            raise
    _delete_pending_logo_on_commit(revision.proposed.get("logo"))
    revision.status = Decision.APPROVED if approve else Decision.RETURNED
    revision.comment, revision.decided_by, revision.decided_at = comment.strip(), by, timezone.now()
    revision.save()
    url = settings.MAILLAGE_SITE_URL + reverse("directory_member:index")
    if approve:
        text = _("The changes you proposed to %(name)s are now online.\n\n%(url)s")
    else:
        text = _(
            "The changes you proposed to %(name)s were sent back by the staff:\n\n%(comment)s\n\n%(url)s"
        )
    _notify(
        revision.author,
        _("Your changes to %(name)s") % {"name": organisation.name},
        text % {"name": organisation.name, "comment": comment, "url": url},
    )
    return revision


@transaction.atomic
def claim_submit(*, organisation: Organisation, user: User, message: str = "") -> Claim:
    if organisation.editors.filter(pk=user.pk).exists():
        raise ValidationError(_("You already edit this organisation."))
    claim = Claim(organisation=organisation, user=user, message=message.strip())
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_decide(*, claim: Claim, by: User, approve: bool, comment: str = "") -> Claim:
    if claim.status != Decision.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if approve:
        claim.organisation.editors.add(claim.user)
        user_grant_role(user=claim.user, role=Role.ORGANISATION_EDITOR)
    claim.status = Decision.APPROVED if approve else Decision.RETURNED
    claim.comment, claim.decided_by, claim.decided_at = comment.strip(), by, timezone.now()
    claim.save()
    name = claim.organisation.name
    if approve:
        text = _("You can now edit the profile of %(name)s in the directory.")
    else:
        text = _("Your request to edit the profile of %(name)s was not accepted.\n\n%(comment)s")
    _notify(
        claim.user,
        _("Your request about %(name)s") % {"name": name},
        text % {"name": name, "comment": comment},
    )
    return claim


@transaction.atomic
def organisation_submit_new(*, user: User, **fields: Any) -> Organisation:
    """An account adds its organisation: submitted for review, the account as its editor."""
    organisation = services.organisation_create(
        status=Organisation.Status.SUBMITTED, source=Organisation.Source.SELF, editors=[user], **fields
    )
    user_grant_role(user=user, role=Role.ORGANISATION_EDITOR)
    return organisation
