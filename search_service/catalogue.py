"""The section catalogue for trainers' tools (GET /api/sections): every section with its stable
link, short answer, text, sources, citation and the date it last changed.

Read from docs/, section-ids.yml and the repository history on first use, then kept. Not at
start-up: the read holds the GIL for about two seconds, which slowed the first searches (p95 of
one client 76 → 157 ms in `bench` when it ran beside them).
"""

import html
import re
import threading
from dataclasses import dataclass
from datetime import date

from .history import dutch_date, section_history
from .sections import Section, load_sections, registered_moves
from .settings import Settings

SITE_NAME = "Kennisbank Ambtelijk Vakmanschap"
REGISTRY = "section-ids.yml"
# A source in a Bronnen section: `[title](https://...)`.
SOURCE_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


@dataclass(frozen=True)
class Source:
    title: str
    url: str


def page_sources(markdown: str) -> list[Source]:
    """The links of a page's Bronnen section (the last `## Bronnen` heading to the end)."""
    heading = markdown.rfind("\n## Bronnen")
    if heading < 0:
        return []
    return [Source(t, u) for t, u in SOURCE_LINK.findall(markdown[heading:])]


def section_html(section: Section) -> str:
    """The section's text as simple, safe HTML: paragraphs and lists, every text escaped."""
    in_list = {position: group[0] for group in section.lists for position in group}
    parts: list[str] = []
    for position, paragraph in enumerate(section.paragraphs):
        text = html.escape(paragraph)
        first_of_list = in_list.get(position)
        if first_of_list is None:
            parts.append(f"<p>{text}</p>")
            continue
        if first_of_list == position:
            parts.append("<ul>")
        parts.append(f"<li>{text}</li>")
        if position + 1 not in in_list or in_list[position + 1] != first_of_list:
            parts.append("</ul>")
    return "\n".join(parts)


class Catalogue:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        site_url = settings.site_url
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.sections: dict[str, Section] = {}
        self.sources: dict[str, list[Source]] = {}
        self.moved: dict[str, str] = {}
        self.last_changed: dict[str, date] = {}
        self._loaded = False
        self._lock = threading.Lock()

    def load(self) -> "Catalogue":
        """Read the sections, their sources, the moves and the history, once (about two seconds
        for a history of 260 commits, on the first request that needs them); a second caller
        waits for the first."""
        with self._lock:
            if not self._loaded:
                settings = self.settings
                self.sections = {
                    s.id: s
                    for s in load_sections(settings.docs_dir, settings.mkdocs_config)
                    if not s.is_source_list
                }
                self.sources = {
                    page: page_sources((settings.docs_dir / page).read_text(encoding="utf-8"))
                    for page in {s.page_path for s in self.sections.values()}
                }
                project_root = settings.mkdocs_config.parent
                self.moved = registered_moves(project_root / REGISTRY)
                self.last_changed = section_history(project_root, settings.docs_dir).last_changed
                self._loaded = True
        return self

    def full_url(self, section: Section) -> str:
        return self.site_url + section.url

    def citation(self, section: Section, consulted: date) -> str:
        return (
            f"{section.title} — {SITE_NAME}, geraadpleegd op {dutch_date(consulted)} — "
            f"{self.full_url(section)}"
        )
