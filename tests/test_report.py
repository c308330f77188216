"""The editors' report (search_service/report.py, `python -m search_service report`): a week of
generated signals in a temporary store, grouped with the real embedder, rendered to HTML that is
opened in headless Chromium."""

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from search_service import signals
from search_service.cli import main
from search_service.report import (
    TOPIC_THRESHOLD,
    Report,
    build_report,
    cluster,
    normalise,
    parse_since,
    render_html,
    report_json,
)
from search_service.sections import Section
from search_service.signals import SignalStore

from .support import a_section

# Paraphrases of three different questions; each list must become one topic.
PARAPHRASES = {
    "verlof": [
        "Hoe vraag ik verlof aan?",
        "verlof aanvragen hoe",
        "Waar vraag ik vakantiedagen aan?",
        "Hoe kan ik vakantie aanvragen?",
    ],
    "wachtwoord": [
        "Ik ben mijn wachtwoord vergeten",
        "wachtwoord resetten",
        "Kan niet inloggen, wachtwoord kwijt",
    ],
    "thuiswerken": [
        "Hoeveel dagen per week mag ik thuiswerken?",
        "thuiswerkdagen per week",
        "Hoeveel dagen mag ik vanuit huis werken?",
    ],
}
# Asked this many times a day, each paraphrase: the topics' sizes differ.
TIMES_A_DAY = {"verlof": 3, "wachtwoord": 2, "thuiswerken": 1}
SCRIPT = "<script>alert('lek')</script> mag dit?"
IP = "198.51.100.7"


def section(section_id: str, title: str) -> Section:
    return a_section(section_id, title=title)


SECTIONS = [
    section("geschenken", "Geschenken aannemen"),
    section("lobby", "Omgaan met lobbyisten"),
    section("eed", "De ambtseed"),
    section("nevenwerk", "Nevenwerkzaamheden"),
    section("afkoelperiode", "Afkoelperiode"),  # never shown
    section("moreel-beraad", "Moreel beraad"),  # never shown
]


def fill_week(path: Path, monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    """Seven days of signals up to now, written through the store as the API would."""
    with SignalStore(path, 180, 100_000, writes_per_client_per_minute=100_000) as store:
        for day in range(7, 0, -1):
            moment = now - timedelta(days=day, hours=-1)
            monkeypatch.setattr(signals, "_now", lambda moment=moment: moment)
            for topic, questions in PARAPHRASES.items():
                for question in questions:
                    for _ in range(TIMES_A_DAY[topic]):
                        store.record_unanswered(question, client=IP)
                        store.record_search(False, ["nevenwerk", "lobby", "eed"])
            store.record_unanswered("  HOE vraag ik verlof aan  ", client=IP)  # same, normalised
            for top in (["geschenken", "lobby", "eed"], ["lobby", "geschenken", "nevenwerk"]):
                store.record_search(True, top)
            store.record_feedback("Mag ik een cadeau aannemen?", "geschenken", True, None, IP)
            if day <= 3:
                store.record_feedback(
                    "Mag ik een fles wijn houden?", "geschenken", False, f"Mist de grens {day}", IP
                )
        store.record_unanswered(SCRIPT, client=IP)
        store.record_feedback(SCRIPT, "lobby", False, "<b>vet</b> & <script>x()</script>", IP)
        store.record_feedback("Wat is een lobbyist?", "lobby", False, None, IP)
        store.record_feedback("Oude vraag", "bestaat-niet-meer", False, None, IP)
    monkeypatch.setattr(signals, "_now", lambda: datetime.now(UTC))


class VectorsFor:
    """An embedder that knows a fixed vector per text (for the tests that need no model)."""

    backend, model, parallel_calls = "test", "test", 1

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors
        self.dim = len(next(iter(vectors.values())))

    def embed_queries(self, texts):
        return np.array([self.vectors[text] for text in texts], dtype=np.float32)


# -- without the model ---------------------------------------------------------------------


def test_since_accepts_days_and_weeks() -> None:
    assert parse_since("7d") == timedelta(days=7)
    assert parse_since("30d") == timedelta(days=30)
    assert parse_since("12w") == timedelta(weeks=12)
    for wrong in ["", "30", "0d", "-3d", "3m", "d7", "1.5w"]:
        with pytest.raises(ValueError, match="7d, 30d or 12w"):
            parse_since(wrong)


def test_normalise_ignores_case_spaces_and_final_punctuation() -> None:
    assert normalise("  Hoe vraag ik   VERLOF aan? ") == "hoe vraag ik verlof aan"
    assert normalise("???") == "???"


def test_average_linkage_stops_at_the_threshold() -> None:
    a, b = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    near_a = np.array([0.95, np.sqrt(1 - 0.95**2), 0.0])
    # 0.89 to a, but 0.45 to b's group on average: stays alone.
    between = np.array([0.89, 0.0, np.sqrt(1 - 0.89**2)])
    vectors = np.stack([a, b, near_a, between])
    assert cluster(vectors, 0.9) == [[0, 2], [1], [3]]
    assert cluster(vectors, 0.8) == [[0, 2, 3], [1]]
    assert cluster(vectors, 1.01) == [[0], [1], [2], [3]]
    assert cluster(np.zeros((0, 3)), 0.5) == []


def test_report_without_top_sections_says_so(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with SignalStore(path, 180, 1000, 1000) as store:
        store.record_unanswered(SCRIPT, client=IP)
        store.record_search(False)
    with SignalStore(path, 180, 1000, 1000, enabled=False) as store:
        report = build_report(store, SECTIONS, VectorsFor({SCRIPT: [1.0, 0.0]}), timedelta(days=7))
    assert report.never_in_top3 is None
    assert report.topics[0].typical == SCRIPT
    page = render_html(report)
    assert "Nog geen gegevens" in page
    assert "<script" not in page and "&lt;script&gt;alert(&#x27;lek&#x27;)" in page


def test_empty_store_gives_an_empty_report(tmp_path: Path) -> None:
    store = SignalStore(tmp_path / "geen.sqlite3", 180, 1000, 1000, enabled=False)
    report = build_report(store, SECTIONS, VectorsFor({"x": [1.0]}), timedelta(weeks=2))
    assert (report.topics, report.unhelpful_by_section, report.searches) == ([], [], 0)
    assert len(report.weeks) in (2, 3) and all(week.searches == 0 for week in report.weeks)
    assert "Geen vragen zonder antwoord" in render_html(report)
    assert not (tmp_path / "geen.sqlite3").exists()  # reading never creates the store


# -- a week of signals, with the real model ------------------------------------------------


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Iterator[tuple]:
    path = tmp_path_factory.mktemp("report") / "signals.sqlite3"
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with pytest.MonkeyPatch.context() as monkeypatch:
        fill_week(path, monkeypatch, now)
    with SignalStore(path, 180, 100_000, 100_000, enabled=False) as store:
        report = build_report(store, SECTIONS, real_embedder, timedelta(days=7), now=now)
    yield path, report


def topic_of(report: Report, question: str) -> int:
    """The position of the topic that holds question (as its typical question or example)."""
    found = [
        n
        for n, topic in enumerate(report.topics)
        if normalise(question)
        in {normalise(q.question) for q in topic.examples} | {normalise(topic.typical)}
    ]
    assert len(found) == 1, f"{question!r} is in {len(found)} topics"
    return found[0]


@pytest.mark.slow
def test_paraphrases_form_one_topic_and_different_questions_stay_apart(week) -> None:
    _, report = week
    positions = {
        name: {topic_of(report, question) for question in questions}
        for name, questions in PARAPHRASES.items()
    }
    assert all(len(found) == 1 for found in positions.values()), positions
    # Three different topics, largest first, with every time each was asked.
    assert [found.pop() for found in positions.values()] == [0, 1, 2]
    assert [topic.count for topic in report.topics[:3]] == [4 * 3 * 7 + 7, 3 * 2 * 7, 3 * 7]
    assert [topic.distinct for topic in report.topics[:3]] == [4, 3, 3]
    assert report.topics[0].typical in PARAPHRASES["verlof"]
    assert report.topic_threshold == TOPIC_THRESHOLD
    # The most asked question: the normalised forms were counted together, shown as typed.
    assert report.most_asked_unanswered[0].question == "Hoe vraag ik verlof aan?"
    assert report.most_asked_unanswered[0].count == 3 * 7 + 7


@pytest.mark.slow
def test_unhelpful_answers_by_section_with_comments(week) -> None:
    _, report = week
    by_id = {entry.section.id: entry for entry in report.unhelpful_by_section}
    assert list(by_id) == ["geschenken", "lobby", "bestaat-niet-meer"]
    gifts = by_id["geschenken"]
    assert (gifts.unhelpful, gifts.helpful) == (3, 7)
    assert gifts.section.title == "Geschenken aannemen"
    assert [c.comment for c in gifts.comments] == [f"Mist de grens {day}" for day in (1, 2, 3)]
    assert gifts.questions[0].question == "Mag ik een fles wijn houden?"
    lobby = by_id["lobby"]
    assert (lobby.unhelpful, lobby.helpful) == (2, 0)
    assert [c.comment for c in lobby.comments] == ["<b>vet</b> & <script>x()</script>"]
    assert by_id["bestaat-niet-meer"].section.title is None


@pytest.mark.slow
def test_never_shown_sections_and_weekly_trend(week) -> None:
    _, report = week
    assert [ref.id for ref in report.never_in_top3] == ["afkoelperiode", "moreel-beraad"]
    searches = 7 * (2 + sum(len(q) * TIMES_A_DAY[t] for t, q in PARAPHRASES.items()))
    assert report.searches == sum(week.searches for week in report.weeks) == searches
    assert report.unanswered_searches == sum(w.unanswered for w in report.weeks) == searches - 14
    assert sum(w.helpful for w in report.weeks) == report.helpful == 7
    assert sum(w.unhelpful for w in report.weeks) == report.unhelpful == 6
    assert all(w.start.weekday() == 0 for w in report.weeks)


@pytest.mark.slow
def test_json_has_the_same_data(week) -> None:
    _, report = week
    data = json.loads(report_json(report))
    assert {
        "generated_at",
        "since",
        "days",
        "searches",
        "unanswered_searches",
        "helpful",
        "unhelpful",
        "topics",
        "most_asked_unanswered",
        "unhelpful_by_section",
        "never_in_top3",
        "weeks",
    } <= set(data)
    assert "Only unanswered questions are stored" in data["about"]
    assert data["days"] == 7
    assert datetime.fromisoformat(data["generated_at"]) == report.generated_at
    topic = data["topics"][0]
    assert set(topic) == {"count", "distinct", "typical", "examples"}
    assert topic["count"] == report.topics[0].count
    assert set(topic["examples"][0]) == {"question", "count"}
    assert data["unhelpful_by_section"][0]["section"]["id"] == "geschenken"
    assert set(data["unhelpful_by_section"][0]["comments"][0]) == {"day", "question", "comment"}
    assert [ref["id"] for ref in data["never_in_top3"]] == ["afkoelperiode", "moreel-beraad"]
    assert set(data["weeks"][0]) == {"start", "searches", "unanswered", "helpful", "unhelpful"}


@pytest.mark.slow
def test_html_escapes_readers_text_and_loads_nothing(week) -> None:
    _, report = week
    page = render_html(report, site_url="https://kennisbank.example.nl")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;lek&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;" in page
    # Self-contained: no external stylesheet, script, image or font.
    assert not re.search(r"<(link|img|iframe|object)\b|\bsrc=|url\(|@import", page)
    assert "default-src 'none'" in page
    assert 'href="https://kennisbank.example.nl/pagina/#geschenken"' in page
    assert "Alleen vragen die <strong>geen</strong> antwoord kregen worden bewaard" in page


@pytest.mark.slow
@pytest.mark.browser
def test_report_opens_in_chromium_without_errors(week, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from .browser_support import launch_chromium

    _, report = week
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            errors, requests, dialogs = [], [], []
            page.on("console", lambda m: m.type in ("error", "warning") and errors.append(m.text))
            page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
            page.on("request", lambda request: requests.append(request.url))
            page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert errors == [] and dialogs == []
            assert requests == [path.as_uri()]  # nothing else is loaded
            assert page.title().startswith("Signalen van lezers")
            chart = page.locator("#trend svg")
            assert chart.count() == 1 and chart.is_visible()
            assert page.locator("#trend svg rect").count() >= 2 * len(report.weeks)
            assert page.locator("#trend svg circle").count() == 2 * len(report.weeks)
            assert page.locator("ol.topics > li").count() == len(report.topics)
            assert page.get_by_text(SCRIPT).first.is_visible()  # shown as text
        finally:
            browser.close()


@pytest.mark.slow
def test_command_writes_html_and_json(
    week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    path, report = week
    monkeypatch.setenv("KB_SIGNALS_DB", str(path))
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    out = tmp_path / "uit" / "report.html"
    assert main(["report", "--since", "1w", "--out", str(out), "--json"]) == 0
    assert "written to" in capsys.readouterr().out
    assert "Signalen van lezers" in out.read_text(encoding="utf-8")
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [t["typical"] for t in data["topics"]] == [t.typical for t in report.topics]
    for written in (out, out.with_suffix(".json")):
        assert os.stat(written).st_mode & 0o777 == 0o600  # readers' questions: owner only
    with pytest.raises(SystemExit):
        main(["report", "--since", "30"])
