"""The content contract: outline IDs, oath texts, sources, section length, spelling, short
answers and questions per section, and when each page was last checked."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from search_service.index import split_sentences
from search_service.sections import heading_ids_of_site, load_sections, looks_english
from search_service.settings import PROJECT_ROOT, Settings

from .content_rules import front_matter, normalise, oath_formula, outline_ids

SETTINGS = Settings()
SECTIONS = load_sections(SETTINGS.docs_dir, SETTINGS.mkdocs_config)
PAGES = sorted(SETTINGS.docs_dir.rglob("*.md"))
HEADING_IDS = heading_ids_of_site(SETTINGS.docs_dir)
WORD_LIST = PROJECT_ROOT / "tests" / "woordenlijst.txt"
MIN_SECTION_WORDS = 120
CONTENT_SECTIONS = [s for s in SECTIONS if not s.is_source_list]
MIN_QUESTIONS = 8
MAX_SHORT_ANSWER_CHARS = 300
MAX_SHORT_ANSWER_SENTENCES = 3
# A short answer is read alone in an answer card: it must not lean on text around it.
POINTS_AT_SURROUNDINGS = re.compile(
    r"^(dit|dat|die|deze|hier|hierboven|hieronder|zo|daarom|ook)\b|\b(hierboven|hieronder)\b",
    re.IGNORECASE,
)
MAX_DAYS_SINCE_CHECK = 365
MIN_FACTS = 2
MAX_FACT_ANSWER_CHARS = 300
MAX_FACT_ANSWER_SENTENCES = 2
MIN_FACT_QUESTIONS = 3
MAX_NOTE_CHARS = 300
MAX_NOTE_SENTENCES = 2
MIN_NOT_COVERED_QUESTIONS = 3
# A note on what is not covered says so in these words, so that a reader cannot take it for
# an answer.
SAYS_NOT_IN_THE_KNOWLEDGE_BASE = re.compile(r"\bdeze kennisbank\b", re.IGNORECASE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def page_id(page_path: str) -> str:
    stem = page_path.removesuffix(".md").removesuffix("/index")
    return "home" if stem == "index" else stem.replace("/", "-")


@pytest.mark.parametrize(("section_id", "page"), sorted(outline_ids().items()))
def test_outline_section_is_on_its_page(section_id, page):
    assert HEADING_IDS.get(section_id) == page


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(SETTINGS.docs_dir).as_posix())
def test_page_has_description_and_sources_with_official_text_notice(page):
    page_path = page.relative_to(SETTINGS.docs_dir).as_posix()
    assert str(front_matter(page).get("description", "")).strip(), "front matter description"
    sources_id = f"{page_id(page_path)}-bronnen"
    markdown = page.read_text(encoding="utf-8")
    heading = re.search(rf"^## .*\{{#{sources_id}\}}$", markdown, re.MULTILINE)
    assert heading, f"{page_path} needs '## Bronnen {{#{sources_id}}}'"
    sources = markdown[heading.end() :]
    assert re.search(r"\]\(https?://", sources), "at least one source URL"
    assert "De officiële teksten gaan altijd voor." in sources


@pytest.mark.parametrize(
    "section",
    [s for s in SECTIONS if not s.is_source_list],
    ids=lambda s: s.id,
)
def test_section_answers_on_its_own_length(section):
    words = len(section.text.split())
    assert words >= MIN_SECTION_WORDS, f"{section.id} has {words} words"


@pytest.mark.parametrize("section", CONTENT_SECTIONS, ids=lambda s: s.id)
def test_section_has_a_short_answer_that_stands_alone(section):
    answer = section.short_answer
    assert answer, f"{section.page_path}: front matter sections.{section.id}.short_answer"
    assert len(answer) <= MAX_SHORT_ANSWER_CHARS, f"{len(answer)} characters"
    assert 1 <= len(split_sentences(answer)) <= MAX_SHORT_ANSWER_SENTENCES, answer
    assert not POINTS_AT_SURROUNDINGS.search(answer), f"leans on the text around it: {answer}"
    # It states the rule: it is also the card for questions asked another way, where an opening
    # "Nee," reads as the answer to them ("Ik werk via een uitzendbureau, moet ik zweren?").
    assert not re.match(r"(Ja|Nee)\b", answer), f"opens with a reply: {answer}"


@pytest.mark.parametrize("section", CONTENT_SECTIONS, ids=lambda s: s.id)
def test_a_list_is_introduced_by_a_sentence_that_stands_alone(section):
    """A list card shows the sentence before the list as its lead-in ("Het Beleidskompas heeft
    vijf stappen. Elke stap is een centrale vraag:"): "Dat is anders bij ...:" would lean on a
    sentence the card leaves out. Quoted texts (the oath's "Dat betekent:") are cards of their
    own."""
    for items in section.lists:
        first = items[0]
        if first == 0 or first - 1 in section.quote_paragraphs:
            continue
        lead = split_sentences(section.paragraphs[first - 1])[-1]
        if not lead.rstrip().endswith(":"):
            continue  # no lead-in: the card shows the items alone
        assert not re.match(r"(dat|dit|die|deze|daar\w*)\b", lead, re.IGNORECASE), lead


@pytest.mark.parametrize("section", CONTENT_SECTIONS, ids=lambda s: s.id)
def test_section_has_the_questions_readers_ask(section):
    questions = section.questions
    assert len(questions) >= MIN_QUESTIONS, f"{section.id}: {len(questions)} questions"
    assert len(set(questions)) == len(questions), "a question is listed twice"
    assert any(looks_english(q) for q in questions), "at least one question in English"


@pytest.mark.parametrize("section", CONTENT_SECTIONS, ids=lambda s: s.id)
def test_section_answers_the_details_readers_ask_in_facts_that_stand_alone(section):
    assert len(section.facts) >= MIN_FACTS, f"{section.page_path}: sections.{section.id}.facts"
    for fact in section.facts:
        answer = fact.answer
        assert len(answer) <= MAX_FACT_ANSWER_CHARS, f"{len(answer)} characters: {answer}"
        assert 1 <= len(split_sentences(answer)) <= MAX_FACT_ANSWER_SENTENCES, answer
        assert not POINTS_AT_SURROUNDINGS.search(answer), f"leans on the text around it: {answer}"
        assert len(fact.questions) >= MIN_FACT_QUESTIONS, f"{answer}: {len(fact.questions)}"


@pytest.mark.parametrize("section", CONTENT_SECTIONS, ids=lambda s: s.id)
def test_fact_answers_state_no_number_the_section_does_not(section):
    """A fact's answer only restates the section: every number in it is in the text."""
    stated = set(NUMBER.findall(section.text))
    for fact in section.facts:
        assert set(NUMBER.findall(fact.answer)) <= stated, fact.answer


@pytest.mark.parametrize(
    "section", [s for s in CONTENT_SECTIONS if s.not_covered], ids=lambda s: s.id
)
def test_not_covered_notes_say_what_is_missing_and_stand_alone(section):
    stated = set(NUMBER.findall(section.text))
    for entry in section.not_covered:
        note = entry.note
        assert len(note) <= MAX_NOTE_CHARS, f"{len(note)} characters: {note}"
        assert 1 <= len(split_sentences(note)) <= MAX_NOTE_SENTENCES, note
        assert not POINTS_AT_SURROUNDINGS.search(note), f"leans on the text around it: {note}"
        assert SAYS_NOT_IN_THE_KNOWLEDGE_BASE.search(note), f"says 'deze kennisbank': {note}"
        assert set(NUMBER.findall(note)) <= stated, note
        assert len(entry.questions) >= MIN_NOT_COVERED_QUESTIONS, f"{note}: {entry.questions}"


def test_no_question_is_written_for_two_sections():
    """Nor both for a section and as one it does not answer (not_covered)."""
    owners: dict[str, str] = {}
    for section in CONTENT_SECTIONS:
        not_covered = (q for entry in section.not_covered for q in entry.questions)
        for question in (*section.written_questions, *not_covered):
            key = " ".join(question.lower().split())
            assert key not in owners, f"{question!r} under {owners.get(key)} and {section.id}"
            owners[key] = section.id


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(SETTINGS.docs_dir).as_posix())
def test_page_says_when_it_was_last_checked(page):
    checked = front_matter(page).get("last_checked")
    assert isinstance(checked, datetime.date), "front matter last_checked: YYYY-MM-DD"
    age = (datetime.date.today() - checked).days
    assert 0 <= age <= MAX_DAYS_SINCE_CHECK, f"last checked {checked}: check the page again"


def section_text(section_id: str) -> str:
    section = next(s for s in SECTIONS if s.id == section_id)
    return normalise(" ".join(section.paragraphs))


def test_current_oath_text_matches_the_reference_word_for_word():
    assert oath_formula("### C.1") in section_text("tekst-ambtseed-rijk")


def test_what_the_site_says_it_keeps_matches_the_settings():
    # The home page tells readers how long unanswered questions and feedback are kept; a new
    # default in settings.py must change that text too.
    days = f"{Settings.model_fields['signals_retention_days'].default} dagen"
    assert days in section_text("wat-de-zoekdienst-bewaart")
    section = next(s for s in SECTIONS if s.id == "wat-de-zoekdienst-bewaart")
    assert any(days in fact.answer for fact in section.facts)


def test_previous_oath_text_matches_the_reference_word_for_word():
    assert oath_formula("### C.2") in section_text("tekst-ambtseed-tot-2025")


def test_previous_oath_text_names_the_uncertain_word():
    text = section_text("tekst-ambtseed-tot-2025")
    assert "aanstelling" in text
    assert "dienstverband" in text


def prose_words() -> list[str]:
    """Every word of titles and plain section text, without URLs, e-mail addresses or numbers."""
    texts = [s.title for s in SECTIONS] + [s.text for s in SECTIONS]
    texts += [s.short_answer for s in SECTIONS]
    texts += [fact.answer for s in SECTIONS for fact in s.facts]
    texts += [s.page_title for s in SECTIONS]
    text = re.sub(r"\S+@\S+|https?://\S+|\S+\.(nl|com|eu)\b\S*", " ", " ".join(texts))
    return re.findall(r"[A-Za-zÀ-ÿ][\w'’-]*[A-Za-zÀ-ÿ]|[A-Za-zÀ-ÿ]", text)


def test_dutch_spelling_with_hunspell():
    hunspell = shutil.which("hunspell")
    assert hunspell, "install Debian's hunspell and hunspell-nl (.ci/run does)"
    accepted = set(WORD_LIST.read_text(encoding="utf-8").split())
    section_ids = set(HEADING_IDS)  # quoted as examples of links
    words = sorted(set(prose_words()) - accepted - section_ids)
    result = subprocess.run(
        [hunspell, "-d", "nl_NL", "-l"], input="\n".join(words), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    unknown = sorted(set(result.stdout.split()))
    assert unknown == [], f"unknown words (fix, or add to {WORD_LIST.name}): {unknown}"


def test_word_list_has_no_unused_entries():
    accepted = WORD_LIST.read_text(encoding="utf-8").split()
    used = set(prose_words())
    assert [w for w in accepted if w not in used] == []


def test_every_section_url_and_id_exists_in_built_html(built_site: Path):
    for section in SECTIONS:
        page, _, anchor = section.url.partition("#")
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, section.url


def test_trainers_page_lists_every_section_with_full_link(built_site: Path):
    html = (built_site / "trainers" / "index.html").read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f"http://127.0.0.1:8000/{section.url}" in html, section.id
