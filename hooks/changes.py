"""MkDocs hook: what changed, from the git history of docs/ (search_service/history.py).

- Under each section heading: "Laatst gewijzigd: <datum>".
- The page wijzigingen.md: every change by date, section by section (at the marker).
- feed.xml: an Atom feed of the changes that are not minor, written with feedgen.

The trainers' list of all sections (hooks/section_list.py) reads the dates from
``config.extra["section_history"]``. Without history (a source tarball) the site is still
built, without dates, and the build log says so in one line.
"""

import logging
import uuid
from pathlib import Path

from feedgen.feed import FeedGenerator
from mkdocs.structure.files import File

from search_service.history import ADDED, MOVED, Change, History, dutch_date, section_history
from search_service.sections import (
    Section,
    load_sections,
    registered_moves,
    under_section_headings,
)

log = logging.getLogger("mkdocs.hooks.changes")

CHANGES_PAGE = "wijzigingen.md"
MARKER = "<!-- wijzigingen -->"
FEED = "feed.xml"
FEED_ENTRIES = 100
REGISTRY = "section-ids.yml"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "kennisbank-ambtelijk-vakmanschap:wijzigingen")
KIND_LABELS = {ADDED: "Toegevoegd", MOVED: "Verplaatst"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind[:1].upper() + kind[1:])


def last_changed_line(day) -> str:
    return (
        f'<p class="kb-last-changed"><small>Laatst gewijzigd: '
        f'<time datetime="{day.isoformat()}">{dutch_date(day)}</time></small></p>'
    )


def with_last_changed(markdown: str, last_changed: dict) -> str:
    """Insert "Laatst gewijzigd: <datum>" right under every section heading with a date."""

    def line(section_id: str) -> str | None:
        day = last_changed.get(section_id)
        return last_changed_line(day) if day else None

    return under_section_headings(markdown, line)


class Site:
    """Where each section is now: an ID from history may have moved (section-ids.yml)."""

    def __init__(self, sections: list[Section], registry_path: Path) -> None:
        self.sections = {s.id: s for s in sections}
        self.moved_to = registered_moves(registry_path)

    def current(self, section_id: str) -> Section | None:
        seen = set()
        while section_id not in self.sections and section_id in self.moved_to:
            if section_id in seen:
                return None
            seen.add(section_id)
            section_id = self.moved_to[section_id]
        return self.sections.get(section_id)


def change_line(change: Change, site: Site) -> str:
    section = site.current(change.section_id)
    title = section.title if section else change.title
    line = f"- {kind_label(change.kind)}: "
    if section:
        line += f"[{title}]({section.page_path}#{section.id}) ({section.page_title})"
    else:
        line += f"{title} (deze sectie bestaat niet meer)"
    if change.moved_from_page:
        line += f", eerder op de pagina {change.moved_from_page}"
    if change.moved_from_id:
        line += f", eerder met het ID `{change.moved_from_id}`"
    if change.minor:
        line += " *(klein: spelling of opmaak)*"
    return line


def changes_markdown(history: History, site: Site) -> str:
    """Every change, newest first, grouped by date."""
    if not history.events:
        return (
            "Er zijn geen wijzigingen bekend: deze versie van de site is gebouwd zonder "
            "de geschiedenis van de teksten.\n"
        )
    lines: list[str] = []
    current_day = None
    for change in sorted(history.events, key=lambda c: c.when, reverse=True):
        if change.date != current_day:
            current_day = change.date
            lines += ["", f"**{dutch_date(current_day)}**", ""]
        lines.append(change_line(change, site))
    return "\n".join(lines).strip() + "\n"


def site_base(config) -> str:
    base = config.site_url or ""
    return base if not base or base.endswith("/") else base + "/"


def atom_feed(history: History, site: Site, config) -> bytes:
    """The Atom feed of the changes that are not minor, newest first."""
    base = site_base(config)
    changes_url = f"{base}wijzigingen/"
    feed = FeedGenerator()
    feed.id(f"urn:uuid:{ID_NAMESPACE}")
    feed.title(f"Wijzigingen in de {config.site_name}")
    feed.subtitle(
        "Inhoudelijke wijzigingen per sectie. Kleine wijzigingen (spelling, opmaak) staan "
        "alleen op de pagina Wijzigingen."
    )
    feed.author({"name": config.site_name})
    feed.link(href=changes_url, rel="alternate", type="text/html")
    feed.link(href=f"{base}{FEED}", rel="self", type="application/atom+xml")
    feed.language("nl")
    changes = [c for c in history.events if not c.minor]
    changes = sorted(changes, key=lambda c: c.when, reverse=True)[:FEED_ENTRIES]
    if changes:
        feed.updated(changes[0].when)
    for change in changes:
        section = site.current(change.section_id)
        title = section.title if section else change.title
        entry = feed.add_entry(order="append")
        entry.id(f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{change.commit}:{change.section_id}')}")
        entry.title(f"{kind_label(change.kind)}: {title}")
        entry.link(href=f"{base}{section.url}" if section else changes_url, rel="alternate")
        entry.published(change.when)
        entry.updated(change.when)
        entry.category(term=change.kind)
        day = dutch_date(change.date)
        page = f'de pagina "{section.page_title}"' if section else ""
        if change.kind == MOVED:
            summary = f'De sectie "{title}" is op {day} verplaatst' + (
                f" naar {page}." if page else "."
            )
        else:
            verb = "toegevoegd" if change.kind == ADDED else "gewijzigd"
            where = f" op {page}" if page else ""
            summary = f'De sectie "{title}"{where} is op {day} {verb}.'
        if section and section.short_answer:
            summary += f" Kort antwoord: {section.short_answer}"
        entry.summary(summary)
    return feed.atom_str(pretty=True)


def on_config(config):
    root = Path(config.config_file_path).parent
    history = section_history(root, Path(config.docs_dir))
    if history.note:
        log.info(history.note)
    config.extra["section_history"] = history
    return config


def _site(config) -> Site:
    root = Path(config.config_file_path).parent
    sections = load_sections(Path(config.docs_dir), Path(config.config_file_path))
    return Site(sections, root / REGISTRY)


def on_files(files, config):
    history = config.extra["section_history"]
    files.append(File.generated(config, FEED, content=atom_feed(history, _site(config), config)))
    return files


def on_page_markdown(markdown, page, config, files):
    history = config.extra["section_history"]
    if page.file.src_uri == CHANGES_PAGE and MARKER in markdown:
        markdown = markdown.replace(MARKER, changes_markdown(history, _site(config)))
    return with_last_changed(markdown, history.last_changed)
