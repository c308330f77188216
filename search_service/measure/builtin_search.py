"""Measure Material's built-in search (lunr in the browser) on the same questions as the API.

``python -m search_service eval-builtin QUESTIONS.yml ...`` builds the site with each search
pipeline variant, serves it statically, types every question into the search box of headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright from the test extra) with the API
script blocked, and ranks the section links Material shows. The ranking is scored with the same
Report as the API's evaluation, so the README can put both side by side.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..settings import Settings
from ..site import build_site
from .evaluation import Question, Report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Material's default for Dutch has no stemmer; the variant adds lunr's Dutch stemmer.
PIPELINES = {
    "default (stopWordFilter)": None,
    "with stemmer": ["stemmer", "stopWordFilter", "trimmer"],
}
SETTLE_SECONDS = 0.3


def build_variant(settings: Settings, pipeline: list[str] | None, site_dir: Path) -> None:
    """Build the site into site_dir with another search pipeline (mkdocs INHERIT)."""
    search = {"lang": "nl", **({"pipeline": pipeline} if pipeline else {})}
    variant = settings.mkdocs_config.with_name(".mkdocs-search-variant.yml")
    lines = [f"INHERIT: {settings.mkdocs_config.name}", "plugins:", f"  - search: {search}"]
    variant.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        build_site(settings.model_copy(update={"mkdocs_config": variant, "site_dir": site_dir}))
    finally:
        variant.unlink()


def section_links(page) -> list[str]:
    """Section IDs in the order Material lists them (a page's own link has no #id)."""
    hrefs = page.eval_on_selector_all(
        "[data-md-component=search-result] a.md-search-result__link",
        "links => links.map(link => link.getAttribute('href'))",
    )
    ids = [href.split("#", 1)[1] for href in hrefs if "#" in href]
    return list(dict.fromkeys(ids))


def ask(page, question: str) -> list[str]:
    box = page.locator("[data-md-component=search-query]")
    box.fill(question)
    box.press("End")  # Material searches on key events, not on a programmatic value change
    time.sleep(SETTLE_SECONDS)
    previous, stable_since = section_links(page), time.monotonic()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # Material answers from a worker: wait until stable
        time.sleep(0.05)
        current = section_links(page)
        if current != previous:
            previous, stable_since = current, time.monotonic()
        elif time.monotonic() - stable_since > SETTLE_SECONDS:
            break
    return previous


def rank_with_builtin_search(site_dir: Path, questions: list[Question], port: int) -> Report:
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=site_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report = Report("Material built-in search")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            # Material alone: our API search box stays out of the measurement.
            page.route("**/assets/kennisbank-search.js", lambda route: route.abort())
            for _ in range(50):
                try:
                    page.goto(f"http://127.0.0.1:{port}/")
                    break
                except Exception:  # the static server is still starting
                    time.sleep(0.1)
            page.click("label.md-search__icon, .md-search__input")
            for question in questions:
                ids = ask(page, question.q)[:10]
                rank = next((n for n, i in enumerate(ids, 1) if i in question.expect), None)
                report.ranks[question.id] = rank
                report.answered[question.id] = False
                if rank != 1:
                    report.first_instead[question.id] = ids[0] if ids else "(none)"
            browser.close()
    finally:
        server.terminate()
        server.wait()
    return report


def compare_pipelines(settings: Settings, questions: list[Question], port: int) -> list[Report]:
    in_scope = [q for q in questions if q.expect]
    reports = []
    for name, pipeline in PIPELINES.items():
        with tempfile.TemporaryDirectory() as scratch:
            site_dir = Path(scratch) / "site"
            build_variant(settings, pipeline, site_dir)
            report = rank_with_builtin_search(site_dir, in_scope, port)
            report.mode = f"Material built-in search, {name}"
            reports.append(report)
    return reports
