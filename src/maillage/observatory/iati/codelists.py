"""The IATI codelists shipped in ``core/data/iati/``, read once per process: the codes of each
list and those withdrawn from it (kept in files published before their withdrawal)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

DIRECTORY = Path(__file__).resolve().parents[2] / "core" / "data" / "iati"


@dataclass(frozen=True)
class Codelist:
    name: str
    codes: frozenset[str]
    withdrawn: frozenset[str]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def active(self, code: str) -> bool:
        return code in self.codes and code not in self.withdrawn


@cache
def codelist(name: str) -> Codelist:
    """The codelist ``name`` (the file name without ``.xml``: "Sector", "Country"…)."""
    path = DIRECTORY / f"{name}.xml"
    if not path.is_file():
        raise LookupError(f"No IATI codelist named {name!r} in {DIRECTORY}.")
    codes, withdrawn = set(), set()
    for item in etree.parse(str(path)).iterfind("codelist-items/codelist-item"):
        code = (item.findtext("code") or "").strip()
        if not code:
            continue
        codes.add(code)
        if item.get("status") == "withdrawn":
            withdrawn.add(code)
    return Codelist(name, frozenset(codes), frozenset(withdrawn))
