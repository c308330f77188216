"""Markdown pages → sections: one section per h2/h3 heading, with its stable ID and site URL."""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

# `## Titel {#stabiele-id}` (attr_list syntax); other attributes may follow the ID.
HEADING_ID = re.compile(r"\s*\{\s*#([A-Za-z][\w-]*)[^}]*\}\s*$")
# A whole `##`/`###` heading line with its ID, in Markdown source: the headings that are sections.
SECTION_HEADING_LINE = re.compile(r"^#{2,3} .*\{\s*#([A-Za-z][\w-]*)[^}]*\}[ \t]*$", re.MULTILINE)
SECTION_LEVELS = {"h2", "h3"}
# Words of English questions that Dutch does not use.
ENGLISH_WORDS = re.compile(
    r"\b(the|what|how|does|do|should|which|who|when|why|my|can|could|would|may|are|have|has|"
    r"must|to|for)\b",
    re.IGNORECASE,
)
BREADCRUMB_SEPARATOR = " › "


def looks_english(text: str) -> bool:
    return bool(ENGLISH_WORDS.search(text))


class ContentError(ValueError):
    """The Markdown breaks a rule the site depends on (missing or duplicate heading ID)."""


@dataclass(frozen=True)
class Fact:
    """One detail of a section that readers ask about (a number, a date, a term, who to go
    to), with its own short answer and the questions that ask for it (front matter `facts`)."""

    answer: str  # 1-2 self-contained sentences, only what the section's text says
    questions: tuple[str, ...]


@dataclass(frozen=True)
class NotCovered:
    """A detail right next to a section that the knowledge base does not give (the findings of
    a report, what something costs), with a note that says so and where to look instead, and
    the questions that ask for it (front matter `not_covered`). A question that comes clearly
    closer to one of them than to the section's own questions gets no answer card, only the
    note (answers.py): a card with the section's answer would suggest the detail is known."""

    note: str  # 1-2 sentences: what is not in the knowledge base, and where to look if known
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    url: str  # site-relative, exactly as MkDocs links it: "page/#id" ("#id" on the home page)
    page_path: str  # source path below docs/, e.g. "integriteit/geschenken.md"
    page_title: str
    title: str
    breadcrumb: str
    paragraphs: tuple[str, ...]  # plain text, one entry per paragraph or list item
    example_paragraphs: tuple[int, ...] = ()  # positions of paragraphs inside an example
    quote_paragraphs: tuple[int, ...] = ()  # inside a block quote: a literal text (the oath)
    lists: tuple[tuple[int, ...], ...] = ()  # positions of the items of each list, per list
    # From the page's front matter
    # (`sections: {id: {short_answer, questions, facts, not_covered}}`):
    short_answer: str = ""  # 1-3 self-contained sentences that answer the section's question
    questions: tuple[str, ...] = ()  # questions readers ask that this section answers
    facts: tuple[Fact, ...] = ()  # details readers ask about, each with its own answer
    not_covered: tuple[NotCovered, ...] = ()  # details asked about that it does not give
    about_site: bool = False  # the section explains the site itself (search help, trainers)
    for_other_governments: bool = False  # about governments other than the Rijk

    @property
    def written_questions(self) -> tuple[str, ...]:
        """The questions written for the section as a whole and for each of its facts."""
        return (*self.questions, *(q for fact in self.facts for q in fact.questions))

    @property
    def is_source_list(self) -> bool:
        """The "Bronnen" section of a page: a list of links, linkable but not worth searching."""
        return self.id.endswith("-bronnen")

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Heading:
    level: str
    id: str
    title: str
    line: int


def page_url(page_path: str) -> str:
    """The directory URL MkDocs gives a page (use_directory_urls), relative to the site root."""
    stem = page_path.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _markdown_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin).use(admon_plugin)


def _inline_text(token: Token) -> str:
    """Plain text of an inline token: words and code, no link targets, markup or HTML."""
    parts = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _split_heading(inline: Token, page_path: str, line: int) -> tuple[str, str]:
    """The explicit ID and the plain title of a heading."""
    text = _inline_text(inline)
    match = HEADING_ID.search(text)
    if not match:
        raise ContentError(
            f"{page_path}:{line}: heading {text!r} has no explicit ID; "
            "write it as '## Titel {#stabiele-id}'"
        )
    return match.group(1), text[: match.start()].strip()


@dataclass(frozen=True)
class Paragraph:
    text: str
    in_example: bool  # inside an `!!! example` admonition: a scenario, not the rule itself
    in_quote: bool = False  # inside a block quote
    list_number: int | None = None  # the list (counted per page) this item belongs to


@dataclass(frozen=True)
class ParsedPage:
    front_matter: dict
    headings: list[Heading]
    paragraphs: list[list[Paragraph]]  # for each heading, the paragraphs below it


def safe_yaml(text: str):
    """``yaml.safe_load`` with libyaml's parser when PyYAML has it (it has on every platform
    with a wheel): all pages load in 0.17 s instead of 0.61 s, which the tests do many times."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _front_matter(token: Token, page_path: str) -> dict:
    try:
        data = safe_yaml(token.content) or {}
    except yaml.YAMLError as error:
        raise ContentError(f"{page_path}: the front matter is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ContentError(f"{page_path}: the front matter must be a YAML mapping")
    return data


def parse_page(markdown: str, page_path: str) -> ParsedPage:
    """Front matter, headings and, for each heading, the plain-text paragraphs below it."""
    tokens = _markdown_parser().parse(markdown)
    front_matter: dict = {}
    headings: list[Heading] = []
    paragraphs: list[list[Paragraph]] = []
    in_admonition_title = False
    admonitions: list[str] = []  # kinds of the admonitions we are inside
    quote_depth = 0
    list_depth = 0
    lists_seen = 0
    for index, token in enumerate(tokens):
        if token.type == "front_matter":
            front_matter = _front_matter(token, page_path)
        elif token.type in {"bullet_list_open", "ordered_list_open"}:
            list_depth += 1
            lists_seen += list_depth == 1
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            list_depth -= 1
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "heading_open":
            line = token.map[0] + 1 if token.map else 0
            heading_id, title = _split_heading(tokens[index + 1], page_path, line)
            headings.append(Heading(token.tag, heading_id, title, line))
            paragraphs.append([])
        elif token.type == "admonition_open":
            admonitions.append(token.meta.get("tag", ""))
        elif token.type == "admonition_close":
            admonitions.pop()
        elif token.type == "admonition_title_open":
            in_admonition_title = True
        elif token.type == "admonition_title_close":
            in_admonition_title = False
        elif (
            token.type == "inline"
            and paragraphs
            and not in_admonition_title
            and tokens[index - 1].type != "heading_open"
        ):
            text = _inline_text(token)
            if text:
                paragraphs[-1].append(
                    Paragraph(
                        text,
                        in_example="example" in admonitions,
                        in_quote=quote_depth > 0,
                        list_number=lists_seen if list_depth else None,
                    )
                )
    return ParsedPage(front_matter, headings, paragraphs)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, leaving MkDocs-specific tags such as ``!ENV`` unresolved."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def nav_trails(mkdocs_config: Path) -> dict[str, list[str]]:
    """For each page in mkdocs.yml's nav, the titles of the nav groups above it."""
    config = yaml.load(mkdocs_config.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    trails: dict[str, list[str]] = {}

    def walk(items: list, trail: list[str]) -> None:
        for item in items:
            if isinstance(item, str):
                trails[item] = trail
                continue
            for title, value in item.items():
                if isinstance(value, list):
                    walk(value, [*trail, title])
                else:
                    trails[value] = trail

    walk(config.get("nav") or [], [])
    return trails


def _lists(body: list[Paragraph]) -> tuple[tuple[int, ...], ...]:
    groups: dict[int, list[int]] = {}
    for position, paragraph in enumerate(body):
        if paragraph.list_number is not None:
            groups.setdefault(paragraph.list_number, []).append(position)
    return tuple(tuple(group) for group in groups.values())


def _section_guides(front_matter: dict, headings: list[Heading], page_path: str) -> dict:
    """The front matter's `sections` map, checked against the page's heading IDs."""
    guides = front_matter.get("sections") or {}
    if not isinstance(guides, dict):
        raise ContentError(f"{page_path}: 'sections' in the front matter must be a mapping")
    ids = {heading.id for heading in headings}
    for section_id, guide in guides.items():
        if section_id not in ids:
            raise ContentError(
                f"{page_path}: the front matter describes section '{section_id}', "
                "which is not a heading ID on this page"
            )
        if not isinstance(guide, dict):
            raise ContentError(f"{page_path}: sections.{section_id} must be a mapping")
    return guides


# a Fact or a NotCovered
Entry = TypeVar("Entry")


def _entries(
    guide: dict,
    key: str,
    text_key: str,
    kind: Callable[[str, tuple[str, ...]], Entry],
    section_id: str,
    page_path: str,
) -> tuple[Entry, ...]:
    """A list of a section's front matter whose entries each hold a text and its questions:
    `facts` (answer, questions: Fact) or `not_covered` (note, questions: NotCovered)."""
    entries = []
    for number, entry in enumerate(guide.get(key) or ()):
        if (
            not isinstance(entry, dict)
            or not entry.get(text_key)
            or not isinstance(entry.get("questions"), list)
            or not entry["questions"]
        ):
            raise ContentError(
                f"{page_path}: sections.{section_id}.{key}[{number}] needs a '{text_key}' and "
                "a list of 'questions'"
            )
        text = " ".join(str(entry[text_key]).split())
        entries.append(kind(text, tuple(str(q).strip() for q in entry["questions"])))
    return tuple(entries)


def short_answer_of(guide: dict) -> str:
    """A section's short answer from its front matter, on one line."""
    return " ".join(str(guide.get("short_answer") or "").split())


def sections_of_page(markdown: str, page_path: str, trail: list[str]) -> list[Section]:
    page = parse_page(markdown, page_path)
    headings, paragraphs = page.headings, page.paragraphs
    guides = _section_guides(page.front_matter, headings, page_path)
    about_site = bool(page.front_matter.get("about_site", False))
    for_other_governments = bool(page.front_matter.get("other_governments", False))
    page_title = next((h.title for h in headings if h.level == "h1"), page_path)
    base_url = page_url(page_path)
    sections = []
    parent_title = None
    for heading, body in zip(headings, paragraphs, strict=True):
        if heading.level == "h2":
            parent_title = heading.title
        if heading.level not in SECTION_LEVELS:
            continue
        crumbs = [*trail, page_title]
        if heading.level == "h3" and parent_title:
            crumbs.append(parent_title)
        crumbs.append(heading.title)
        guide = guides.get(heading.id) or {}
        sections.append(
            Section(
                id=heading.id,
                url=f"{base_url}#{heading.id}",
                page_path=page_path,
                page_title=page_title,
                title=heading.title,
                breadcrumb=BREADCRUMB_SEPARATOR.join(dict.fromkeys(crumbs)),
                paragraphs=tuple(p.text for p in body),
                example_paragraphs=tuple(n for n, p in enumerate(body) if p.in_example),
                quote_paragraphs=tuple(n for n, p in enumerate(body) if p.in_quote),
                lists=_lists(body),
                short_answer=short_answer_of(guide),
                questions=tuple(str(q).strip() for q in guide.get("questions") or ()),
                facts=_entries(guide, "facts", "answer", Fact, heading.id, page_path),
                not_covered=_entries(
                    guide, "not_covered", "note", NotCovered, heading.id, page_path
                ),
                about_site=about_site,
                for_other_governments=for_other_governments,
            )
        )
    return sections


def under_section_headings(markdown: str, addition: Callable[[str], str | None]) -> str:
    """Markdown with `addition(section_id)` as a block right under each section heading that
    gets one (the site's hooks use it for the short answer and the date of the last change)."""

    def add(heading: re.Match) -> str:
        block = addition(heading.group(1))
        return f"{heading.group(0)}\n\n{block}\n" if block else heading.group(0)

    return SECTION_HEADING_LINE.sub(add, markdown)


def registered_moves(registry: Path) -> dict[str, str]:
    """Old ID → the ID it moved to (`moved_to` in section-ids.yml; none without a registry)."""
    if not registry.exists():
        return {}
    entries = safe_yaml(registry.read_text(encoding="utf-8"))["sections"]
    return {e["id"]: e["moved_to"] for e in entries if e.get("moved_to")}


def heading_ids_of_site(docs_dir: Path) -> dict[str, str]:
    """Every heading ID in docs/ mapped to its page; raises on a missing or duplicate ID."""
    seen: dict[str, str] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        page_path = path.relative_to(docs_dir).as_posix()
        for heading in parse_page(path.read_text(encoding="utf-8"), page_path).headings:
            if heading.id in seen:
                raise ContentError(
                    f"{page_path}:{heading.line}: heading ID '{heading.id}' is already used "
                    f"in {seen[heading.id]}; every ID must be unique in the site"
                )
            seen[heading.id] = page_path
    return seen


def load_sections(docs_dir: Path, mkdocs_config: Path) -> list[Section]:
    """All sections of the site, in page order; raises ContentError on a broken heading."""
    heading_ids_of_site(docs_dir)
    trails = nav_trails(mkdocs_config)
    sections: list[Section] = []
    for path in sorted(docs_dir.rglob("*.md")):
        page_path = path.relative_to(docs_dir).as_posix()
        markdown = path.read_text(encoding="utf-8")
        sections.extend(sections_of_page(markdown, page_path, trails.get(page_path, [])))
    return sections


def docs_fingerprint(docs_dir: Path, mkdocs_config: Path) -> str:
    """A hash over every file the sections are made from, to tell when an index is stale."""
    digest = hashlib.sha256()
    for path in sorted(docs_dir.rglob("*.md")):
        digest.update(path.relative_to(docs_dir).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(mkdocs_config.read_bytes())
    return digest.hexdigest()
