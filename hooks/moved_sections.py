"""MkDocs hook: keep old links working for sections that moved (see section-ids.yml).

- Every page gets the map old ID → new site-relative URL; docs/assets/moved-sections.js
  sends a reader who opens an old #anchor to the new place.
- A page that no longer exists gets a small redirect page at its old address.
"""

import html
import json
from pathlib import Path

import yaml

from search_service.sections import heading_ids_of_site, page_url, registered_moves

REGISTRY = "section-ids.yml"


def moved_section_urls(registry_path: Path, docs_dir: Path) -> dict[str, str]:
    """Old ID → new URL (relative to the site root) for every entry with ``moved_to``."""
    current = heading_ids_of_site(docs_dir)
    moved = {}
    for old, target in registered_moves(registry_path).items():
        if target not in current:
            raise ValueError(f"{REGISTRY}: '{old}' moved to unknown ID '{target}'")
        moved[old] = f"{page_url(current[target])}#{target}"
    return moved


def old_pages(registry_path: Path, docs_dir: Path) -> set[str]:
    """Pages named in the registry that are no longer in docs/."""
    entries = yaml.safe_load(registry_path.read_text(encoding="utf-8"))["sections"]
    return {e["page"] for e in entries if not (docs_dir / e["page"]).exists()}


def on_config(config):
    registry_path = Path(config.config_file_path).parent / REGISTRY
    config.extra["moved_sections"] = (
        moved_section_urls(registry_path, Path(config.docs_dir)) if registry_path.exists() else {}
    )
    return config


REDIRECT_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Deze pagina is verhuisd</title>
<meta name="robots" content="noindex">
<script>
var moved = {moved};
var id = decodeURIComponent(location.hash.slice(1)).split(":~:")[0];
location.replace("{root}" + (moved[id] || "{fallback}"));
</script></head>
<body><p>Deze pagina is verhuisd:
<a href="{root_attr}{fallback_attr}">ga naar de nieuwe plek</a>.</p>
</body></html>
"""


def on_post_build(config):
    registry_path = Path(config.config_file_path).parent / REGISTRY
    if not registry_path.exists():
        return
    moved = config.extra["moved_sections"]
    entries = yaml.safe_load(registry_path.read_text(encoding="utf-8"))["sections"]
    for page in old_pages(registry_path, Path(config.docs_dir)):
        ids = [e["id"] for e in entries if e["page"] == page]
        fallback = next((moved[i] for i in ids if i in moved), "")
        url = page_url(page)
        depth = url.count("/")
        root = "../" * depth
        target = Path(config.site_dir) / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            REDIRECT_PAGE.format(
                moved=json.dumps(moved),
                root=root,
                fallback=fallback,
                root_attr=html.escape(root),
                fallback_attr=html.escape(fallback),
            ),
            encoding="utf-8",
        )
