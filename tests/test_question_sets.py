"""The question sets in eval/ measure the service only while they match the content: every
section they expect exists, and each question's key facts (a card needs only one of them) are
found in an expected section."""

from pathlib import Path

import pytest

from search_service.measure.evaluation import load_questions
from search_service.sections import Section, load_sections
from search_service.settings import PROJECT_ROOT, Settings

SETTINGS = Settings()
SECTIONS = {s.id: s for s in load_sections(SETTINGS.docs_dir, SETTINGS.mkdocs_config)}
QUESTION_SETS = sorted((PROJECT_ROOT / "eval").glob("*.yml"))


def what_a_card_can_show(section: Section) -> str:
    """Everything of the section an answer card is composed from, in lower case."""
    facts = (fact.answer for fact in section.facts)
    return "\n".join((section.text, section.short_answer, *facts)).lower()


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.name)
def test_question_ids_are_unique_and_expected_sections_exist(path: Path):
    questions = load_questions(path)
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids)), "a question ID occurs twice"
    unknown = {(q.id, i) for q in questions for i in q.expect if i not in SECTIONS}
    assert not unknown, f"questions expect sections that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.name)
def test_some_key_fact_of_each_question_is_in_an_expected_section(path: Path):
    # For a held-out set only the IDs: a failing run must not show its key facts.
    missing = [
        q.id if path.name.startswith("held-out") else (q.id, q.answer_has)
        for q in load_questions(path)
        if q.answer_has
        and not any(
            wanted.lower() in what_a_card_can_show(SECTIONS[i])
            for wanted in q.answer_has
            for i in q.expect
            if i in SECTIONS
        )
    ]
    assert not missing, f"key facts no expected section states: {missing}"
