"""Browser tests: pytest-django's live server, Debian's Chromium driven by Playwright, and axe-core
on every page a test visits.

Writing a test::

    def test_something(page, visit, axe_check):
        visit(page, "/annuaire/")                       # navigates, checks the status, runs axe
        with page.expect_navigation():
            page.get_by_role("link", name="Suivant").click()
        axe_check(page)                                 # after anything that loads a new page

- ``page`` opens on a fresh browser context (its own cookies) whose base URL is the live server,
  in French (``Accept-Language: fr-FR``). ``new_page()`` gives another one, e.g. for a second user.
- Every page a test reaches must be checked with ``axe_check(page)`` (``visit`` does it): a page
  loaded and never checked fails the test at teardown. axe violations fail the test with the rule,
  its impact, the help link and the offending elements.
- The database is transactional (the live server runs in another thread): tests need no marker.
- Every test here gets the ``e2e`` marker (``pytest -m "not e2e"`` leaves them out) and runs after
  the rest of the suite: Playwright's sync API keeps an event loop running in the main thread, which
  Django's async-safety check would otherwise refuse in the tests that follow.
- No Chromium: the tests are skipped with a message, or fail when the ``CI`` variable is set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Response, sync_playwright

E2E_DIR = Path(__file__).resolve().parent
CHECKOUT = E2E_DIR.parents[1]
AXE_SCRIPT = CHECKOUT / "src" / "maillage" / "core" / "static" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # the CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling home, which floods a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one h1, heading order, …).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
TIMEOUT_MS = 15_000
_test_passed = pytest.StashKey[bool]()


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


# --- Collection: the marker, and browser tests last -----------------------------------------------


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    e2e, others = [], []
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            e2e.append(item)
        else:
            others.append(item)
    items[:] = others + e2e


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_test_passed] = report.passed
    return report


# --- The browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    executable = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).is_file():
        message = f"Chromium not found at {executable}; install Debian's chromium or set MAILLAGE_CHROMIUM"
        if _in_ci():
            pytest.fail(f"{message} (CI is set: browser tests may not be skipped).", pytrace=False)
        pytest.skip(message)
    # The sync API runs an event loop in this thread; the Django code the tests call is sync.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        yield playwright
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    executable = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
    browser = _playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# --- axe-core -------------------------------------------------------------------------------------


def _normalise(url: str) -> str:
    return urldefrag(url).url


class AxeTracker:
    """Pages loaded in the browser and not yet checked with axe, for every page of a test."""

    IGNORED_PREFIXES = ("about:", "data:", "chrome-error:", "blob:")

    def __init__(self) -> None:
        self.unchecked: dict[str, None] = {}  # ordered set of URLs
        self.checked: set[str] = set()
        self._current: dict[Page, str] = {}

    def attach(self, page: Page) -> None:
        if page in self._current:
            return
        self._current[page] = ""

        def navigated(frame: Any) -> None:
            # A new URL in the main frame (including htmx's pushState); a mere #fragment is not one.
            if frame == page.main_frame:
                url = _normalise(frame.url)
                if url != self._current.get(page):
                    self._current[page] = url
                    self._loaded(url)

        page.on("framenavigated", navigated)
        # A new document at the same URL (a form posted back to itself, a reload) is a new page too.
        page.on("domcontentloaded", lambda loaded: self._loaded(_normalise(loaded.url)))

    def _loaded(self, url: str) -> None:
        if not url.startswith(self.IGNORED_PREFIXES):
            self.unchecked[url] = None

    def mark_checked(self, url: str) -> None:
        self.unchecked.pop(_normalise(url), None)
        self.checked.add(_normalise(url))


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core: {len(violations)} accessibility violation(s) on {url}"]
    for violation in violations:
        lines.append(
            f"\n● {violation['id']} ({violation['impact']}): {violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(
                " >> ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            html = node["html"] if len(node["html"]) <= 300 else node["html"][:300] + "…"
            lines.append(f"  - {target}\n      {html}")
            lines.extend(
                f"      {line}" for line in (node.get("failureSummary") or "").splitlines() if line.strip()
            )
    return "\n".join(lines)


_AXE_RUN = """
async ({tags, disabled}) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  if (disabled.length) {
    options.rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
  }
  const results = await window.axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, failureSummary: n.failureSummary})),
  }));
}
"""


@pytest.fixture(scope="session")
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make vendor`.", pytrace=False)
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def _axe_tracker(request: pytest.FixtureRequest) -> Iterator[AxeTracker]:
    tracker = AxeTracker()
    yield tracker
    if tracker.unchecked and request.node.stash.get(_test_passed, False):
        pytest.fail(
            "These pages were loaded in the browser but never checked with axe-core: "
            + ", ".join(tracker.unchecked)
            + ".\nCall axe_check(page) once each page has loaded (visit(page, url) does it; after a click, "
            "wait for the navigation first, e.g. `with page.expect_navigation(): ….click()`).",
            pytrace=False,
        )


@pytest.fixture
def axe_check(_axe_source: str, _axe_tracker: AxeTracker) -> Callable[..., None]:
    """``axe_check(page, disable=())``: run axe-core on the page as it is now; violations fail.

    ``disable`` turns off rules by id; use it only with a comment saying why."""

    def check(page: Page, *, disable: tuple[str, ...] | list[str] = ()) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(_axe_source)  # through the DevTools protocol: no CSP gets in the way
        violations = page.evaluate(_AXE_RUN, {"tags": AXE_TAGS, "disabled": list(disable)})
        _axe_tracker.mark_checked(page.url)
        if violations:
            pytest.fail(_format_violations(page.url, violations), pytrace=False)

    return check


# --- Pages ----------------------------------------------------------------------------------------


@pytest.fixture
def new_page(
    browser: Browser, live_server: Any, transactional_db: None, _axe_tracker: AxeTracker
) -> Iterator[Callable[..., Page]]:
    """``new_page(**context_options)``: a page in a new browser context (its own cookies)."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        settings = {"base_url": live_server.url, "locale": "fr-FR", "timezone_id": "Europe/Paris"} | options
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", _axe_tracker.attach)  # pop-ups too
        contexts.append(context)
        page = context.new_page()
        _axe_tracker.attach(page)  # no-op if the "page" event came first
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def visit(axe_check: Callable[..., None]) -> Callable[..., Response]:
    """``visit(page, url, status=200)``: go to ``url`` (relative to the live server), check the
    HTTP status of the page reached, run axe-core on it, and return the response."""

    def go(page: Page, url: str, *, status: int | None = 200, disable: tuple[str, ...] = ()) -> Response:
        response = page.goto(url)
        assert response is not None, f"no response for {url}"
        if status is not None:
            assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
        axe_check(page, disable=disable)
        return response

    return go
