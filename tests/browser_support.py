"""Helpers for the browser tests: Debian's Chromium, a plain static server, the search box."""

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright

from search_service.measure.builtin_search import CHROMIUM, CHROMIUM_ARGS
from search_service.measure.harness import free_port
from search_service.settings import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

QUERY = "[data-md-component=search-query]"
RESULTS = "[data-md-component=search-result]"
API_LINKS = ".kb-search-list .md-search-result__link"
ANSWER = ".kb-answer"
NOTICE = ".kb-search-notice"

# Records, inside the page, when the last keystroke reached the search box and when results
# for a query were on screen (kennisbank-search.js fires "kennisbank:results").
TIMING_SCRIPT = """
window.__kb = { lastInput: 0, shown: [] };
document.addEventListener("input", (event) => {
  if (event.target.matches?.("[data-md-component=search-query]")) {
    window.__kb.lastInput = performance.now();
  }
}, true);
document.addEventListener("kennisbank:results", (event) => {
  window.__kb.shown.push({
    query: event.detail.query,
    source: event.detail.source,
    latency: performance.now() - window.__kb.lastInput,
  });
});
"""


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; never a browser downloaded by ``playwright install``."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@dataclass
class Tab:
    """A page in a fresh browser context that remembers console errors and uncaught errors."""

    page: Page
    base_url: str
    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.base_url}/{path}")

    def allow_console_error(self, pattern: str) -> None:
        """An expected error, e.g. the browser logging a failed request to the API."""
        self.allowed.append(re.compile(pattern))

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} (at {message.location.get('url', '?')})")


@contextmanager
def open_tab(browser: Browser, base_url: str, **context_options) -> Iterator[Tab]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL", **context_options
    )
    # The theme loads Roboto from Google Fonts; test machines are offline, and a font does not
    # matter here, so those requests get an empty answer instead of a logged network error.
    context.route(
        re.compile(r"^https://fonts\.(googleapis|gstatic)\.com/"),
        lambda route: route.fulfill(status=200, body="", content_type="text/css"),
    )
    context.add_init_script(TIMING_SCRIPT)
    page = context.new_page()
    tab = Tab(page, base_url)
    page.on("console", tab._on_console)
    page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
    try:
        yield tab
    finally:
        context.close()


@dataclass
class Shown:
    """What the search box showed for one query."""

    query: str
    source: str  # "api", or "material" for the built-in fallback
    latency_ms: float  # from the last keystroke to results on screen, measured in the page
    section_ids: list[str]
    retried: bool = False


def search_in_box(page: Page, query: str, want_api: bool = True) -> Shown:
    """Type the query into the site's own search box like a user and wait for its results.

    When API results are wanted but the box fell back to the built-in search (a busy machine
    can make the API miss the 1.5 s deadline), the page is reloaded and the query typed once
    more; ``retried`` says so.
    """
    shown = _type_and_wait(page, query)
    if want_api and shown.source != "api":
        page.reload()
        shown = _type_and_wait(page, query)
        shown.retried = True
    return shown


def _type_and_wait(page: Page, query: str) -> Shown:
    box = page.locator(QUERY)
    box.click()
    box.fill("")
    page.evaluate("window.__kb.shown = []")
    box.press_sequentially(query)
    record = page.wait_for_function(
        "q => window.__kb.shown.find(s => s.query === q)", arg=query.strip(), timeout=10_000
    ).json_value()
    ids = page.eval_on_selector_all(
        API_LINKS, "links => links.map(a => new URL(a.href).hash.slice(1))"
    )
    return Shown(query, record["source"], record["latency"], ids)


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of these impacts on the page as it is now, one line per node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Served as a same-origin file, so the site's Content-Security-Policy (no inline
        # scripts but its own) stays in force while axe looks at the page.
        page.route("**/__axe.min.js", lambda route: route.fulfill(path=AXE))
        page.add_script_tag(url="/__axe.min.js")
    violations = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
            .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.map(n => n.target.join(" ")) }))"""
    )
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {node}"
        for v in violations
        if v["impact"] in impacts
        for node in v["nodes"]
    ]


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """The built site from a plain file server on a free port: no search API behind it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the static file server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
