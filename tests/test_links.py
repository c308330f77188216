"""Stable links for trainers: the registry of published IDs and what happens when one moves."""

import json
import re
import shutil
from pathlib import Path

import pytest

from search_service.sections import heading_ids_of_site, page_url
from search_service.settings import PROJECT_ROOT, Settings
from search_service.site import SiteBuildFailed, build_site

from .content_rules import REGISTRY, registry

CURRENT_IDS = heading_ids_of_site(Settings().docs_dir)


def test_every_heading_id_is_registered():
    registered = {entry["id"] for entry in registry()}
    missing = [
        f"- {{page: {page}, id: {i}}}" for i, page in CURRENT_IDS.items() if i not in registered
    ]
    assert missing == [], f"new heading IDs; add these lines to {REGISTRY.name}: {missing}"


def test_registry_lists_each_id_once():
    ids = [entry["id"] for entry in registry()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("entry", registry(), ids=lambda e: e["id"])
def test_registered_id_still_exists_or_says_where_it_moved(entry, built_site: Path):
    if "moved_to" in entry:
        assert entry["moved_to"] in CURRENT_IDS, f"{entry['id']} moved to an unknown ID"
        return
    assert CURRENT_IDS.get(entry["id"]) == entry["page"], (
        f"{entry['id']} is no longer on {entry['page']}: restore it, or add "
        f"'moved_to: <new-id>' to its entry in {REGISTRY.name}"
    )
    html = (built_site / page_url(entry["page"]) / "index.html").read_text(encoding="utf-8")
    assert f'id="{entry["id"]}"' in html


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of everything the site is built from, to change without touching the real one."""
    for name in ("docs", "hooks", "overrides"):
        shutil.copytree(PROJECT_ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", REGISTRY.name):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    return tmp_path


def settings_for(root: Path) -> Settings:
    return Settings(
        docs_dir=root / "docs", mkdocs_config=root / "mkdocs.yml", site_dir=root / "site"
    )


def test_moved_section_and_page_keep_old_links_working(project_copy: Path):
    docs = project_copy / "docs"
    # Move the sturing page into integriteit/ and rename one of its sections (its heading and
    # its entry in the front matter).
    page = (docs / "sturing.md").read_text(encoding="utf-8")
    (docs / "integriteit" / "sturing.md").write_text(
        page.replace("{#publieke-waarde}", "{#publieke-waarde-toevoegen}").replace(
            "\n  publieke-waarde:\n", "\n  publieke-waarde-toevoegen:\n"
        ),
        encoding="utf-8",
    )
    (docs / "sturing.md").unlink()
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace(" sturing.md", " integriteit/sturing.md"))
    registry_file = project_copy / REGISTRY.name
    text = registry_file.read_text()
    text = text.replace(
        "{page: sturing.md, id: publieke-waarde}",
        "{page: sturing.md, id: publieke-waarde, moved_to: publieke-waarde-toevoegen}",
    ).replace(
        "{page: sturing.md, id: sturing}", "{page: sturing.md, id: sturing, moved_to: sturing}"
    )
    registry_file.write_text(text)
    settings = settings_for(project_copy)
    build_site(settings)

    home = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    moved = json.loads(
        re.search(r'id="kennisbank-moved-sections"[^>]*>(.*?)</script>', home).group(1)
    )
    assert moved["publieke-waarde"] == "integriteit/sturing/#publieke-waarde-toevoegen"
    redirect = (settings.site_dir / "sturing" / "index.html").read_text(encoding="utf-8")
    assert "location.replace" in redirect
    assert "integriteit/sturing/#publieke-waarde-toevoegen" in redirect


def test_move_to_an_unknown_id_fails_the_build(project_copy: Path):
    registry_file = project_copy / REGISTRY.name
    registry_file.write_text(
        registry_file.read_text().replace(
            "{page: sturing.md, id: publieke-waarde}",
            "{page: sturing.md, id: publieke-waarde, moved_to: bestaat-niet}",
        )
    )
    settings = settings_for(project_copy)
    with pytest.raises(SiteBuildFailed, match="moved to unknown ID 'bestaat-niet'"):
        build_site(settings)
    assert not settings.site_dir.exists()
