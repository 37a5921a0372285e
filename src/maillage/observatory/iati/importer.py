"""The database side of the IATI import: organisations matched to the directory (or created as
partners abroad), projects created or updated by their IATI identifier through
``project_save``, all or nothing per file unless the valid activities only are asked for.

``iati_check`` reads and validates a file and writes nothing (the organisations it would create
are stand-ins that are never saved); ``iati_import`` writes in one transaction. Both read the
file once, as a stream."""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.models import Sdg, SdgTarget
from maillage.core.models.reference import search_key
from maillage.directory.models import College, Organisation
from maillage.directory.services import organisation_create
from maillage.observatory.iati.parse import ActivityRejected
from maillage.observatory.iati.reader import Activity, IatiFileError, IatiReader, Rejection, activity_label
from maillage.observatory.models import IatiImport, Project
from maillage.observatory.services import ProjectData, project_anomalies, project_errors, project_save

# The collège of a French organisation missing from the directory, from its IATI
# OrganisationType: public bodies and academia, NGOs and others, private sector and foundations.
COLLEGES = {
    "10": College.PUBLIC,
    "11": College.PUBLIC,
    "15": College.PUBLIC,
    "80": College.PUBLIC,
    "70": College.ECONOMIC,
    "71": College.ECONOMIC,
    "72": College.ECONOMIC,
    "73": College.ECONOMIC,
    "60": College.ECONOMIC,
}

# The IATI element behind each part of the project rules (for the report of rejections).
ELEMENTS = {
    "title": "title",
    "activity_status": "activity-status",
    "planned_start": "activity-date",
    "planned_end": "activity-date",
    "actual_start": "activity-date",
    "actual_end": "activity-date",
    "participations": "participating-org",
    "countries": "recipient-country",
    "sectors": "sector",
    "default_currency": "default-currency",
    "budgets": "budget",
    "transactions": "transaction",
}


@dataclass
class IatiOutcome:
    activities: int = 0
    created: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # French sentences naming activity, element and code
    error: str = ""  # the file is refused: why
    committed: bool = False
    version: str = ""


class _Directory:
    """The organisations of the directory a file names, looked up once per file: by IATI
    identifier, then by name (folded). ``create=False`` (a check) gives unsaved stand-ins, with
    negative keys, for the organisations an import would create."""

    def __init__(self, *, create: bool) -> None:
        self.create = create
        self.by_ref: dict[str, Organisation] | None = None
        self.by_name: dict[str, Organisation] | None = None
        # Created since ``begin()``: ref key, name key, the organisation, its country guessed.
        self.new: list[tuple[str, str, Organisation, bool]] = []
        self.stand_ins = 0
        self._sdgs: dict[int, Sdg] | None = None
        self._targets: dict[str, SdgTarget] | None = None

    def _refs(self) -> dict[str, Organisation]:
        """The directory's organisations by IATI identifier (case folded), read once per file."""
        if self.by_ref is None:
            self.by_ref = {}
            organisations = Organisation.objects.exclude(iati_identifier="").only(
                "pk", "name", "kind", "country", "iati_identifier"
            )
            for organisation in organisations.order_by("pk"):
                self.by_ref.setdefault(organisation.iati_identifier.casefold(), organisation)
        return self.by_ref

    def _names(self) -> dict[str, Organisation]:
        if self.by_name is None:
            self.by_name = {}
            for organisation in Organisation.objects.only("pk", "name", "kind", "country").order_by("pk"):
                self.by_name.setdefault(search_key(organisation.name), organisation)
        return self.by_name

    def known(self, *, ref: str, name: str) -> Organisation | None:
        found = self._refs().get(ref.casefold()) if ref else None
        if found is not None:
            return found
        return self._names().get(search_key(name)) if name else None

    def participant(
        self, *, ref: str, name: str, country: str, guessed: bool = False, type_code: str = ""
    ) -> Organisation:
        """Found in the directory, else created: abroad, a published partner (with no country
        when the file does not tell it: an international organisation); in France, a draft
        regional actor in the collège its IATI type suggests, for the staff to complete."""
        found = self.known(ref=ref, name=name)
        if found is not None:
            return found
        label = name or ref
        if not label:
            raise ActivityRejected(
                "reporting-org", _("The reporting organisation has neither name nor identifier.")
            )
        fields: dict[str, Any] = {
            "kind": Organisation.Kind.PARTNER,
            "college": "",
            "country": country,
            "status": Organisation.Status.PUBLISHED,
            "source": Organisation.Source.IMPORT,
            "iati_identifier": ref[:100],
        }
        if country == "FR":
            fields |= {
                "kind": Organisation.Kind.REGIONAL,
                "college": COLLEGES.get(type_code, College.ASSOCIATIVE),
                "status": Organisation.Status.DRAFT,
            }
        if self.create:
            try:
                organisation = organisation_create(name=label[:200], **fields)
            except ValidationError as error:
                raise ActivityRejected("participating-org", f"{label}: {' '.join(error.messages)}") from error
        else:
            self.stand_ins -= 1
            organisation = Organisation(pk=self.stand_ins, name=label[:200], **fields)
        keys = (ref.casefold() if ref else "", search_key(label))
        if ref:
            self._refs()[keys[0]] = organisation
        self._names().setdefault(keys[1], organisation)
        self.new.append((*keys, organisation, guessed))
        return organisation

    def begin(self) -> None:
        self.new = []

    def forget(self) -> None:
        """The organisations created since ``begin()`` were rolled back: forget them."""
        names = self._names()
        for ref_key, name_key, _organisation, _guessed in self.new:
            self._refs().pop(ref_key, None)
            names.pop(name_key, None)
        self.new = []

    def sdg(self, number: int) -> Sdg | None:
        if self._sdgs is None:
            self._sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
        return self._sdgs.get(number)

    def sdg_target(self, code: str) -> SdgTarget | None:
        if self._targets is None:
            self._targets = {target.code: target for target in SdgTarget.objects.all()}
        return self._targets.get(code)


def _rule_rejection(activity: Activity, errors: dict[str, list[str]]) -> Rejection:
    part = next(iter(errors))
    reason = " ".join(message for messages in errors.values() for message in messages)
    return Rejection(activity.identifier, ELEMENTS.get(part, "iati-activity"), activity.line, reason)


def _new_organisation_warning(activity: str, organisation: Organisation, guessed: bool) -> str:
    """What staff should check about an organisation the import adds to the directory."""
    values = {"activity": activity, "name": organisation.name}
    if organisation.kind == Organisation.Kind.REGIONAL:
        values["college"] = organisation.get_college_display()
        return (
            _(
                "Activity %(activity)s: “%(name)s” is added to the directory as a draft regional "
                "actor of the collège “%(college)s” (from its IATI type); complete it."
            )
            % values
        )
    if not organisation.country:
        return (
            _(
                "Activity %(activity)s: “%(name)s” is added to the directory as an international "
                "organisation (the file gives no country)."
            )
            % values
        )
    values["country"] = organisation.country.name
    if guessed:
        return (
            _(
                "Activity %(activity)s: “%(name)s” is added to the directory as a partner in "
                "%(country)s, a country guessed from the activity (the file does not give it); "
                "check it."
            )
            % values
        )
    return (
        _("Activity %(activity)s: “%(name)s” is added to the directory as a partner in %(country)s.") % values
    )


class _Run:
    """One reading of a file, writing (``write=True``) or not."""

    def __init__(self, *, write: bool, valid_only: bool, user: User | None, status: str) -> None:
        self.write, self.valid_only, self.user, self.status = write, valid_only, user, status
        self.directory = _Directory(create=write)
        self.outcome = IatiOutcome()

    def activity(self, activity: Activity) -> None:
        outcome = self.outcome
        outcome.activities += 1
        if activity.rejection is None:
            label = activity_label(activity.identifier, activity.line)
            activity.warnings.extend(
                _new_organisation_warning(label, organisation, guessed)
                for _ref, _name, organisation, guessed in self.directory.new
            )
            if activity.data is not None:  # its warnings are the project's ``iati_warnings``
                activity.warnings.extend(
                    _("Activity %(activity)s: %(warning)s") % {"activity": label, "warning": warning}
                    for warning in project_anomalies(activity.data)
                )
        if activity.rejection is None and activity.data is not None:
            if self.write:
                activity.rejection = self._save(activity, activity.data)
            else:
                errors = project_errors(activity.data, strict=False)
                activity.rejection = _rule_rejection(activity, errors) if errors else None
                if not errors:
                    self._count(activity.data.iati_identifier)
        if activity.rejection is not None:
            outcome.rejected.append(activity.rejection)
            if self.write and not self.valid_only:
                # All or nothing: nothing will be kept; the rest of the file is only checked.
                self.write = False
                self.directory.create = False
            return
        outcome.warnings.extend(activity.warnings)

    def _count(self, identifier: str) -> None:
        # (An identifier repeated in the file counts as two creations: the memory of a check
        # does not grow with the file.)
        if identifier and Project.objects.filter(iati_identifier=identifier).exists():
            self.outcome.updated += 1
        else:
            self.outcome.created += 1

    def _save(self, activity: Activity, data: ProjectData) -> Rejection | None:
        existing = (
            Project.objects.filter(iati_identifier=data.iati_identifier).first()
            if data.iati_identifier
            else None
        )
        try:
            project_save(
                data,
                project=existing,
                user=self.user,
                provenance=Project.Provenance.IATI,
                status=self.status,
                strict=False,
            )
        except ValidationError as error:
            return _rule_rejection(activity, error.message_dict)
        except DatabaseError as error:
            reason = _("The database refused this activity: %(reason)s") % {"reason": error}
            return Rejection(activity.identifier, "iati-activity", activity.line, reason)
        if existing is None:
            self.outcome.created += 1
        else:
            self.outcome.updated += 1
        return None

    def read(self, source: str | Path | BinaryIO) -> IatiOutcome:
        reader = IatiReader(source)
        activities = reader.activities(self.directory)
        while True:
            # Each activity written in a savepoint: the organisations created for an activity
            # that is rejected afterwards go with it.
            savepoint = transaction.savepoint() if self.write else None
            self.directory.begin()
            activity = next(activities, None)
            if activity is not None:
                self.activity(activity)
            if savepoint is not None:
                if activity is not None and activity.rejection is not None:
                    transaction.savepoint_rollback(savepoint)
                    self.directory.forget()
                else:
                    transaction.savepoint_commit(savepoint)
            if activity is None:
                break
        self.outcome.version = reader.version
        self.outcome.warnings[:0] = reader.warnings
        if not self.outcome.activities:
            raise IatiFileError(_("The file holds no activity (iati-activity)."))
        return self.outcome


def iati_check(source: str | Path | BinaryIO) -> IatiOutcome:
    """Read and validate ``source`` and count what an import would do; write nothing."""
    run = _Run(write=False, valid_only=False, user=None, status=Project.Status.SUBMITTED)
    try:
        return run.read(source)
    except IatiFileError as error:
        return IatiOutcome(error=str(error))


def iati_import(
    source: str | Path | BinaryIO,
    *,
    user: User | None = None,
    valid_only: bool = False,
    status: str = Project.Status.SUBMITTED,
) -> IatiOutcome:
    """Import ``source``: all its activities, or nothing when one is rejected (unless
    ``valid_only``: the rejected ones are left out). ``status``: the validation status of the
    projects written (submitted for validation, or published)."""
    run = _Run(write=True, valid_only=valid_only, user=user, status=status)
    try:
        with transaction.atomic():
            outcome = run.read(source)
            if outcome.rejected and not valid_only:
                transaction.set_rollback(True)
    except IatiFileError as error:
        return IatiOutcome(error=str(error))
    if outcome.rejected and not valid_only:
        outcome.created = outcome.updated = 0
        return outcome
    outcome.committed = True
    return outcome


@transaction.atomic
def imports_purge() -> int:
    """Delete the IATI imports never committed after ``MAILLAGE_IMPORT_RETENTION_DAYS`` days,
    with their files; returns how many."""
    limit = timezone.now() - timedelta(days=settings.MAILLAGE_IMPORT_RETENTION_DAYS)
    runs = IatiImport.objects.exclude(status=IatiImport.Status.COMMITTED).filter(updated_at__lt=limit)
    deleted = 0
    for run in runs:
        if run.file:
            run.file.delete(save=False)
        run.delete()
        deleted += 1
    return deleted
