"""The section catalogue for trainers (GET /api/sections), over real HTTP."""

import shutil
from pathlib import Path

import httpx
import pytest

from search_service.catalogue import page_sources
from search_service.measure.harness import ServiceProcess
from search_service.sections import load_sections
from search_service.settings import PROJECT_ROOT, Settings

SECTIONS = [s for s in load_sections(Settings().docs_dir, Settings().mkdocs_config)]
CONTENT = [s for s in SECTIONS if not s.is_source_list]


@pytest.fixture(scope="module")
def catalogue_server(live_server):
    """The real server, its catalogue read: the first request reads it (about two seconds, git
    history included; more on a busy machine), made here with room to spare."""
    httpx.get(f"{live_server.url}/api/sections", timeout=60).raise_for_status()
    return live_server


def test_the_list_holds_every_section_with_its_link_and_summary(catalogue_server):
    listed = httpx.get(f"{catalogue_server.url}/api/sections").json()
    assert [s["id"] for s in listed] == [s.id for s in CONTENT]
    gift = next(s for s in listed if s["id"] == "geschenken-aannemen")
    assert gift["url"] == "integriteit/geschenken/#geschenken-aannemen"
    assert gift["full_url"].endswith("/integriteit/geschenken/#geschenken-aannemen")
    assert "50 euro" in gift["summary"]
    assert set(gift) == {
        "id", "url", "full_url", "title", "page_title", "breadcrumb", "summary", "last_changed"
    }  # fmt: skip


def test_one_section_has_text_safe_html_sources_and_a_citation(catalogue_server):
    section = httpx.get(f"{catalogue_server.url}/api/sections/geschenken-aannemen").json()
    assert "50 euro" in section["text"]
    assert section["html"].startswith("<p>") and "<li>" in section["html"]
    assert "<script" not in section["html"]
    assert any("p-direkt.nl" in source["url"] for source in section["sources"])
    assert section["citation"].startswith(
        "Geschenken en cadeaus aannemen — Kennisbank Ambtelijk Vakmanschap, geraadpleegd op "
    )
    assert section["citation"].endswith(section["full_url"])


def test_an_unknown_section_is_a_dutch_404(catalogue_server):
    response = httpx.get(f"{catalogue_server.url}/api/sections/bestaat-niet")
    assert response.status_code == 404
    assert response.json() == {"detail": "Er is geen sectie met het ID 'bestaat-niet'."}


def test_a_moved_section_says_where_it_went(real_index, tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", project / "mkdocs.yml")
    registry = (PROJECT_ROOT / "section-ids.yml").read_text(encoding="utf-8")
    registry += (
        "  - {page: integriteit/geschenken.md, id: oude-geschenkenregel,"
        " moved_to: geschenken-aannemen}\n"
    )
    (project / "section-ids.yml").write_text(registry, encoding="utf-8")
    server = ServiceProcess(
        {
            "KB_INDEX_DIR": str(real_index.index_dir),
            "KB_MKDOCS_CONFIG": str(project / "mkdocs.yml"),
            "KB_DOCS_DIR": str(PROJECT_ROOT / "docs"),
            "KB_SIGNALS_DB": str(tmp_path / "signals.sqlite3"),
            "KB_SERVE_SITE": "false",
        },
        tmp_path / "server.log",
    )
    try:
        server.wait_until_healthy()
        url = f"{server.url}/api/sections/oude-geschenkenregel"
        moved = httpx.get(url)
        assert moved.status_code == 301
        assert moved.json()["moved_to"] == "geschenken-aannemen"
        assert httpx.get(url, follow_redirects=True).json()["id"] == "geschenken-aannemen"
    finally:
        server.stop()


def test_sources_are_read_from_the_bronnen_section():
    markdown = "# T\n\nZie [niet dit](https://a.nl).\n\n## Bronnen {#t-bronnen}\n\n- [Wet](https://b.nl/x)\n"
    assert [(s.title, s.url) for s in page_sources(markdown)] == [("Wet", "https://b.nl/x")]
