"""The section catalogue for trainers' tools (GET /api/sections): every section with its stable
link, short answer, text, sources, citation and the date it last changed.

Built once from docs/, section-ids.yml and the repository history when the service starts;
the history (git) can take a second, so it is read on first use and then kept.
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
        self.sections = {
            s.id: s
            for s in load_sections(settings.docs_dir, settings.mkdocs_config)
            if not s.is_source_list
        }
        pages = {s.page_path for s in self.sections.values()}
        self.sources = {
            page: page_sources((settings.docs_dir / page).read_text(encoding="utf-8"))
            for page in pages
        }
        self.moved = registered_moves(settings.mkdocs_config.parent / REGISTRY)
        self._last_changed: dict[str, date] | None = None
        self._history_lock = threading.Lock()

    def last_changed(self) -> dict[str, date]:
        with self._history_lock:
            if self._last_changed is None:
                project_root = self.settings.mkdocs_config.parent
                self._last_changed = section_history(
                    project_root, self.settings.docs_dir
                ).last_changed
            return self._last_changed

    def full_url(self, section: Section) -> str:
        return self.site_url + section.url

    def citation(self, section: Section, consulted: date) -> str:
        return (
            f"{section.title} — {SITE_NAME}, geraadpleegd op {dutch_date(consulted)} — "
            f"{self.full_url(section)}"
        )
