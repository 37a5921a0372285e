"""Vendor the front-end libraries listed in ``vendor.json`` from the npm registry (``make vendor``).

For each package, at the exact version pinned in ``vendor.json``:

1. fetch the registry metadata ``<registry>/<name>/<version>`` and check that its ``dist.integrity``
   is the one recorded in ``vendor.json``;
2. download the tarball and check its sha512 against that integrity;
3. keep only the listed files, under ``src/maillage/core/static/vendor/<name>/`` (without the
   tarball's ``package/`` directory and without the package's ``strip_prefix``, e.g. ``dist/``);
4. remove the vendored files no longer listed, and write ``vendor/MANIFEST.json`` (name, version,
   integrity, and every file with its sha256), which ``tests/core/test_vendor.py`` checks.

Everything is downloaded and verified before the tree is touched, so a failure leaves it as it was.
Running it twice changes nothing: a package whose files on disk already match the manifest is not
downloaded again (``--force`` downloads everything).

One change is made to upstream files: a trailing ``sourceMappingURL`` comment pointing at a map we
do not vendor is removed (the manifest says so for each such file), because Django's
``ManifestStaticFilesStorage`` (``collectstatic`` in production) fails on a reference to a missing
file, and the maps would double the size of what we ship.

Standard library only: it runs before anything else is installed.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path, PurePosixPath
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = ROOT / "vendor.json"
VENDOR_DIR = ROOT / "src" / "maillage" / "core" / "static" / "vendor"
MANIFEST_NAME = "MANIFEST.json"

TIMEOUT = 60  # seconds, per request
ATTEMPTS = 3  # transient network errors are retried
MAX_DOWNLOAD = 64 * 1024 * 1024  # no npm tarball we use comes near this
USER_AGENT = "maillage-vendor (python urllib)"
EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")
# A source map comment at the very end of a .js or .css file.
SOURCE_MAP_COMMENT = re.compile(
    rb"(?:\r?\n)?[ \t]*(?://[#@][ \t]*sourceMappingURL=(?P<js>[^\s]+)"
    rb"|/\*[#@][ \t]*sourceMappingURL=(?P<css>[^\s*]+)[ \t]*\*/)[ \t\r\n]*\Z"
)


class VendorError(Exception):
    """A failure with a message meant for the person running ``make vendor``."""


# --- Configuration ---------------------------------------------------------------------------------


def load_config(path: Path) -> tuple[str, list[dict[str, Any]]]:
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VendorError(f"{path} not found.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VendorError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(config, dict) or not isinstance(config.get("packages"), list):
        raise VendorError(f"{path}: expected an object with a 'packages' list.")
    registry = config.get("registry", "https://registry.npmjs.org")
    if not isinstance(registry, str) or not registry.startswith("https://"):
        raise VendorError(f"{path}: 'registry' must be an https:// URL.")
    packages = config["packages"]
    seen: set[str] = set()
    for index, package in enumerate(packages):
        where = f"{path.name}: packages[{index}]"
        if not isinstance(package, dict):
            raise VendorError(f"{where} must be an object.")
        for key in ("name", "version", "integrity"):
            if not isinstance(package.get(key), str) or not package[key]:
                raise VendorError(f"{where}: '{key}' is missing or not a string.")
        name = package["name"]
        where = f"{path.name}: package '{name}'"
        if name in seen:
            raise VendorError(f"{where} is listed twice.")
        seen.add(name)
        if name.startswith((".", "_")) or ".." in name or name == MANIFEST_NAME:
            raise VendorError(f"{where}: not a valid package name.")
        if not EXACT_VERSION.match(package["version"]):
            raise VendorError(f"{where}: version {package['version']!r} is not an exact version (x.y.z).")
        if not package["integrity"].startswith("sha512-"):
            raise VendorError(
                f"{where}: integrity must be a 'sha512-…' value (npm view {name} dist.integrity)."
            )
        files = package.get("files")
        if not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files):
            raise VendorError(f"{where}: 'files' must be a non-empty list of paths.")
        for pattern in files:
            if pattern.startswith("/") or ".." in PurePosixPath(pattern).parts:
                raise VendorError(
                    f"{where}: file pattern {pattern!r} must be a relative path inside the package."
                )
        strip = package.get("strip_prefix", "")
        if not isinstance(strip, str) or (strip and not strip.endswith("/")):
            raise VendorError(f"{where}: 'strip_prefix' must be a directory ending with '/'.")
    return registry.rstrip("/"), packages


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """The current manifest by package name; empty if there is none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["name"]: entry for entry in data["packages"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


# --- Network ---------------------------------------------------------------------------------------


def fetch(url: str, *, what: str) -> bytes:
    if not url.startswith("https://"):
        raise VendorError(f"refusing to download {what} over a non-https URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                data = response.read(MAX_DOWNLOAD + 1)
            if len(data) > MAX_DOWNLOAD:
                raise VendorError(f"{what} is larger than {MAX_DOWNLOAD} bytes: {url}")
            return data
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt == ATTEMPTS:
                raise VendorError(
                    f"cannot download {what}: HTTP {exc.code} {exc.reason} from {url}"
                ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            if attempt == ATTEMPTS:
                reason = getattr(exc, "reason", exc)
                raise VendorError(f"cannot download {what} from {url}: {reason}") from None
        time.sleep(2 * attempt)
    raise AssertionError("unreachable")


def fetch_metadata(registry: str, name: str, version: str) -> dict[str, Any]:
    url = f"{registry}/{urllib.parse.quote(name, safe='@')}/{urllib.parse.quote(version)}"
    raw = fetch(url, what=f"the registry metadata of {name}@{version}")
    try:
        metadata = json.loads(raw)
    except ValueError:
        metadata = None
    dist = metadata.get("dist") if isinstance(metadata, dict) else None
    if not isinstance(dist, dict) or not all(
        isinstance(dist.get(key), str) for key in ("integrity", "tarball")
    ):
        raise VendorError(f"unexpected registry metadata for {name}@{version} at {url}")
    if metadata.get("version") != version:
        raise VendorError(f"the registry answered version {metadata.get('version')!r} for {name}@{version}.")
    return metadata


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


# --- Extraction ------------------------------------------------------------------------------------


def matches(pattern: str, path: str) -> bool:
    """Glob match where '*' and '?' stay within one path segment."""
    pattern_parts, path_parts = pattern.split("/"), path.split("/")
    return len(pattern_parts) == len(path_parts) and all(
        fnmatch.fnmatchcase(part, pat) for part, pat in zip(path_parts, pattern_parts, strict=True)
    )


def read_tarball(name: str, data: bytes) -> dict[str, bytes]:
    """The regular files of an npm tarball, by path without the top directory (``package/``)."""
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                parts = PurePosixPath(member.name).parts
                if len(parts) < 2 or member.name.startswith("/") or ".." in parts:
                    continue  # never extract outside the package directory
                extracted = archive.extractfile(member)
                if extracted is not None:
                    files["/".join(parts[1:])] = extracted.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise VendorError(f"the tarball of {name} cannot be read: {exc}") from None
    return files


def strip_source_map(path: str, content: bytes, kept: set[str]) -> tuple[bytes, bool]:
    if not path.endswith((".js", ".css")):
        return content, False
    match = SOURCE_MAP_COMMENT.search(content)
    if not match:
        return content, False
    url = (match.group("js") or match.group("css")).decode("utf-8", "replace")
    target = str(PurePosixPath(path).parent / url) if "://" not in url and not url.startswith("data:") else ""
    if target in kept:
        return content, False
    return content[: match.start()] + b"\n", True


def select_files(package: dict[str, Any], archive: dict[str, bytes]) -> list[dict[str, Any]]:
    name, strip = package["name"], package.get("strip_prefix", "")
    chosen: dict[str, str] = {}  # destination -> source
    for pattern in package["files"]:
        found = sorted(path for path in archive if matches(pattern, path))
        if not found:
            raise VendorError(
                f"{name}@{package['version']}: no file matches {pattern!r} in the tarball "
                f"(it has e.g. {', '.join(sorted(archive)[:8])})."
            )
        for source in found:
            destination = source.removeprefix(strip) if strip else source
            if chosen.get(destination, source) != source:
                raise VendorError(
                    f"{name}: {chosen[destination]!r} and {source!r} would both become {destination!r}."
                )
            chosen[destination] = source
    kept = set(chosen)
    result = []
    for destination, source in sorted(chosen.items()):
        content, stripped = strip_source_map(destination, archive[source], kept)
        entry: dict[str, Any] = {"path": destination, "source": source, "content": content}
        if stripped:
            entry["source_map_comment_removed"] = True
        result.append(entry)
    return result


# --- The vendored tree -----------------------------------------------------------------------------


def sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def is_up_to_date(package: dict[str, Any], entry: dict[str, Any] | None) -> bool:
    """True when the manifest entry was made from this exact configuration and the files match it."""
    if not entry:
        return False
    same_request = (
        entry.get("version") == package["version"]
        and entry.get("integrity") == package["integrity"]
        and entry.get("license", "") == package.get("license", "")
        and entry.get("files_requested") == package["files"]
        and entry.get("strip_prefix") == package.get("strip_prefix", "")
    )
    return same_request and all(
        sha256_file(VENDOR_DIR / package["name"] / item["path"]) == item["sha256"]
        for item in entry.get("files", [])
    )


def write_if_changed(path: Path, content: bytes) -> bool:
    try:
        if path.read_bytes() == content:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vendor-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def remove_stale(expected: set[Path]) -> list[Path]:
    removed = []
    for path in sorted(VENDOR_DIR.rglob("*"), reverse=True):
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in expected:
            path.unlink()
            removed.append(path)
    return removed


def manifest_file(item: dict[str, Any]) -> dict[str, Any]:
    entry = {
        "path": item["path"],
        "source": item["source"],
        "size": len(item["content"]),
        "sha256": hashlib.sha256(item["content"]).hexdigest(),
    }
    if item.get("source_map_comment_removed"):
        entry["source_map_comment_removed"] = True
    return entry


def human(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MiB"


def run(force: bool) -> None:
    registry, packages = load_config(CONFIG_PATH)
    manifest_path = VENDOR_DIR / MANIFEST_NAME
    previous = load_manifest(manifest_path)

    # 1. Download and verify everything before touching the tree.
    planned: list[tuple[dict[str, Any], list[dict[str, Any]] | None, str]] = []
    for package in packages:
        name, version = package["name"], package["version"]
        if not force and is_up_to_date(package, previous.get(name)):
            planned.append((package, None, previous[name]["tarball"]))
            continue
        print(f"{name}@{version}: downloading…", flush=True)
        metadata = fetch_metadata(registry, name, version)
        published = metadata["dist"]["integrity"]
        if published != package["integrity"]:
            raise VendorError(
                f"{name}@{version}: the registry publishes integrity {published}, "
                f"but vendor.json says {package['integrity']}. Check the version, then update vendor.json."
            )
        tarball_url = metadata["dist"]["tarball"]
        data = fetch(tarball_url, what=f"the tarball of {name}@{version}")
        actual = sri_sha512(data)
        if actual != package["integrity"]:
            raise VendorError(
                f"{name}@{version}: the downloaded tarball {tarball_url} has integrity {actual}, "
                f"not {package['integrity']} as vendor.json says. Nothing was changed."
            )
        planned.append((package, select_files(package, read_tarball(name, data)), tarball_url))

    # 2. Write the files, remove the ones no longer listed, write the manifest.
    expected: set[Path] = {manifest_path}
    entries, total, changed = [], 0, 0
    for package, files, tarball_url in planned:
        name = package["name"]
        if files is None:
            entry = previous[name]
            status = "up to date"
        else:
            for item in files:
                changed += write_if_changed(VENDOR_DIR / name / item["path"], item["content"])
            entry = {
                "name": name,
                "version": package["version"],
                "license": package.get("license", ""),
                "integrity": package["integrity"],
                "tarball": tarball_url,
                "files_requested": package["files"],
                "strip_prefix": package.get("strip_prefix", ""),
                "files": [manifest_file(item) for item in files],
            }
            status = "verified"
        size = sum(item["size"] for item in entry["files"])
        total += size
        expected.update(VENDOR_DIR / name / item["path"] for item in entry["files"])
        entries.append(entry)
        print(f"{name}@{package['version']}: {len(entry['files'])} files, {human(size)} ({status})")

    removed = remove_stale(expected)
    for path in removed:
        print(f"removed {path.relative_to(ROOT)} (no longer listed in vendor.json)")
    manifest = {
        "comment": "Written by scripts/vendor.py from vendor.json (make vendor). Do not edit by hand.",
        "packages": entries,
    }
    changed += write_if_changed(
        manifest_path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    )
    print(
        f"{len(entries)} packages, {human(total)} in {VENDOR_DIR.relative_to(ROOT)}/; "
        f"{changed} files written, {len(removed)} removed."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="download every package even if up to date")
    args = parser.parse_args(argv)
    try:
        run(force=args.force)
    except VendorError as exc:
        print(f"vendor.py: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"vendor.py: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
