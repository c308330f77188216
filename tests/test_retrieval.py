"""Retrieval on the tiny corpus: fusion, snippets and answers."""

import numpy as np
import pytest

from search_service.answers import text_fragment
from search_service.index import load_verified_index, sentences_of, split_sentences
from search_service.lexical import LexicalIndex, LexicalMatch
from search_service.retrieval import Searcher, fuse
from search_service.sections import sections_of_page

from .conftest import FakeEmbedder


@pytest.fixture
def searcher(tiny_index):
    return Searcher(load_verified_index(tiny_index), FakeEmbedder(), tiny_index)


def test_fusion_lets_a_known_keyword_overtake_a_close_dense_score(tiny_settings):
    dense = np.array([0.80, 0.79, 0.10])
    lexical = LexicalMatch(np.array([0.0, 2.0, 0.0]), coverage=1.0)
    assert np.argmax(fuse(dense, lexical, tiny_settings)) == 1


def test_fusion_ignores_bm25_when_few_query_words_are_known(tiny_settings):
    dense = np.array([0.80, 0.79, 0.10])
    lexical = LexicalMatch(np.array([0.0, 2.0, 0.0]), coverage=0.2)
    assert np.argmax(fuse(dense, lexical, tiny_settings)) == 0


def test_fusion_without_lexical_matches_is_dense(tiny_settings):
    dense = np.array([0.2, 0.9, 0.5])
    fused = fuse(dense, LexicalMatch(np.zeros(3), coverage=0.0), tiny_settings)
    assert fused.tolist() == dense.tolist()


def test_lexical_coverage_counts_known_content_words():
    lexical = LexicalIndex(["Een geschenk van een leverancier", "De ambtseed afleggen"])
    assert lexical.match("geschenken van leveranciers").coverage == 1.0
    assert lexical.match("What about gifts from suppliers?").coverage == 0.0
    assert lexical.match("geschenk zorgtoeslag").coverage == 0.5


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Mag ik een cadeau van een leverancier aannemen?", "geschenken"),
        ("uitnodiging voor een diner", "uitnodigingen"),
        ("binnen hoeveel maanden de ambtseed", "eed"),
    ],
)
def test_expected_section_comes_first(searcher, question, expected):
    assert searcher.search(question, k=3).hits[0].section.id == expected


def test_each_section_returned_once_with_snippet(searcher):
    hits = searcher.search("geschenk", k=10).hits
    ids = [hit.section.id for hit in hits]
    assert len(ids) == len(set(ids)) == 5
    assert all(hit.snippet for hit in hits)


def test_answer_is_a_sentence_of_the_top_section_with_text_fragment(searcher):
    outcome = searcher.search("uitnodiging diner congres", k=3)
    assert outcome.answer.id == outcome.hits[0].section.id == "uitnodigingen"
    assert outcome.answer.text in outcome.hits[0].section.text
    assert outcome.answer.url.startswith("thema/geschenken/#uitnodigingen:~:text=")


def test_no_answer_when_an_outside_topic_is_closer(tiny_index):
    strict = tiny_index.model_copy(update={"answer_min_margin": 2.01})
    searcher = Searcher(load_verified_index(strict), FakeEmbedder(), strict)
    outcome = searcher.search("geschenk", k=3)
    assert outcome.answer is None
    assert outcome.hits


def test_sentences_split_on_end_punctuation():
    assert split_sentences("Eén zin. Nog een! En een vraag? Ja, 3 euro.") == [
        "Eén zin.",
        "Nog een!",
        "En een vraag?",
        "Ja, 3 euro.",
    ]


def test_text_fragment_encodes_start_and_end_words():
    fragment = text_fragment("Een geschenk tot 50 euro mag je, met toestemming, aannemen van hen.")
    assert fragment == ":~:text=Een%20geschenk%20tot%2050,toestemming%2C%20aannemen%20van%20hen."


def test_examples_questions_and_lead_ins_are_never_the_answer():
    section = sections_of_page(
        "# T {#t}\n\n## Geschenk {#g}\n\nMag ik een geschenk houden? Meestal niet.\n\n"
        'Let op drie dingen:\n\n!!! example "Voorbeeld"\n    Je krijgt een fles wijn.\n',
        "t.md",
        [],
    )
    answerable = {s.text: s.answerable for s in sentences_of(section)}
    assert answerable == {
        "Mag ik een geschenk houden?": False,
        "Meestal niet.": True,
        "Let op drie dingen:": False,
        "Je krijgt een fles wijn.": False,
    }
