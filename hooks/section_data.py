"""MkDocs hook: every section's text as data, for the reading list (docs/assets/leesmap.js).

Writes ``assets/sections.json`` into the built site: for each section its stable ID, URL,
titles, breadcrumb, short answer and its rendered text, plus the map of moved IDs from
section-ids.yml. The reading list needs no search API: this file is served with the site.

A section's text is the page's rendered HTML from below its heading up to the next section
heading (h2 or h3), the same span as the search service's Section. It is rebuilt from an
allow-list of tags: text is escaped again, links keep only a safe address (made relative to
the site root), and buttons, scripts, images and all other attributes are left out.
"""

import html
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from mkdocs.exceptions import PluginError

from search_service.sections import load_sections

OUTPUT = "assets/sections.json"
REGISTRY = "section-ids.yml"

# Tags kept as they are (without attributes, except those named below).
KEPT = {
    "p", "ul", "ol", "li", "blockquote", "strong", "em", "code", "pre", "br", "hr",
    "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "a",
}  # fmt: skip
RENAMED = {"b": "strong", "i": "em", "h4": "p", "h5": "p", "h6": "p"}
# Admonitions (also collapsible ones: details/summary, printed open) keep their look.
BOX_KINDS = {
    "admonition", "note", "abstract", "info", "tip", "success", "question", "warning",
    "failure", "danger", "bug", "example", "quote",
}  # fmt: skip
# Left out together with everything inside them.
DROPPED = {"script", "style", "svg", "button", "template", "iframe", "object", "noscript",
           "form", "input", "select", "textarea", "img", "video", "audio", "canvas"}  # fmt: skip
VOID = {"br", "hr", "img", "input", "wbr", "meta", "link", "source"}
SECTION_HEADINGS = {"h2", "h3"}
PAGE_HEADINGS = {"h1", "h2", "h3"}
SAFE_SCHEMES = {"http", "https", "mailto"}
FAKE_ROOT = "https://kennisbank.invalid/"


def site_relative(href: str, page_url: str) -> str | None:
    """A link's address: an absolute http(s)/mailto URL, or a URL relative to the site root."""
    href = href.strip()
    scheme = urlsplit(href).scheme.lower()
    if scheme:
        return href if scheme in SAFE_SCHEMES else None
    resolved = urljoin(FAKE_ROOT + page_url, href)
    if not resolved.startswith(FAKE_ROOT):
        return None
    return resolved.removeprefix(FAKE_ROOT) or "./"


class SectionSplitter(HTMLParser):
    """Cuts a page's rendered HTML into sections (h2/h3 with an ID) of allow-listed HTML."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.sections: dict[str, list[str]] = {}
        self.current: list[str] | None = None
        self.in_heading = False
        self.skip_depth = 0  # inside a dropped element (or a heading's permalink)
        self.open: list[str | None] = []  # per open source tag: the tag written, or None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in PAGE_HEADINGS:
            self._finish()
            if tag in SECTION_HEADINGS and attributes.get("id"):
                self.sections[attributes["id"]] = self.current = []
            self.in_heading = True
            return
        if self.current is None or self.in_heading:
            return
        if self.skip_depth or tag in DROPPED or "headerlink" in (attributes.get("class") or ""):
            if tag not in VOID:
                self.skip_depth += 1
            return
        written = self._start(tag, attributes)
        if tag not in VOID:
            self.open.append(written)

    def _start(self, tag: str, attributes: dict) -> str | None:
        classes = (attributes.get("class") or "").split()
        if tag in {"div", "details"}:
            kinds = [c for c in classes if c in BOX_KINDS and c != "admonition"]
            if tag == "details" or "admonition" in classes:
                kind = " ".join(["admonition", *kinds[:1]])
                self.current.append(f'<div class="{kind}">')
                return "div"
            return None
        if tag == "summary" or (tag == "p" and "admonition-title" in classes):
            self.current.append('<p class="admonition-title">')
            return "p"
        tag = RENAMED.get(tag, tag)
        if tag not in KEPT:
            return None
        if tag == "a":
            href = site_relative(attributes.get("href") or "", self.page_url)
            if href is None:
                return None
            self.current.append(f'<a href="{html.escape(href)}">')
            return "a"
        self.current.append(f"<{tag}>")
        return None if tag in VOID else tag

    def _finish(self) -> None:
        """End the current section, closing what it left open so that it stands on its own."""
        if self.current is not None:
            self.current.extend(f"</{tag}>" for tag in reversed(self.open) if tag)
        self.current = None
        self.open.clear()
        self.skip_depth = 0

    def handle_endtag(self, tag):
        if tag in PAGE_HEADINGS and self.in_heading:
            self.in_heading = False
            return
        if self.current is None or self.in_heading or tag in VOID:
            return
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if self.open:
            written = self.open.pop()
            if written:
                self.current.append(f"</{written}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self.current is not None and not self.in_heading and not self.skip_depth:
            self.current.append(html.escape(data, quote=False))

    def result(self) -> dict[str, str]:
        self._finish()
        return {section_id: "".join(parts).strip() for section_id, parts in self.sections.items()}


def split_sections(page_html: str, page_url: str) -> dict[str, str]:
    splitter = SectionSplitter(page_url)
    splitter.feed(page_html)
    splitter.close()
    return splitter.result()


def moved_ids(registry_path: Path) -> dict[str, str]:
    """Old ID → new ID for every registry entry with ``moved_to``."""
    if not registry_path.exists():
        return {}
    entries = yaml.safe_load(registry_path.read_text(encoding="utf-8"))["sections"]
    return {e["id"]: e["moved_to"] for e in entries if e.get("moved_to")}


_rendered: dict[str, str] = {}


def on_pre_build(config):
    _rendered.clear()


def on_page_content(html_text, page, config, files):
    _rendered.update(split_sections(html_text, page.url))
    return html_text


def section_data(config) -> dict:
    root = Path(config.config_file_path).parent
    sections = load_sections(Path(config.docs_dir), Path(config.config_file_path))
    missing = [s.id for s in sections if s.id not in _rendered]
    if missing:
        raise PluginError(f"section_data: no rendered text for sections {missing}")
    return {
        "site_name": config.site_name,
        "sections": [
            {
                "id": s.id,
                "url": s.url,
                "title": s.title,
                "page_title": s.page_title,
                "breadcrumb": s.breadcrumb,
                "short_answer": s.short_answer,
                "html": _rendered[s.id],
            }
            for s in sections
        ],
        "moved": moved_ids(root / REGISTRY),
    }


def on_post_build(config):
    target = Path(config.site_dir) / OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(section_data(config), ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8",
    )
