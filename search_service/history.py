"""What changed, section by section: the history of docs/ read from git.

For every commit on the first-parent line of HEAD that touches ``docs/`` or ``section-ids.yml``,
each page whose file changed is parsed at that commit (``sections.sections_of_page``) and each
section's text is compared with its previous version. That gives events per section:

- ``toegevoegd``: an ID appears for the first time;
- ``tekst gewijzigd``: the title, text or short answer of a section changed;
- ``verplaatst``: a section moved to another page, or a new ID replaces an old one
  (``moved_to`` in section-ids.yml at that commit).

A commit whose message contains ``[klein]`` or ``[minor]`` (layout, spelling) marks its changes
as minor: they are listed on the changes page, but left out of the feed and of
``last_changed``. An addition is never minor.

Without git, outside a repository (a source tarball) or with an incomplete history (a shallow
clone), :func:`section_history` returns what it can know and logs one line that says why the
rest is missing. In a shallow clone the oldest available commit is a baseline: the sections in
it existed then, but when they were written or last changed is unknown, so they get no date
until a later commit changes them.
"""

import hashlib
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from .sections import ContentError, Section, safe_yaml, sections_of_page, short_answer_of

log = logging.getLogger(__name__)

ADDED = "toegevoegd"
TEXT_CHANGED = "tekst gewijzigd"
MOVED = "verplaatst"
MINOR_MARKERS = re.compile(r"\[(klein|minor)\]", re.IGNORECASE)
REGISTRY = "section-ids.yml"
DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(day: date) -> str:
    """``date(2026, 11, 29)`` → ``"29 november 2026"``."""
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Change:
    """One change of one section in one commit."""

    when: datetime  # committer date, with its time zone
    section_id: str
    title: str  # the section's title at that commit
    page_path: str  # below docs/, at that commit
    kind: str  # ADDED, TEXT_CHANGED or MOVED
    minor: bool
    commit: str
    moved_from_id: str = ""  # MOVED to a new ID: the old ID (moved_to in section-ids.yml)
    moved_from_page: str = ""  # MOVED to another page: the title of the old page

    @property
    def date(self) -> date:
        return self.when.date()


@dataclass(frozen=True)
class History:
    last_changed: dict[str, date] = field(default_factory=dict)  # section ID → last change
    events: list[Change] = field(default_factory=list)  # oldest first
    note: str = ""  # why the history is incomplete; empty when it is complete
    commits: int = 0  # commits read


class _GitError(RuntimeError):
    pass


def _git(root: Path, *args: str, input: str | None = None) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, input=input
    )
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise _GitError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


@dataclass(frozen=True)
class _Commit:
    sha: str
    parents: tuple[str, ...]
    when: datetime
    message: str


def _commits(root: Path, paths: list[str]) -> list[_Commit]:
    """Commits on the first-parent line of HEAD that touch ``paths``, oldest first."""
    output = _git(
        root,
        "log",
        "--first-parent",
        "--reverse",
        "--format=%H%x1f%P%x1f%cI%x1f%B%x1e",
        "--",
        *(f":(top){path}" for path in paths),
    )
    commits = []
    for record in output.split("\x1e"):
        if not record.strip():
            continue
        sha, parents, when, message = record.strip("\n").split("\x1f", 3)
        commits.append(
            _Commit(sha, tuple(parents.split()), datetime.fromisoformat(when), message.strip())
        )
    return commits


def _tree(root: Path, sha: str, paths: list[str]) -> dict[str, str]:
    """Path (from the top of the repository) → blob ID, for the files below ``paths``."""
    output = _git(root, "ls-tree", "-r", "--full-tree", sha, "--", *paths)
    files = {}
    for line in output.splitlines():
        meta, _, path = line.partition("\t")
        mode_type_blob = meta.split()
        if len(mode_type_blob) == 3 and mode_type_blob[1] == "blob":
            files[path] = mode_type_blob[2]
    return files


def _read_blobs(root: Path, blobs: set[str]) -> dict[str, str]:
    """The text of many blobs with one ``git cat-file --batch``."""
    if not blobs:
        return {}
    order = sorted(blobs)
    result = subprocess.run(
        ["git", "-C", str(root), "cat-file", "--batch"],
        input="\n".join(order).encode() + b"\n",
        capture_output=True,
    )
    if result.returncode != 0:
        raise _GitError(result.stderr.decode(errors="replace").strip() or "git cat-file failed")
    data, position, texts = result.stdout, 0, {}
    for blob in order:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        texts[blob] = data[position : position + size].decode("utf-8", errors="replace")
        position += size + 1
    return texts


@dataclass(frozen=True)
class _Known:
    page_path: str
    page_title: str
    title: str
    digest: str


# A page's front matter, the way the pages write it: `---` lines around YAML at the very top.
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n(.*)\Z", re.DOTALL)


def _page_sections(
    markdown: str, page_path: str, bodies: dict[tuple[str, str], list[Section]]
) -> dict[str, _Known] | None:
    """Section ID → what we compare, or None when this version of the page does not parse.

    Most commits change only the questions in a page's front matter, so the Markdown below it
    (the slow part to parse) is parsed once per distinct text, kept in ``bodies``; the short
    answers come from the front matter of each version. The front matter is not checked against
    the headings here as sections_of_page does: a version whose front matter has an error still
    counts by its text and short answers.
    """
    split = FRONT_MATTER.match(markdown)
    front_matter, body = split.groups() if split else ("", markdown)
    try:
        if (page_path, body) not in bodies:
            bodies[page_path, body] = sections_of_page(body, page_path, [])
        data = (safe_yaml(front_matter) or {}) if split else {}
    except (ContentError, ValueError, yaml.YAMLError):
        return None
    guides = data.get("sections") or {} if isinstance(data, dict) else None
    if not isinstance(guides, dict):
        return None  # as sections_of_page would refuse it
    short_answers = {
        section_id: short_answer_of(guide)
        for section_id, guide in guides.items()
        if isinstance(guide, dict)
    }
    known = {}
    for section in bodies[page_path, body]:
        short_answer = short_answers.get(section.id, section.short_answer)
        payload = "\x1f".join((section.title, section.text, short_answer))
        digest = hashlib.sha256(payload.encode()).hexdigest()
        known[section.id] = _Known(page_path, section.page_title, section.title, digest)
    return known


def _moved_to(registry_text: str | None) -> dict[str, str]:
    """New ID → old ID, from the ``moved_to`` entries of a version of section-ids.yml."""
    if not registry_text:
        return {}
    try:
        entries = (safe_yaml(registry_text) or {}).get("sections") or []
    except (yaml.YAMLError, AttributeError):
        return {}
    return {
        str(e["moved_to"]): str(e["id"])
        for e in entries
        if isinstance(e, dict) and e.get("moved_to") and e.get("id")
    }


def _repository_prefix(project_root: Path, docs_dir: Path) -> tuple[str, str]:
    """The docs folder and the registry as paths from the top of the repository."""
    top = Path(_git(project_root, "rev-parse", "--show-toplevel").strip()).resolve()
    docs = docs_dir.resolve().relative_to(top).as_posix()
    registry = (project_root.resolve() / REGISTRY).relative_to(top).as_posix()
    return docs, registry


def _no_history(reason: str) -> History:
    note = f"Wijzigingen: {reason}; de site wordt gebouwd zonder datums van wijzigingen."
    log.info(note)
    return History(note=note)


def section_history(project_root: Path, docs_dir: Path | None = None) -> History:
    """The change history of every section, read from git; see the module docstring."""
    docs_dir = docs_dir or project_root / "docs"
    if shutil.which("git") is None:
        return _no_history("git is niet geïnstalleerd")
    try:
        docs, registry = _repository_prefix(project_root, docs_dir)
    except _GitError as error:  # a source tarball, or a repository git may not read
        return _no_history(f"geen git-repository in {project_root} (git: {error})")
    except ValueError:
        return _no_history(f"{docs_dir} ligt niet in de git-repository")
    try:
        commits = _commits(project_root, [docs, registry])
        shallow = _git(project_root, "rev-parse", "--is-shallow-repository").strip() == "true"
        trees = [_tree(project_root, c.sha, [docs, registry]) for c in commits]
        blobs = _read_blobs(project_root, {blob for tree in trees for blob in tree.values()})
    except _GitError as error:
        return _no_history(f"git-geschiedenis niet leesbaar ({error})")
    if not commits:
        return _no_history(f"{docs} heeft nog geen vastgelegde versie in git")

    events: list[Change] = []
    state: dict[str, _Known] = {}  # section ID → its latest version
    pages: dict[str, dict[str, _Known]] = {}  # page path → its sections, latest parsed version
    page_blobs: dict[str, str] = {}
    parsed: dict[tuple[str, str], dict[str, _Known] | None] = {}
    bodies: dict[tuple[str, str], list[Section]] = {}  # (page, Markdown below the front matter)
    for number, (commit, tree) in enumerate(zip(commits, trees, strict=True)):
        baseline = number == 0 and shallow and not commit.parents
        minor = bool(MINOR_MARKERS.search(commit.message))
        current = {
            path.removeprefix(docs + "/"): blob
            for path, blob in tree.items()
            if path.startswith(docs + "/") and path.endswith(".md")
        }
        if current == page_blobs:
            continue  # only the registry changed
        for page_path in set(page_blobs) - set(current):
            pages.pop(page_path, None)
        for page_path, blob in current.items():
            if page_blobs.get(page_path) == blob:
                continue
            key = (page_path, blob)
            if key not in parsed:
                parsed[key] = _page_sections(blobs.get(blob, ""), page_path, bodies)
            if parsed[key] is not None:
                pages[page_path] = parsed[key]
        page_blobs = current
        renamed = _moved_to(blobs.get(tree.get(registry, ""), None))
        now = {sid: known for sections in pages.values() for sid, known in sections.items()}
        for section_id, known in now.items():
            before = state.get(section_id)
            kind, moved_from_id, moved_from_page = None, "", ""
            if before is None:
                old_id = renamed.get(section_id, "")
                if old_id in state and old_id not in now:
                    kind, moved_from_id = MOVED, old_id
                    if state[old_id].page_path != known.page_path:
                        moved_from_page = state[old_id].page_title
                else:
                    kind = ADDED
            elif before.page_path != known.page_path:
                kind, moved_from_page = MOVED, before.page_title
            elif before.digest != known.digest:
                kind = TEXT_CHANGED
            if kind and not baseline:
                events.append(
                    Change(
                        when=commit.when,
                        section_id=section_id,
                        title=known.title,
                        page_path=known.page_path,
                        kind=kind,
                        minor=minor and kind != ADDED,
                        commit=commit.sha,
                        moved_from_id=moved_from_id,
                        moved_from_page=moved_from_page,
                    )
                )
        state = now

    last_changed: dict[str, date] = {}
    for event in events:
        if not event.minor and event.section_id in state:
            last_changed[event.section_id] = event.date
    note = ""
    if shallow:
        note = (
            f"Wijzigingen: onvolledige git-geschiedenis (shallow clone); wijzigingen van vóór "
            f"{dutch_date(commits[0].when.date())} zijn onbekend. "
            "Haal de hele geschiedenis op met 'git fetch --unshallow'."
        )
        log.info(note)
    return History(last_changed=last_changed, events=events, note=note, commits=len(commits))
