"""What changed: section history from git, the changes page, the Atom feed, the dates on the
pages and in the trainers' list, and link previews (Open Graph, Twitter) on every page.

Everything runs against a small temporary git repository made from a copy of the site, with
five commits on known dates:

1. 2026-01-05 the site as it is;
2. 2026-02-10 a sentence added to #geschenken-aannemen;
3. 2026-03-16 a new section #testsectie-nieuw on the same page;
4. 2026-04-20 "[klein]" a spelling fix in #uitnodigingen-en-reizen;
5. 2026-05-25 #afscheid-van-new-public-management renamed to #new-public-management
   (moved_to in the registry).
"""

import datetime
import functools
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from search_service import history as history_module
from search_service.history import ADDED, MOVED, TEXT_CHANGED, dutch_date, section_history
from search_service.settings import PROJECT_ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://kennisbank.example.nl/"
GESCHENKEN = "docs/integriteit/geschenken.md"
ADDED_SENTENCE = (
    "Twijfel je over een geschenk, vraag het dan altijd eerst na bij je leidinggevende."
)
NEW_SECTION = """## Een nieuwe testsectie {#testsectie-nieuw}

Deze sectie is toegevoegd in de tijdelijke geschiedenis van de test.

"""
DATES = {
    "eerste": datetime.date(2026, 1, 5),
    "tekst": datetime.date(2026, 2, 10),
    "nieuw": datetime.date(2026, 3, 16),
    "klein": datetime.date(2026, 4, 20),
    "verplaatst": datetime.date(2026, 5, 25),
}


def git(root: Path, *args: str, when: datetime.date | None = None) -> str:
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(root.parent)}
    if when:
        stamp = f"{when.isoformat()}T12:00:00+01:00"
        env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    result = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "-C",
            str(root),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def copy_site(target: Path) -> Path:
    """Everything the site is built from."""
    target.mkdir(parents=True)
    for name in ("docs", "hooks", "overrides"):
        shutil.copytree(PROJECT_ROOT / name, target / name)
    for name in ("mkdocs.yml", "section-ids.yml"):
        shutil.copy(PROJECT_ROOT / name, target / name)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(root: Path, message: str, when: datetime.date) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, when=when)


@pytest.fixture(scope="module")
def no_outer_repository(tmp_path_factory: pytest.TempPathFactory):
    """git must never find a repository above the temporary folders."""
    base = tmp_path_factory.getbasetemp()
    saved = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(base)
    yield base
    if saved is None:
        os.environ.pop("GIT_CEILING_DIRECTORIES", None)
    else:
        os.environ["GIT_CEILING_DIRECTORIES"] = saved


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, no_outer_repository) -> Path:
    root = copy_site(tmp_path_factory.mktemp("history") / "kennisbank")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Eerste versie", DATES["eerste"])

    edit(
        root / GESCHENKEN,
        "## Geschenken en cadeaus aannemen {#geschenken-aannemen}\n",
        f"## Geschenken en cadeaus aannemen {{#geschenken-aannemen}}\n\n{ADDED_SENTENCE}\n",
    )
    commit(root, "Geschenken: advies bij twijfel", DATES["tekst"])

    edit(root / GESCHENKEN, "## Bronnen {#", NEW_SECTION + "## Bronnen {#")
    commit(root, "Nieuwe sectie", DATES["nieuw"])

    edit(root / GESCHENKEN, "Niet zomaar. Je legt", "Niet zomaar: je legt")
    commit(root, "Leestekens [klein]", DATES["klein"])

    sturing = root / "docs" / "sturing.md"
    edit(sturing, "{#afscheid-van-new-public-management}", "{#new-public-management}")
    edit(sturing, "\n  afscheid-van-new-public-management:\n", "\n  new-public-management:\n")
    edit(
        root / "section-ids.yml",
        "{page: sturing.md, id: afscheid-van-new-public-management}",
        "{page: sturing.md, id: afscheid-van-new-public-management, "
        "moved_to: new-public-management}\n"
        "  - {page: sturing.md, id: new-public-management}",
    )
    commit(root, "New public management: nieuw ID", DATES["verplaatst"])
    return root


def events_of(history, section_id: str) -> list[tuple[str, datetime.date, bool]]:
    return [(e.kind, e.date, e.minor) for e in history.events if e.section_id == section_id]


# --- search_service/history.py ----------------------------------------------------------------


def test_history_of_a_changed_section(repo: Path):
    history = section_history(repo)
    assert history.note == ""
    assert history.commits == 5
    assert events_of(history, "geschenken-aannemen") == [
        (ADDED, DATES["eerste"], False),
        (TEXT_CHANGED, DATES["tekst"], False),
    ]
    assert history.last_changed["geschenken-aannemen"] == DATES["tekst"]


def test_history_of_an_added_section(repo: Path):
    history = section_history(repo)
    assert events_of(history, "testsectie-nieuw") == [(ADDED, DATES["nieuw"], False)]
    assert history.last_changed["testsectie-nieuw"] == DATES["nieuw"]


def test_minor_change_is_listed_but_does_not_change_the_date(repo: Path):
    history = section_history(repo)
    assert events_of(history, "uitnodigingen-en-reizen") == [
        (ADDED, DATES["eerste"], False),
        (TEXT_CHANGED, DATES["klein"], True),
    ]
    assert history.last_changed["uitnodigingen-en-reizen"] == DATES["eerste"]


def test_renamed_section_is_moved(repo: Path):
    history = section_history(repo)
    moved = [e for e in history.events if e.section_id == "new-public-management"]
    assert [(e.kind, e.date, e.moved_from_id) for e in moved] == [
        (MOVED, DATES["verplaatst"], "afscheid-van-new-public-management")
    ]
    assert history.last_changed["new-public-management"] == DATES["verplaatst"]
    assert (
        "afscheid-van-new-public-management" not in history.last_changed
    )  # the old ID is no longer a section


def test_untouched_sections_date_from_the_first_commit(repo: Path):
    history = section_history(repo)
    assert history.last_changed["integriteit-geschenken-bronnen"] == DATES["eerste"]
    assert not [e for e in history.events if e.section_id == "stabiele-links" and e.kind != ADDED]


def test_a_new_short_answer_is_a_change_and_new_questions_are_not(
    tmp_path: Path, no_outer_repository, monkeypatch: pytest.MonkeyPatch
):
    """The page text is parsed once per version of the text below the front matter; the short
    answers still come from every version of the front matter."""
    root = tmp_path / "kort"
    (root / "docs").mkdir(parents=True)
    page = root / "docs" / "pagina.md"
    page.write_text(
        "---\nsections:\n  kort:\n    short_answer: Eerste antwoord.\n"
        "    questions: [Eerste vraag?]\n---\n\n# Pagina {#pagina}\n\n## Kort {#kort}\n\nTekst.\n",
        encoding="utf-8",
    )
    git(root, "init", "-q", "-b", "main")
    commit(root, "Eerste versie", DATES["eerste"])
    edit(page, "[Eerste vraag?]", "[Eerste vraag?, Tweede vraag?]")
    commit(root, "Een vraag erbij", DATES["tekst"])
    edit(page, "Eerste antwoord.", "Een beter antwoord.")
    commit(root, "Beter kort antwoord", DATES["nieuw"])
    parsed = []
    parse = history_module.sections_of_page
    monkeypatch.setattr(
        history_module, "sections_of_page", lambda *args: parsed.append(1) or parse(*args)
    )
    history = section_history(root)
    assert events_of(history, "kort") == [
        (ADDED, DATES["eerste"], False),
        (TEXT_CHANGED, DATES["nieuw"], False),
    ]
    assert len(parsed) == 1  # three versions, one text below the front matter


def test_shallow_clone_knows_only_the_changes_it_has(repo: Path, tmp_path: Path):
    clone = tmp_path / "ondiep"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    history = section_history(clone)
    assert "shallow" in history.note and "git fetch --unshallow" in history.note
    # The oldest commit of the clone is a baseline: no events, no dates from it.
    assert [(e.section_id, e.kind) for e in history.events] == [("new-public-management", MOVED)]
    assert history.last_changed == {"new-public-management": DATES["verplaatst"]}


def test_one_commit_shallow_clone_has_no_dates(repo: Path, tmp_path: Path):
    clone = tmp_path / "ondiep"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    history = section_history(clone)
    assert history.commits == 1
    assert history.events == [] and history.last_changed == {}
    assert "shallow" in history.note


def test_no_repository_gives_no_dates_and_says_why(
    tmp_path: Path, no_outer_repository, caplog: pytest.LogCaptureFixture
):
    root = copy_site(tmp_path / "bronarchief")
    with caplog.at_level("INFO", logger="search_service.history"):
        history = section_history(root)
    assert history.last_changed == {} and history.events == []
    assert "geen git-repository" in history.note
    logged = [r.getMessage() for r in caplog.records if r.name == "search_service.history"]
    assert logged == [history.note]


def test_dutch_date():
    assert dutch_date(datetime.date(2026, 3, 1)) == "1 maart 2026"


# --- the built site ---------------------------------------------------------------------------


def build(root: Path) -> tuple[Path, str]:
    """``mkdocs build --strict`` with its log (not quiet: the note is an INFO line)."""
    site = root / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(root / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "KB_SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1"},
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return site, log


@pytest.fixture(scope="module")
def repo_site(repo: Path) -> Path:
    return build(repo)[0]


def parse_feed(site: Path) -> ET.Element:
    """The feed, checked against the Atom rules (RFC 4287) that matter to a feed reader."""
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"

    def one(element: ET.Element, name: str) -> ET.Element:
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"<{element.tag}> needs exactly one <{name}>"
        assert (found[0].text or "").strip() or name == "link"
        return found[0]

    for name in ("id", "title", "updated"):
        one(feed, name)
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None  # so no entry needs its own
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{SITE_URL}feed.xml"
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            one(entry, name)
        entry_id = entry.find(f"{ATOM}id").text
        assert entry_id.startswith("urn:uuid:") and entry_id not in ids
        ids.add(entry_id)
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)  # RFC 3339
        assert entry.find(f"{ATOM}link").get("href").startswith(SITE_URL)
        assert (entry.find(f"{ATOM}summary").text or "").strip()
    return feed


def entries_for(feed: ET.Element, section_url: str) -> list[ET.Element]:
    return [
        e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}link").get("href") == section_url
    ]


@pytest.mark.slow
def test_feed_lists_the_content_change(repo_site: Path):
    feed = parse_feed(repo_site)
    entries = entries_for(feed, f"{SITE_URL}integriteit/geschenken/#geschenken-aannemen")
    changed = [e for e in entries if e.find(f"{ATOM}category").get("term") == TEXT_CHANGED]
    assert len(changed) == 1
    assert changed[0].find(f"{ATOM}title").text == "Tekst gewijzigd: Geschenken en cadeaus aannemen"
    assert changed[0].find(f"{ATOM}updated").text.startswith("2026-02-10T12:00:00")
    assert "10 februari 2026" in changed[0].find(f"{ATOM}summary").text
    # Newest first: the feed's last update is the move of 25 May.
    assert feed.find(f"{ATOM}updated").text.startswith("2026-05-25")
    first = feed.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}link").get("href").endswith("sturing/#new-public-management")


@pytest.mark.slow
def test_feed_leaves_out_the_minor_change(repo_site: Path):
    feed = parse_feed(repo_site)
    updated = [e.find(f"{ATOM}updated").text[:10] for e in feed.findall(f"{ATOM}entry")]
    assert "2026-04-20" not in updated
    assert "2026-03-16" in updated


@pytest.mark.slow
def test_changes_page_lists_changes_by_date(repo_site: Path):
    html = (repo_site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    days = [dutch_date(DATES[k]) for k in ("verplaatst", "klein", "nieuw", "tekst", "eerste")]
    positions = [text.index(day) for day in days]
    assert positions == sorted(positions), "newest date first"
    section_link = '<a href="../integriteit/geschenken/#geschenken-aannemen">'
    tekst_day = text.index(dutch_date(DATES["tekst"]))
    tekst_block = text[tekst_day : text.index(dutch_date(DATES["eerste"]))]
    assert "Tekst gewijzigd: Geschenken en cadeaus aannemen" in tekst_block
    assert section_link in html
    klein_block = text[text.index(days[1]) : text.index(days[2])]
    assert "Tekst gewijzigd: Uitnodigingen" in klein_block and "(klein:" in klein_block
    verplaatst_block = text[text.index(days[0]) : text.index(days[1])]
    assert (
        "Verplaatst:" in verplaatst_block
        and "afscheid-van-new-public-management" in verplaatst_block
    )
    assert "Toegevoegd: Een nieuwe testsectie" in text
    assert '<a href="../feed.xml">' in html


@pytest.mark.slow
def test_section_shows_when_it_was_last_changed(repo_site: Path):
    html = (repo_site / "integriteit" / "geschenken" / "index.html").read_text(encoding="utf-8")
    after_heading = html[html.index('id="geschenken-aannemen"') :]
    date_line = re.search(r'class="kb-last-changed">(.*?)</p>', after_heading)
    assert date_line and "Laatst gewijzigd" in date_line.group(1)
    assert '<time datetime="2026-02-10">10 februari 2026</time>' in date_line.group(1)
    assert after_heading.index("kb-last-changed") < after_heading.index("Kort antwoord")
    # The minor spelling fix leaves the date of the first version.
    after = html[html.index('id="uitnodigingen-en-reizen"') :]
    assert "5 januari 2026" in re.search(r'class="kb-last-changed">(.*?)</p>', after).group(1)


@pytest.mark.slow
def test_trainers_list_has_the_date_per_section(repo_site: Path):
    html = (repo_site / "trainers" / "index.html").read_text(encoding="utf-8")
    link = f"{SITE_URL}integriteit/geschenken/#geschenken-aannemen"
    item = re.search(rf"<li>[^\n]*?{re.escape(link)}[^\n]*?</li>", html)
    assert item and "(gewijzigd 10 februari 2026)" in item.group(0)


def meta_content(html: str, where: Path, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{name}" content="([^"]*)"', html)
    assert found, f"{where}: {name}"
    return found.group(1)


@pytest.mark.slow
def test_every_page_has_link_preview_tags(repo_site: Path):
    pages = sorted(repo_site.rglob("index.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "location.replace" in html:
            continue  # a redirect page for a moved page (moved_sections.py)
        meta = functools.partial(meta_content, html, page.relative_to(repo_site))

        canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html).group(1)
        assert meta("property", "og:url") == canonical
        assert canonical.startswith(SITE_URL)
        assert meta("property", "og:site_name") == "Kennisbank Ambtelijk Vakmanschap"
        assert meta("property", "og:title").strip()
        assert len(meta("property", "og:description")) > 20
        assert meta("property", "og:locale") == "nl_NL"
        assert meta("name", "twitter:card") == "summary"
        assert meta("name", "twitter:title") == meta("property", "og:title")
        assert meta("name", "twitter:description") == meta("property", "og:description")
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*feed\.xml', html)
    geschenken = (repo_site / "integriteit" / "geschenken" / "index.html").read_text()
    assert '<meta property="og:title" content="Geschenken en uitnodigingen">' in geschenken


@pytest.mark.slow
def test_build_without_history_succeeds_and_says_so(tmp_path: Path, no_outer_repository):
    root = copy_site(tmp_path / "bronarchief")  # like a source tarball: no .git
    site, log = build(root)
    notes = [line for line in log.splitlines() if "Wijzigingen:" in line]
    assert len(notes) == 1 and "INFO" in notes[0] and "geen git-repository" in notes[0], log
    html = (site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    assert "Er zijn geen wijzigingen bekend" in html
    assert "kb-last-changed" not in (site / "integriteit" / "geschenken" / "index.html").read_text()
    feed = parse_feed(site)
    assert feed.findall(f"{ATOM}entry") == []
