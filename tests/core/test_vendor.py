"""The vendored front-end libraries are the ones pinned in vendor.json, untouched since
``make vendor`` wrote them (no network here: MANIFEST.json is the record)."""

import hashlib
import json
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
VENDOR_DIR = CHECKOUT / "src" / "maillage" / "core" / "static" / "vendor"
MANIFEST_PATH = VENDOR_DIR / "MANIFEST.json"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


CONFIG = {package["name"]: package for package in _load(CHECKOUT / "vendor.json")["packages"]}
MANIFEST = {package["name"]: package for package in _load(MANIFEST_PATH)["packages"]}
ALL_FILES = [(name, item) for name, entry in MANIFEST.items() for item in entry["files"]]


def test_manifest_lists_exactly_the_configured_packages():
    assert sorted(MANIFEST) == sorted(CONFIG), "vendor.json changed: run `make vendor`"


@pytest.mark.parametrize("name", sorted(CONFIG))
def test_manifest_matches_vendor_json(name):
    config, entry = CONFIG[name], MANIFEST.get(name)
    assert entry is not None, f"{name} is missing from MANIFEST.json: run `make vendor`"
    assert entry["version"] == config["version"], f"{name}: run `make vendor`"
    assert entry["integrity"] == config["integrity"], f"{name}: run `make vendor`"
    assert entry["files_requested"] == config["files"], f"{name}: run `make vendor`"
    assert entry["strip_prefix"] == config.get("strip_prefix", "")
    # "LICENSE", or the British "MIT-LICENCE.txt" of leaflet.markercluster.
    assert any(
        "LICENSE" in Path(item["path"]).name or "LICENCE" in Path(item["path"]).name
        for item in entry["files"]
    ), f"{name}: no licence"


@pytest.mark.parametrize(
    ("name", "item"), ALL_FILES, ids=[f"{name}/{item['path']}" for name, item in ALL_FILES]
)
def test_vendored_file_is_intact(name, item):
    path = VENDOR_DIR / name / item["path"]
    assert path.is_file(), f"{path} is missing: run `make vendor`"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == item["sha256"], (
        f"{path} was modified: run `make vendor`"
    )


def test_no_file_outside_the_manifest():
    listed = {VENDOR_DIR / name / item["path"] for name, item in ALL_FILES} | {MANIFEST_PATH}
    stray = sorted(
        str(p.relative_to(VENDOR_DIR)) for p in VENDOR_DIR.rglob("*") if p.is_file() and p not in listed
    )
    assert not stray, f"files in static/vendor/ not written by `make vendor`: {stray}"
