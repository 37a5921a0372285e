"""Reading an IATI activity file as a stream: each ``iati-activity`` is validated against the
official schema, then parsed into a ``ProjectData``, then dropped from memory, so that the
memory used does not grow with the size of the file.

- The root comes first: an ``iati-organisations`` file, another XML or no XML at all is refused
  (``IatiFileError``, whose text is the French message); versions 2.01 to 2.03 are read, the 1.0x
  versions refused, an unknown version read as 2.03 with a warning.
- Each activity is validated alone: a copy of it wrapped in an ``iati-activities`` root holding
  the file's attributes. The schema's first error gives the element, the line and the reason
  of the ``Rejection``; an error on the root itself refuses the whole file.
- The organisations named by the file are looked up (or created) by the caller's
  ``Organisations`` (see ``importer``)."""

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from lxml import etree

from maillage.observatory.iati.parse import ActivityRejected, Organisations, activity_data, line_of
from maillage.observatory.iati.schema import activities_schema
from maillage.observatory.services import ProjectData

ACCEPTED_VERSIONS = ("2.01", "2.02", "2.03")
ROOT = "iati-activities"
ACTIVITY = "iati-activity"


class IatiFileError(Exception):
    """The whole file is refused; ``str(error)`` is the French message."""


@dataclass
class Rejection:
    """One activity refused: its identifier, the element at fault, its line and why."""

    identifier: str
    element: str
    line: int | None
    reason: str


@dataclass
class Activity:
    """One activity read: its data, or why it is rejected; and its warnings."""

    identifier: str
    line: int | None
    data: ProjectData | None = None
    rejection: Rejection | None = None
    warnings: list[str] = field(default_factory=list)


def activity_label(identifier: str, line: int | None) -> str:
    return identifier or _("without identifier (line %(line)s)") % {"line": line or "?"}


class IatiReader:
    """``for activity in IatiReader(source).activities(organisations): …``. After the first
    activity (or the end of the file), ``version`` and ``warnings`` (of the whole file) are
    known."""

    def __init__(self, source: str | Path | IO[bytes]) -> None:
        self.source = str(source) if isinstance(source, Path) else source
        self.version = ""
        self.warnings: list[str] = []
        self.schema = activities_schema()

    def activities(self, organisations: Organisations) -> Iterator[Activity]:
        events = etree.iterparse(
            self.source,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
        )
        root: etree._Element | None = None
        try:
            for event, element in events:
                if root is None:
                    root = element
                    self._check_root(root)
                    continue
                if event != "end" or element.tag != ACTIVITY or element.getparent() is not root:
                    continue
                yield self._activity(root, element, organisations)
                element.clear()
                while element.getprevious() is not None:
                    del root[0]
        except etree.XMLSyntaxError as error:
            raise IatiFileError(
                _("The file is not well-formed XML (line %(line)s): %(reason)s")
                % {"line": error.lineno, "reason": error.msg}
            ) from error
        if root is None:
            raise IatiFileError(_("The file is empty."))

    def _check_root(self, root: etree._Element) -> None:
        tag = root.tag if isinstance(root.tag, str) else ""
        if tag == "iati-organisations":
            raise IatiFileError(
                _(
                    "This is an IATI organisation file (iati-organisations): only activity files "
                    "(iati-activities) can be imported."
                )
            )
        if tag != ROOT:
            raise IatiFileError(
                _("This is not an IATI activity file: its root element is “%(tag)s”, not “iati-activities”.")
                % {"tag": etree.QName(tag).localname if tag else "?"}
            )
        version = (root.get("version") or "").strip()
        if not version:
            raise IatiFileError(_("The file does not say its IATI version (iati-activities/@version)."))
        if version.startswith("1."):
            raise IatiFileError(
                _("IATI version %(version)s is not read: only versions 2.01 to 2.03 are.")
                % {"version": version}
            )
        if version not in ACCEPTED_VERSIONS:
            self.warnings.append(
                _("The file gives an unknown IATI version, “%(version)s”: it is read as version 2.03.")
                % {"version": version}
            )
        self.version = version[:10]

    def _schema_error(self, root: etree._Element, element: etree._Element) -> ActivityRejected | None:
        nsmap: Any = root.nsmap
        attributes: Any = dict(root.attrib)
        wrapper = etree.Element(root.tag, attributes, nsmap=nsmap)
        wrapper.append(copy.deepcopy(element))
        if self.schema.validate(wrapper):
            return None
        errors: list[Any] = list(self.schema.error_log)  # type: ignore[call-overload]
        first = errors[0]
        path = first.path or ""
        if path.rstrip("/") == f"/{ROOT}":
            raise IatiFileError(
                _("The file does not follow the IATI schema (line %(line)s): %(reason)s")
                % {"line": first.line, "reason": first.message}
            )
        name = path.rsplit("/", 1)[-1].split("[", 1)[0] or ACTIVITY
        reason = _("Not valid against the IATI schema: %(reason)s") % {"reason": first.message}
        if len(errors) > 1:
            reason += " " + _("(and %(count)s other errors)") % {"count": len(errors) - 1}
        return ActivityRejected(name, reason, first.line or None)

    def _activity(
        self,
        root: etree._Element,
        element: etree._Element,
        organisations: Organisations,
    ) -> Activity:
        identifier = (element.findtext("iati-identifier") or "").strip()
        activity = Activity(identifier=identifier, line=line_of(element))
        try:
            error = self._schema_error(root, element)
            if error is not None:
                raise error
            activity.data = activity_data(element, organisations, activity.warnings)
        except ActivityRejected as rejected:
            activity.rejection = Rejection(
                identifier, rejected.element, rejected.line or activity.line, rejected.reason
            )
        return activity
