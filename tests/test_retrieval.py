"""Retrieval on the tiny corpus: fusion, question similarity, snippets, sentence splitting."""

import numpy as np
import pytest

from search_service.answers import Searcher, text_fragment
from search_service.index import load_verified_index, sentences_of, split_sentences
from search_service.lexical import LexicalIndex, LexicalMatch
from search_service.retrieval import fuse, lexical_document
from search_service.sections import sections_of_page

from .support import FakeEmbedder


@pytest.fixture
def searcher(tiny_index):
    return Searcher(load_verified_index(tiny_index), FakeEmbedder(), tiny_index)


def test_fusion_lets_a_known_keyword_overtake_a_close_dense_score():
    dense = np.array([0.80, 0.79, 0.10])
    lexical = LexicalMatch(np.array([0.0, 2.0, 0.0]), coverage=1.0)
    assert np.argmax(fuse(dense, lexical, 0.04)) == 1


def test_fusion_ignores_bm25_when_few_query_words_are_known():
    dense = np.array([0.80, 0.79, 0.10])
    lexical = LexicalMatch(np.array([0.0, 2.0, 0.0]), coverage=0.2)
    assert np.argmax(fuse(dense, lexical, 0.04)) == 0


def test_fusion_without_lexical_matches_is_dense():
    dense = np.array([0.2, 0.9, 0.5])
    fused = fuse(dense, LexicalMatch(np.zeros(3), coverage=0.0), 0.04)
    assert fused.tolist() == dense.tolist()


def test_lexical_coverage_counts_known_content_words():
    lexical = LexicalIndex(["Een geschenk van een leverancier", "De ambtseed afleggen"])
    assert lexical.match("geschenken van leveranciers").coverage == 1.0
    assert lexical.match("What about gifts from suppliers?").coverage == 0.0
    assert lexical.match("geschenk zorgtoeslag").coverage == 0.5


def test_everyday_names_count_as_known_but_score_nothing():
    corpus = ["Je mening geven op sociale media", "De ambtseed afleggen"]
    plain = LexicalIndex(corpus)
    with_names = LexicalIndex(corpus, also_known=["Facebook, TikTok", "MT (managementteam)"])
    assert plain.match("mening op Facebook").coverage == 0.5
    assert with_names.match("mening op Facebook").coverage == 1.0
    assert with_names.match("mijn MT").coverage == 1.0
    assert with_names.match("facebook tiktok").scores.tolist() == [0.0, 0.0]
    assert with_names.match("mening op Facebook").scores.tolist() == (
        plain.match("mening op Facebook").scores.tolist()
    )


def test_how_much_words_frame_the_question_and_need_not_be_known():
    """ "Hoe hoog" asks how much: the corpus need not know "hoog" for the question to be
    about its topic; a topic word after "hoe" still counts."""
    lexical = LexicalIndex(["Een geschenk mag een beperkte waarde hebben", "De ambtseed afleggen"])
    assert lexical.match("Hoe hoog mag de waarde van een geschenk zijn?").coverage == 1.0
    assert lexical.match("Hoe hoog is de zorgtoeslag?").coverage == 0.0
    assert lexical.match("hoe erwtensoep koken").coverage == 0.0


def test_numbers_are_values_not_words_the_corpus_lacks():
    """A kerstpakket "van 75 euro" asks about the gift rule whether or not the pages write 75;
    a question of numbers only has no topic words at all."""
    lexical = LexicalIndex(["Een geschenk van hooguit 50 euro", "De ambtseed afleggen"])
    assert lexical.match("geschenk van 75 euro").coverage == 1.0
    assert lexical.match("geschenk zorgtoeslag 75").coverage == 0.5
    assert lexical.match("75 2031").coverage == 0.0


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


def test_written_questions_match_words_the_section_text_lacks(searcher):
    # "relatiegeschenk" appears only in a question written for the section.
    assert searcher.search("relatiegeschenk", k=3).hits[0].section.id == "geschenken"


def test_a_facts_question_counts_less_in_ranking_but_its_similarity_is_kept(tiny_index):
    plain = Searcher(load_verified_index(tiny_index), FakeEmbedder(), tiny_index).retriever
    settings = tiny_index.model_copy(update={"fact_question_discount": 0.3})
    discounted = Searcher(load_verified_index(settings), FakeEmbedder(), settings).retriever
    question = "Moet een uitnodiging in het register?"  # written for the fact
    hit = plain.rank(question, 1).hits[0]
    assert (hit.section.id, hit.fact) == ("uitnodigingen", 0)
    assert hit.fact_similarity == hit.question_similarity == pytest.approx(1.0)
    vector = FakeEmbedder().embed_queries([question])[0]
    section = hit.section_number
    assert plain.question_scores(vector).ranked(0.0)[section] == pytest.approx(1.0)
    assert discounted.question_scores(vector).ranked(0.3)[section] == pytest.approx(0.7)
    # The discount ranks; the similarity reported and used to answer stays the real one.
    assert discounted.rank(question, 1).hits[0].fact_similarity == pytest.approx(1.0)
    assert discounted.rank(question, 1).hits[0].score < hit.score


def test_bm25_reads_the_questions_written_for_facts(tiny_index):
    section = next(s for s in load_verified_index(tiny_index).sections if s.id == "uitnodigingen")
    assert "registreren" in lexical_document(section)  # only in a fact's question


def test_sentences_split_on_end_punctuation():
    assert split_sentences("Eén zin. Nog een! En een vraag? Ja, 3 euro.") == [
        "Eén zin.",
        "Nog een!",
        "En een vraag?",
        "Ja, 3 euro.",
    ]


def test_a_mark_cut_off_after_a_question_in_a_link_ends_the_sentence_before_it():
    # "lees je in [Wat is er veranderd?](tekst.md)." gives pysbd a "." of its own
    assert split_sentences("Lees dat in Wat is er veranderd?. Niet alles is duidelijk.") == [
        "Lees dat in Wat is er veranderd?.",
        "Niet alles is duidelijk.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Het besluit staat in het Staatsblad (Stb. 2024, 421) en geldt voor iedereen.",
        "Dat staat in art. 7 van de Ambtenarenwet 2017.",
        "Denk aan een geschenk, bijv. een boek, of o.a. een fles wijn.",
        "Het gaat om de eed, d.w.z. de belofte, e.d. bij de aanstelling.",
        "Zie Stcrt. 2019, nr. 71141 voor de gedragscode.",
    ],
)
def test_sentences_do_not_end_at_dutch_abbreviations(sentence):
    assert split_sentences(f"{sentence} Een tweede zin.") == [sentence, "Een tweede zin."]


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
