"""MkDocs hook: generate the list of every section on the trainers page (#alle-secties).

Each section has its full stable link and, when the git history knows it, the date of its last
change (hooks/changes.py puts the history in ``config.extra["section_history"]``).
"""

from datetime import date
from pathlib import Path

from search_service.history import dutch_date
from search_service.sections import load_sections

MARKER = "<!-- alle-secties -->"
TRAINERS_PAGE = "trainers.md"


def section_list_markdown(
    docs_dir: Path, mkdocs_config: Path, site_url: str, last_changed: dict[str, date] | None = None
) -> str:
    """A nested list: each page, and under it each section with its full stable link and the
    date of its last change."""
    last_changed = last_changed or {}
    lines = []
    current_page = None
    for section in load_sections(docs_dir, mkdocs_config):
        if section.page_path != current_page:
            current_page = section.page_path
            lines.append(f"- **{section.page_title}**")
        link = f"{site_url}{section.url}"
        line = f"    - [{section.title}]({section.page_path}#{section.id}): `{link}`"
        if section.id in last_changed:
            line += f" (gewijzigd {dutch_date(last_changed[section.id])})"
        lines.append(line)
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != TRAINERS_PAGE or MARKER not in markdown:
        return markdown
    site_url = config.site_url or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    history = config.extra.get("section_history")
    listing = section_list_markdown(
        Path(config.docs_dir),
        Path(config.config_file_path),
        site_url,
        history.last_changed if history else None,
    )
    return markdown.replace(MARKER, listing)
