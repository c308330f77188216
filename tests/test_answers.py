"""The answer card on the tiny corpus: short answer, detail sentence, literal text, list, and
staying silent."""

import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from search_service.answers import (
    AMOUNT_ASKED,
    ARTICLE_OF_A_LAW_ASKED,
    ASKED_AND_STATED,
    ASKS_FOR_PLANS,
    COMPLETE_LIST_ASKED,
    DOCUMENT_NOT_SUMMARISED,
    HAS_LETTER,
    LIST_NOT_GIVEN,
    LITERAL_TEXT_ASKED,
    NO_AMOUNT,
    NO_CONSEQUENCE,
    NO_DURATION,
    NO_FORM,
    NO_FREQUENCY,
    NO_NAME,
    NO_NUMBER,
    NO_REFERENCE,
    NO_WAY_TO_ORDER,
    OATH_NAMED,
    ONE_PLAIN_SENTENCE,
    OTHER_GOVERNMENT_ASKED,
    POINTS_BACK,
    STEP_RANGE,
    TEXT_NOT_QUOTED,
    WANTED_DETAILS,
    Answer,
    KeywordSearcher,
    OtherAudiences,
    Searcher,
    about_non_rijk_body,
    about_other_employer,
    about_other_government,
    about_other_people,
    asking_clause,
    asking_sentences,
    asks_for_detail,
    asks_for_plans,
    asks_one_thing_the_list_does_not_name,
    asks_openly,
    asks_own_rules_of_other_government,
    asks_what_a_thing_is,
    card_lacks_what_is_asked,
    cites_no_provision_asked,
    document_not_summarised,
    lacks_asked_findings,
    lacks_asked_list,
    lacks_asked_name,
    lacks_asked_reference,
    rijk_names_pattern,
    states_the_amount_asked,
    without_letter_frame,
)
from search_service.index import (
    load_verified_index,
    read_listed_lines,
    searchable_sections,
    segments,
)
from search_service.measure.evaluation import load_questions
from search_service.retrieval import Hit
from search_service.sections import sections_of_page
from search_service.settings import PROJECT_ROOT, Settings

from .support import FakeEmbedder, a_section

QUESTION_SETS = [
    PROJECT_ROOT / "eval" / name
    for name in ("dev.yml", "questions.yml", "out-of-scope.yml", "tuning-2.yml", "tuning-3.yml")
]


@pytest.fixture
def searcher(tiny_index):
    return Searcher(load_verified_index(tiny_index), FakeEmbedder(), tiny_index)


def searcher_with(tiny_index, **policy) -> Searcher:
    settings = tiny_index.model_copy(update=policy)
    return Searcher(load_verified_index(settings), FakeEmbedder(), settings)


def test_question_about_the_section_gets_its_short_answer(tiny_index):
    # No statement replaces or follows the short answer.
    searcher = searcher_with(tiny_index, answer_sentence_margin=1.0, answer_detail_margin=-1.0)
    outcome = searcher.search("Mag ik een cadeau van een leverancier houden?", k=3)
    section = outcome.hits[0].section
    assert outcome.answer.kind == "short_answer"
    assert outcome.answer.text == section.short_answer
    # The link highlights the statement in the section that supports the short answer.
    fragment = outcome.answer.url.partition(":~:text=")[2]
    assert fragment and outcome.answer.url.startswith("thema/geschenken/#geschenken:~:text=")


def test_a_sentence_that_matches_much_better_follows_the_short_answer(tiny_index):
    searcher = searcher_with(tiny_index, answer_sentence_margin=0.0)
    outcome = searcher.search("geschenk of cadeau van een leverancier", k=3)
    assert outcome.answer.kind == "detail"
    short_answer, detail = outcome.answer.items
    assert short_answer == outcome.hits[0].section.short_answer
    assert detail.startswith("Een geschenk of cadeau van een leverancier")


def test_a_sentence_that_matches_a_detail_question_better_replaces_the_short_answer(tiny_index):
    searcher = searcher_with(tiny_index, answer_sentence_margin=0.0)
    outcome = searcher.search("wie mag een geschenk of cadeau van een leverancier?", k=3)
    assert outcome.answer.kind == "sentence"
    assert outcome.answer.text.startswith("Een geschenk of cadeau van een leverancier")


def test_a_question_like_one_written_for_a_fact_gets_the_facts_own_answer(tiny_index):
    # The bag-of-words embedder of the tests makes this question 0.87 similar to the fact's.
    searcher = searcher_with(tiny_index, answer_min_fact_similarity=0.85)
    outcome = searcher.search("Moet ik een uitnodiging in het register zetten?", k=3)
    section = outcome.hits[0].section
    assert section.id == "uitnodigingen"
    assert outcome.answer.kind == "fact"
    # After the short answer, which states the section's rule.
    fact = "Elke uitnodiging meld je sinds 2024 ook in het register."
    assert outcome.answer.items == (section.short_answer, fact)
    assert outcome.answer.text == f"{section.short_answer} {fact}"
    # The link highlights the section's sentence that the fact restates.
    assert outcome.answer.url.endswith(
        ":~:text=Sinds%202024%20meld%20je,ook%20in%20het%20register."
    )


def test_a_question_after_a_detail_gets_the_facts_answer_alone(tiny_index):
    searcher = searcher_with(tiny_index, answer_min_fact_similarity=0.85)
    outcome = searcher.search("Wanneer moet een uitnodiging in het register?", k=3)
    assert outcome.answer.kind == "fact"
    assert outcome.answer.text == "Elke uitnodiging meld je sinds 2024 ook in het register."
    assert outcome.answer.items == ()


def test_a_fact_answers_only_when_the_question_is_close_to_one_of_its_questions(tiny_index):
    searcher = searcher_with(tiny_index, answer_min_fact_similarity=1.01)
    outcome = searcher.search("Moet ik een uitnodiging in het register zetten?", k=3)
    assert outcome.answer.kind != "fact"
    assert outcome.answer.text != "Elke uitnodiging meld je sinds 2024 ook in het register."


def test_a_fact_within_reach_of_the_section_s_own_question_follows_the_short_answer(
    tiny_index,
):
    question = "Mag ik mee naar een etentje van een bedrijf?"  # the section's own question
    fact = "Elke uitnodiging meld je sinds 2024 ook in het register."
    near = searcher_with(tiny_index, answer_min_fact_similarity=0.0, answer_fact_reach=1.0)
    outcome = near.search(question, k=3)
    assert outcome.answer.kind == "fact"
    assert outcome.answer.items == (outcome.hits[0].section.short_answer, fact)
    # Out of reach: the own question is closer by more than the reach.
    far = searcher_with(tiny_index, answer_min_fact_similarity=0.0, answer_fact_reach=0.0)
    assert fact not in far.search(question, k=3).answer.text


def test_question_for_a_literal_text_gets_the_quoted_text(searcher):
    outcome = searcher.search("Wat is de tekst van de ambtseed?", k=3)
    assert outcome.answer.kind == "literal"
    assert outcome.answer.text == "Ik zweer trouw aan de Grondwet."


def test_a_detail_asked_about_a_literal_text_is_no_question_for_the_text(searcher):
    # "Sinds wanneer ...", "welk jaar", "welke datum": the date of the text, not the text.
    outcome = searcher.search("Sinds wanneer geldt de tekst van de ambtseed?", k=3)
    assert outcome.answer.kind != "literal"


@pytest.mark.parametrize(
    ("question", "literal"),
    [
        # Where a text is published asks for the place, not the text.
        ("Waar vind ik de tekst van de ambtseed?", False),
        ("Waar staat de tekst van de ambtseed?", False),
        ("Where can I find the text of the oath?", False),
        # Where in the text something is said asks for the text.
        ("Waar staat in de tekst van de ambtseed iets over de Grondwet?", True),
        ("Wat is de tekst van de ambtseed?", True),
    ],
)
def test_a_question_where_to_find_a_text_is_no_question_for_the_text(searcher, question, literal):
    assert (searcher.search(question, k=3).answer.kind == "literal") is literal


def test_list_question_gets_the_list_with_its_lead_in(searcher):
    outcome = searcher.search("Welke twee regels gelden voor een geschenk?", k=3)
    assert outcome.answer.kind == "list"
    assert outcome.answer.items == ("Nooit op je huisadres.", "Altijd melden.")
    assert outcome.answer.text.startswith("Daarnaast gelden twee regels:")


def test_a_list_question_without_a_count_gets_the_list_its_words_introduce(searcher):
    outcome = searcher.search("Welke regels gelden voor een cadeau van een leverancier?", k=3)
    assert outcome.answer.kind == "list"
    assert outcome.answer.items == ("Nooit op je huisadres.", "Altijd melden.")


def test_a_which_question_about_one_thing_does_not_get_an_unrelated_list(searcher):
    # "welke" without a count, and the best sentence is not in the list.
    outcome = searcher.search("Welke grens geldt voor een geschenk van een leverancier?", k=3)
    assert outcome.answer.kind != "list"
    assert "vijftig euro" in outcome.answer.text


def test_a_which_question_after_a_detail_the_list_lacks_gets_no_list(searcher):
    # "welke datum" asks for one date, which neither rule in the list gives.
    outcome = searcher.search(
        "Sinds welke datum gelden de regels voor een cadeau van een leverancier?", k=3
    )
    assert outcome.answer is None or outcome.answer.kind != "list"
    listed = searcher.search("Welke regels gelden voor een cadeau van een leverancier?", k=3)
    assert listed.answer.kind == "list"


def test_list_question_with_another_count_gets_no_list(searcher):
    outcome = searcher.search("Welke vijf regels gelden voor een geschenk?", k=3)
    # The section's list has two rules, and no other card of it spells out five.
    assert (outcome.answer, outcome.withheld) == (None, LIST_NOT_GIVEN)


def test_section_without_short_answer_answers_with_its_best_statement(searcher):
    outcome = searcher.search("binnen hoeveel maanden de ambtseed", k=3)
    assert outcome.answer.kind == "sentence"
    assert "drie maanden" in outcome.answer.text


def test_no_answer_when_no_written_question_is_close(tiny_index):
    searcher = searcher_with(tiny_index, answer_min_question_similarity=0.99)
    outcome = searcher.search("geschenk leverancier", k=3)
    assert outcome.answer is None
    assert outcome.withheld == "geen passende vraag"
    assert outcome.hits, "the results stay when the card is withheld"


def test_no_answer_when_an_outside_topic_is_closer(tiny_index):
    # (a text lead of 2 is out of reach: the waiver for a section whose text is closer is off)
    searcher = searcher_with(tiny_index, answer_min_margin=2.01, answer_text_topic_lead=2.0)
    outcome = searcher.search("geschenk", k=3)
    assert outcome.answer is None
    assert outcome.withheld == "dichter bij een onderwerp buiten de kennisbank"
    assert outcome.hits


def test_a_section_whose_text_beats_every_outside_topic_is_not_held_to_the_topic_margin(
    tiny_index,
):
    waived = {"answer_text_topic_lead": -2.0, "answer_text_outside_question_margin": -2.0}
    searcher = searcher_with(tiny_index, answer_min_margin=2.01, **waived)
    assert searcher.search("geschenk", k=3).answer is not None
    # ... but only while its text beats the topics ...
    searcher = searcher_with(
        tiny_index,
        answer_min_margin=2.01,
        answer_text_topic_lead=2.0,
        answer_text_outside_question_margin=-2.0,
    )
    assert searcher.search("geschenk", k=3).withheld == (
        "dichter bij een onderwerp buiten de kennisbank"
    )
    # ... and its written questions clearly beat the outside questions too
    searcher = searcher_with(
        tiny_index,
        answer_min_margin=2.01,
        answer_text_topic_lead=-2.0,
        answer_text_outside_question_margin=2.0,
    )
    assert searcher.search("geschenk", k=3).withheld == (
        "dichter bij een onderwerp buiten de kennisbank"
    )


def test_no_answer_when_a_question_the_knowledge_base_does_not_answer_is_closer(tiny_index):
    searcher = searcher_with(tiny_index)
    outcome = searcher.search("rechters benoeming eedaflegging ceremonie", k=3)
    assert outcome.answer is None
    assert outcome.withheld == "dichter bij een vraag die de kennisbank niet beantwoordt"
    assert outcome.hits, "the results stay when the card is withheld"
    # A question of the corpus itself still gets its card.
    assert searcher.search("Wanneer leg ik de ambtseed af?", k=3).answer is not None
    # The margin is the setting's: far below zero, the outside question no longer wins.
    lenient = searcher_with(tiny_index, answer_min_outside_question_margin=-2.0)
    assert lenient.search("rechters benoeming eedaflegging ceremonie", k=3).answer is not None


@pytest.mark.parametrize(
    ("strict_setting", "question", "reason"),
    [
        # One of the three content words is known ("geschenk"): coverage 1/3.
        (
            "answer_min_similarity_unknown_words",
            "geschenk zachtgekookt eierdopje",
            "woorden die de kennisbank niet kent",
        ),
        (
            "answer_min_similarity_unknown_name",
            "Mag ik bij Rabobank een geschenk van een leverancier aannemen?",
            "een naam die de kennisbank niet kent",
        ),
        (
            "answer_min_similarity_other_people",
            "Mogen wethouders een geschenk van een leverancier aannemen?",
            "over mensen voor wie de kennisbank niet is geschreven",
        ),
        (  # the reader in the role asks for the role's own rules
            "answer_min_similarity_other_people",
            "Mag ik als wethouder een geschenk van een leverancier aannemen?",
            "over mensen voor wie de kennisbank niet is geschreven",
        ),
        (  # civil servants named after the others are a comparison
            "answer_min_similarity_other_people",
            "Moeten rechters voor een geschenk andere regels volgen dan ambtenaren?",
            "over mensen voor wie de kennisbank niet is geschreven",
        ),
        (
            "answer_min_similarity_other_employer",
            "Mogen Belgische ambtenaren een geschenk van een leverancier aannemen?",
            "over een andere werkgever dan het Rijk",
        ),
        (
            "answer_min_similarity_other_employer",
            "Ik werk bij een bank. Mag ik een geschenk van een leverancier aannemen?",
            "over een andere werkgever dan het Rijk",
        ),
        (
            "answer_min_similarity_other_employer",
            "Mogen medewerkers van een bank een geschenk van een leverancier aannemen?",
            "over een andere werkgever dan het Rijk",
        ),
    ],
)
def test_no_answer_for_words_names_or_people_the_pages_are_not_about(
    tiny_index, strict_setting, question, reason
):
    outcome = searcher_with(tiny_index, **{strict_setting: 2.0}).search(question, k=3)
    assert outcome.answer is None
    assert outcome.withheld == reason
    assert outcome.hits


def test_known_words_pass_the_strict_word_coverage(tiny_index):
    searcher = searcher_with(tiny_index, answer_min_similarity_unknown_words=2.0)
    assert searcher.search("geschenk leverancier", k=3).answer is not None


def test_the_sentence_that_asks_is_held_to_its_own_word_coverage(tiny_index):
    # The story around the question uses words the pages never do; the question does not.
    searcher = searcher_with(tiny_index, answer_min_similarity_unknown_words=2.0)
    story = "Mijn zwager blaast zijn declaraties op. Mag ik een cadeau van een leverancier houden?"
    assert searcher.search(story, k=3).answer is not None
    alone = "Mag ik een cadeau van een leverancier met zijn declaraties opblazen?"
    assert searcher.search(alone, k=3).withheld == "woorden die de kennisbank niet kent"


def test_the_clause_that_asks_is_held_to_its_own_word_coverage(tiny_index):
    # Within one sentence too: the situation before the comma is not what is asked.
    searcher = searcher_with(tiny_index, answer_min_similarity_unknown_words=2.0)
    story = "Mijn zwager blaast zijn declaraties op, mag ik een cadeau van een leverancier houden?"
    assert searcher.search(story, k=3).answer is not None
    asked_last = "Mag ik een cadeau van een leverancier houden, of zijn declaraties opblazen?"
    assert searcher.search(asked_last, k=3).withheld == "woorden die de kennisbank niet kent"


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("Ik word penningmeester, moet ik dat melden?", "moet ik dat melden?"),
        ("Mijn baas rommelt. Wat nu? Ik twijfel, echt.", "Wat nu?"),
        ("Mag ik een cadeau houden?", "Mag ik een cadeau houden?"),
        # not a comma inside a list or around an aside
        (
            "Mag ik cadeaus, nevenwerk en reizen melden?",
            "Mag ik cadeaus, nevenwerk en reizen melden?",
        ),
        ("Mag ik, als ambtenaar, een cadeau houden?", "Mag ik, als ambtenaar, een cadeau houden?"),
    ],
)
def test_the_clause_that_asks_is_the_last_of_the_sentence_that_asks(question, clause):
    assert asking_clause(question) == clause


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "Goedemiddag, ik ben nieuw. Moet ik de eed afleggen? Met vriendelijke groet, Joris",
            "ik ben nieuw. Moet ik de eed afleggen?",
        ),
        ("Beste P-Direkt, moet ik opnieuw? Groet, Mirjam", "moet ik opnieuw?"),
        ("Hoi! Mag ik een cadeau houden? Alvast bedankt!", "Mag ik een cadeau houden?"),
        ("Dear team, may I accept a gift? Kind regards, Anna", "may I accept a gift?"),
        # words of a greeting or thanks that are part of the question stay
        ("Beste manier om tegenspraak te geven?", "Beste manier om tegenspraak te geven?"),
        ("Wat is de groet bij de beëdiging?", "Wat is de groet bij de beëdiging?"),
        (
            "Dank je wel zeggen voor een cadeau, mag dat?",
            "Dank je wel zeggen voor een cadeau, mag dat?",
        ),
        ("Hallo", "Hallo"),
        # a question after the thanks, or a greeting that is no greeting, stays
        (
            "Alvast bedankt, ik wil graag weten hoe hoog de grens is",
            "Alvast bedankt, ik wil graag weten hoe hoog de grens is",
        ),
        (
            "Beste aanpak: eerst melden of eerst bespreken?",
            "Beste aanpak: eerst melden of eerst bespreken?",
        ),
        ("Geachte heer/mevrouw, mag ik dat?", "mag ik dat?"),
    ],
)
def test_a_letter_s_greeting_and_closing_are_not_part_of_the_question(question, asked):
    assert without_letter_frame(question) == asked


def test_a_name_in_the_closing_of_a_letter_is_no_unknown_name(tiny_index):
    searcher = searcher_with(tiny_index, answer_min_similarity_unknown_name=2.0)
    letter = (
        "Beste helpdesk, mag ik een geschenk van een leverancier aannemen? Groet, Joris Verbeek"
    )
    assert searcher.search(letter, k=3).answer is not None
    signed_inside = "Mag Joris Verbeek een geschenk van een leverancier aannemen?"
    assert searcher.search(signed_inside, k=3).withheld == "een naam die de kennisbank niet kent"


def test_english_questions_are_not_held_to_the_word_coverage(tiny_index):
    # The corpus is Dutch: an English question knows few of its words, and is not silenced.
    searcher = searcher_with(tiny_index, answer_min_similarity_unknown_words=2.0)
    assert searcher.search("May I accept a gift from a supplier?", k=3).answer is not None


def test_without_an_unknown_name_the_strict_name_rule_lets_the_card_through(tiny_index):
    searcher = searcher_with(tiny_index, answer_min_similarity_unknown_name=2.0)
    # Without the name, or with a capital only where a sentence begins.
    assert searcher.search("Mag ik een geschenk van een leverancier aannemen?", k=3).answer
    assert searcher.search("Leverancier. Mag ik een geschenk aannemen?", k=3).answer
    # English names its terms with capitals: not held to this.
    assert searcher.search("May I accept a Christmas gift from a supplier?", k=3).answer


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("Zweren Belgische federale ambtenaren ook trouw aan de Koning?", True),
        ("Do German civil servants swear an oath of office?", True),
        ("Ik werk bij een accountantskantoor. Moet ik mijn nevenfunctie melden?", True),
        ("Mogen medewerkers van een bank relatiegeschenken aannemen?", True),
        # The reader's own situation: a rule, a supplier, a trip or a language abroad.
        ("Welke regels gelden voor een cadeau van een Duitse leverancier?", False),
        ("Ik ga op dienstreis naar Duitsland. Welke regels gelden voor de overheid?", False),
        ("Moet ik als ambtenaar Duits spreken?", False),
        ("Can you tell us whether civil servants may accept a gift?", False),  # "us"
        # A Rijk organisation, a side job, or a question about a civil servant.
        ("Ik werk bij het Rijksvastgoedbedrijf. Mag ik een kerstpakket aannemen?", False),
        ("Ik werk bij een supermarkt als bijbaan. Moet ik dat melden?", False),
        ("Ik werk bij een adviesbureau. Mag ik een ambtenaar een kerstpakket sturen?", False),
        ("Mag een ambtenaar een cadeau van een Duitse leverancier aannemen?", False),
        ("Mag ik een kerstpakket aannemen van medewerkers van een adviesbureau?", False),
        ("Ik werk als vrijwilliger bij een zorginstelling. Moet ik dat melden?", False),
        ("Mogen medewerkers van de Belastingdienst een cadeau aannemen?", False),
        # An adjective, a plural, the EU's institutions.
        ("Ik werk bij een grote bank. Mag ik een cadeau aannemen?", True),
        ("Mogen medewerkers van banken cadeaus aannemen?", True),
        ("Welke regels gelden voor medewerkers van de Europese Commissie?", True),
        # Keywords side by side, not a trip with civil servants.
        ("ambtseed belgie tekst", True),
        ("integriteitsregels ambtenaren frankrijk", True),
        ("Ik ga met ambtenaren naar Frankrijk op werkbezoek. Mag dat?", False),
        ("Mag ik als ambtenaar vanuit België thuiswerken?", False),
        ("Op werkbezoek in Frankrijk met ambtenaren kreeg ik een cadeau. Mag dat?", False),
        # Another country compared with the Rijk: the pages know one side only.
        ("Hoe verschilt de Britse Civil Service Code van de gedragscode van het Rijk?", True),
        ("How does the Beleidskompas compare with the UK Treasury's Green Book?", True),
        ("Mag een rijksambtenaar een cadeau van een Britse leverancier aannemen?", False),
        # ... not "verschil" that is no comparison, nor the reader's own case
        ("Maakt het voor een rijksambtenaar verschil of een Britse leverancier betaalt?", False),
        ("Ik ga als rijksambtenaar naar België. Verschilt de regel daar van de onze?", False),
    ],
)
def test_which_questions_are_about_another_employer(question, other):
    names = rijk_names_pattern(read_listed_lines(Settings().rijk_names))
    assert about_other_employer(question, bool(names.search(question))) is other


@pytest.mark.parametrize(
    ("question", "staff"),
    [
        # the reader works there, or asks about its staff, even naming the Rijk's rule
        ("Ik werk bij het UWV. Geldt de Gedragscode Integriteit Rijk voor ons?", True),
        ("Ik werk al jaren bij het UWV. Moet ik de eed afleggen?", True),
        ("Ik werk op een basisschool. Geldt de ambtseed voor mij?", True),
        ("I work at a university. Do the Rijk's gift rules apply to me?", True),
        ("Als medewerker van de SVB: geldt de geschenkenregel van het Rijk voor mij?", True),
        ("Bij ons op de rechtbank krijgen we kerstpakketten. Mag dat?", True),
        ("Geldt de code eigenlijk ook voor ons als medewerkers van het UWV?", True),
        ("Mijn werkgever is het CBR. Moet ik de eed afleggen?", True),
        ("UWV-medewerkers: mogen zij nevenwerk doen?", True),
        ("Mogen medewerkers van het UWV een cadeau aannemen?", True),
        ("Medewerkers van universiteiten: geldt de ambtseed voor hen?", True),
        # ... or whether the Rijk's rule binds the body
        ("Valt de Rechtspraak onder de Gedragscode Integriteit Rijk?", True),
        ("Geldt de Gedragscode Integriteit Rijk ook voor het UWV?", True),
        ("Is de gedragscode van toepassing op het UWV?", True),
        # ... not one hired or seconded by the Rijk, nor the police (named in the Rijk's
        # regulation), nor a Rijk organisation or its school, nor a body's name in a compound
        ("Ik werk bij het UWV en ben gedetacheerd bij een ministerie. Geldt de code?", False),
        ("Ik werk bij de politie. Hoe meld ik intern een misstand?", False),
        ("Ik werk bij DUO. Geldt de Gedragscode Integriteit Rijk voor mij?", False),
        ("Ik werk bij Defensie op de opleidingsschool. Mag ik een cadeau aannemen?", False),
        ("Geldt de GGD-richtlijn ook voor ons?", False),
        ("Geldt de rechtspraak uit de tijd van de Wob nog onder de Woo?", False),
        # ... not what a thing of the Rijk is, which does not depend on the employer
        ("Ik werk bij het UWV. Wat is een moreel beraad?", False),
        # ... nor another role there, a side job, a former employer
        ("Mag ik als rijksambtenaar een gastles geven op een school?", False),
        ("Als ambtenaar geef ik op een school les. Moet ik dat melden?", False),
        ("Ik ben ook gastdocent bij een hogeschool. Moet ik dat melden?", False),
        ("Ik ben getuige bij de rechtbank. Krijg ik daarvoor verlof?", False),
        ("Ik zit bij de rechtbank als getuige. Krijg ik verlof?", False),
        ("Ik werk daarnaast bij een hogeschool. Moet ik dat melden?", False),
        ("Ik werk ook op een basisschool als invalkracht. Moet ik dat melden?", False),
        ("I am invited to speak at a university. May I accept a fee?", False),
        ("Ik ga bij BZK werken; mijn werkgever was het UWV. Moet ik opnieuw de eed doen?", False),
        # ... nor the reader or civil servants dealing with its people
        ("Mag ik een lunch aannemen van medewerkers van het UWV?", False),
        ("Mogen rijksambtenaren een cadeau aannemen van medewerkers van het UWV?", False),
        ("Een oud-collega van ons werkt nu bij het UWV. Mag ik hem een opdracht gunnen?", False),
        ("Ik werk met mensen van het UWV. Mag ik een cadeau aannemen?", False),
        ("Er komt bij ons een docent van de hogeschool een gastles geven.", False),
    ],
)
def test_which_questions_are_from_staff_of_a_public_body_that_is_not_the_rijk(question, staff):
    assert about_non_rijk_body(question) is staff


@pytest.mark.parametrize(
    ("question", "plans"),
    [
        ("Bent u bereid een lobbyregister in te voeren? Zo nee, waarom niet?", True),
        ("Welke concrete maatregelen neemt het kabinet naar aanleiding van het advies?", True),
        ("Welke maatregelen neemt mijn werkgever als de melding klopt?", False),
        # the minister as employer
        ("Welke maatregelen neemt de minister bij een integriteitsschending?", False),
        ("Is de minister voornemens de gids wettelijk te verankeren?", True),
        # A question about the pages' themes beside it, or an opinion they may answer, counts.
        ("Bent u bereid de Kamer te informeren? Welke regels gelden voor ambtenaren?", False),
        ("Deelt u de opvatting dat ambtenaren tegenspraak mogen geven?", False),
        ("Bent u van plan een nevenfunctie te nemen?", False),  # the reader, addressed formally
        # A follow-up that asks more than why counts as a question of its own.
        ("Bent u bereid de regels aan te scherpen? Zo ja, welke regels gelden dan?", False),
        ("Bent u bereid een register in te voeren? Indien nee, waarom niet?", True),
        ("Is de minister van BZK bereid de Kamer te informeren? Zo neen, waarom niet?", True),
        # The views of unions and parties, which the pages never report; not those of BZK.
        ("Wat vinden de vakbonden van de nieuwe ambtseed?", True),
        ("Wat vinden politieke partijen van de Oekaze?", True),
        ("Hoe dachten de politieke partijen over het afscheid van NPM?", True),
        ("Welke organisatievormen gaat BZK afschaffen?", True),
        ("Welke regels gaat de minister invoeren voor lobbyisten?", True),
        ("Welke regels heeft de minister ingevoerd voor lobbyisten?", False),
        ("What do the unions think of the new oath?", True),
        ("Wat vindt BZK van vertrouwenspersonen?", False),
        ("Wat vinden de partijen bij een melding van de uitkomst?", False),
        # What is still to come: a change, an evaluation, an announced course that starts.
        ("Komt er een verplichte training integriteit voor alle ambtenaren?", True),
        ("Komen er wijzigingen in de Wet open overheid aan?", True),
        ("Komt er een herziening van de gedragscode?", True),
        ("Komt er binnenkort een nieuwe versie van de gedragscode?", True),
        ("Wordt de Wet bescherming klokkenluiders nog geëvalueerd?", True),
        ("Wanneer wordt de Wet bescherming klokkenluiders geëvalueerd?", True),
        # ... not an instrument whose evaluation the pages date
        ("Wanneer wordt het Beleidskompas geëvalueerd?", False),
        ("Wordt de gedragscode weer aangepast of afgeschaft?", True),
        ("Wanneer gaat de aangekondigde training van start?", True),
        ("Will the oath be revised again?", True),
        ("When will the act be abolished?", True),
        ("Are there plans to change the gift limit?", True),
        ("Wanneer is de volgende Dag van het Beleid?", True),
        ("Wanneer verschijnt de volgende editie van de gids?", True),
        ("When is the next conference on the oath?", True),
        # Not what happens after a report, not what has come, not a rule in the present.
        ("Komt er een onderzoek na mijn melding?", False),
        ("Komt er voor nieuwe medewerkers een ceremonie?", False),
        # ... nor "nog andere": what there is besides, now
        ("Komen er nog andere regels bij als een ambtenaar politiek actief wordt?", False),
        ("Wanneer gaat de nieuwe eed in?", False),
        ("Wanneer gaat de nieuwe ambtseed van start?", False),
        ("Wanneer wordt de tekst van de ambtseed aangepast?", False),
        ("Is het Beleidskompas al geëvalueerd?", False),
        ("Waarom is de ambtseed herzien?", False),
        ("Wordt de tekst van de eed aangepast voor wie niet gelovig is?", False),
        ("Will I have to take the revised oath?", False),
        ("Will there be an investigation after my report?", False),
        ("Are there plans I have to follow when I report?", False),
        # The knowledge base's own view, asked at the end: it has none. Not advice asked, nor
        # the generic "jouw mening", "your opinion" of the pages on freedom of expression.
        ("is de nieuwe ambtseed niet gewoon symboolpolitiek, wat vind jij", True),
        ("De Oekaze is toch achterhaald, wat vinden jullie?", True),
        ("Wat vind jij, moet ik dit melden?", False),
        ("Mag je als ambtenaar jouw mening op sociale media geven?", False),
        ("When do you have to keep your opinion to yourself as a civil servant?", False),
        ("Can I share your view with the press?", False),
        ("Wat vind je als ambtenaar het lastigst aan loyaliteit?", False),
        ("Wat als ik de uitkomst niet rechtvaardig vind?", False),
        # Willingness asked of the minister by a pronoun after another question.
        ("Deelt de minister deze opvatting, en is zij bereid de eed te wijzigen?", True),
        ("Is zij het daarmee eens?", False),
        # Not the reader's own case.
        ("Komt er een wijziging in mijn rechtspositie als ik een misstand meld?", False),
        ("Wanneer gaat mijn nieuwe baan van start?", False),
        ("Wanneer moet ik de volgende versie van mijn nota inleveren?", False),
        # The next step of a method, not an event to come.
        ("Wanneer is de volgende stap van het Beleidskompas aan de orde?", False),
        # "volgende" as "the following"
        ("Wanneer geldt de volgende uitzondering?", False),
        ("Wat gebeurt er wanneer de volgende regel wordt overtreden?", False),
    ],
)
def test_which_questions_ask_for_the_governments_plans(question, plans):
    assert asks_for_plans(question) is plans


def test_a_question_after_plans_gets_no_card(tiny_index):
    outcome = searcher_with(tiny_index).search(
        "Bent u bereid de regels voor geschenken van leveranciers aan te scherpen?", k=3
    )
    assert outcome.answer is None
    assert outcome.withheld == ASKS_FOR_PLANS
    assert outcome.hits  # the results stay


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hoeveel meldingen waren er in 2024?", True),
        ("Kunt u aangeven hoeveel meldingen er waren?", True),
        ("Welk budget is er voor het programma?", True),
        ("Welk percentage van de ambtenaren zag een dilemma?", True),
        ("Hoeveel mag ik hem vertellen over andere aanvragers?", False),  # what may be said
        ("Hoeveel tijd heb ik om mijn appjes in te leveren?", False),  # a period
        ("Een Kamerlid vroeg cijfers over hoeveel aanvragen we kregen.", False),  # describes
        ("wat verdient een vertrouwenspersoon integriteit per uur", True),  # pay
        ("What is the salary of a member of parliament?", True),
        ("Wat is het salaris van een integriteitscoördinator?", True),
        # Not what is preferable, nor pay named in a question about side jobs.
        ("Wat verdient de voorkeur: intern of extern melden?", False),
        ("Wat verdient aanbeveling bij een geschenk?", False),
        ("Moet ik het salaris van mijn bijbaan opgeven bij het melden?", False),
        ("Do I have to report the salary of my side job?", False),
        # Before a unit, anywhere: also in keywords.
        ("afkoelperiode hoeveel maanden precies?", True),
        # ... not after a verb it describes
        ("Moet ik bijhouden hoeveel uur ik aan mijn nevenfunctie besteed?", False),
        ("Mag mijn leidinggevende vragen hoeveel euro ik verdien?", False),
        ("Above which amount of shares do I have to report them?", True),
        ("Weet iemand hoeveel collega's de eed hebben afgelegd?", True),
    ],
)
def test_which_questions_ask_for_an_amount(question, asks):
    assert bool(AMOUNT_ASKED.search(question)) is asks


@pytest.mark.parametrize(
    ("question", "text", "states"),
    [
        ("Binnen hoeveel maanden leg ik de eed af?", "Uiterlijk binnen drie maanden.", True),
        ("Hoeveel meldingen waren er in 2024?", "Er waren 50 meldingen.", True),
        ("Hoeveel mag een cadeau kosten?", "Tot 50 euro.", True),
        # A number word that counts something else does not answer.
        ("Hoeveel meldingen waren er in 2024?", "Er zijn twee definities.", False),
        ("Hoeveel meldingen waren er in 2024?", "Het rapport over 2024 is uit.", False),
        ("How many reports were there?", "Er zijn twee definities.", True),  # English: any
        ("Hoeveel fouten noemt de ROB?", "De ROB noemt drie hardnekkige fouten.", True),
        ("Hoeveel verlof krijg ik?", "Je krijgt vier weken.", True),  # a unit counts
        ("Hoeveel opties vergelijk je?", "Zie Aanwijzing 3 en stap 2.", False),  # citations
        # A figure counts what it names: other people, or time, answer no count of people.
        ("Hoeveel deelnemers waren er?", "Er zijn 170 gespreksleiders.", False),
        ("Hoeveel deelnemers waren er?", "Het budget geldt voor vijf jaar.", False),
        ("Hoeveel deelnemers waren er?", "Er waren ruim 2.500 deelnemers.", True),
        # Money for a question about money, with the sign or the word.
        ("Hoeveel euro mag een geschenk waard zijn?", "Tot 50 euro.", True),
        ("Hoe hoog mag de waarde zijn?", "Tot € 50 mag het.", True),
        ("Hoeveel rijksambtenaren zijn er?", "Het budget is tien miljoen euro.", False),
        ("Hoeveel geld gaat ernaar?", "Het budget is tien miljoen euro.", True),
        ("Welk percentage zag een dilemma?", "Ongeveer 47 procent.", True),
        ("Welk percentage zag een dilemma?", "Het ging om 47%.", True),
        ("Welk percentage zag een dilemma?", "Er zijn 170 gespreksleiders.", False),
        ("Hoeveel uur per week mag ik thuiswerken?", "Je mag 16 uur thuiswerken.", True),
        ("Hoeveel uur mag ik eraan besteden?", "Je meldt het binnen vier weken.", False),
        ("Hoeveel mag een cadeau kosten?", "Maximaal € 2000.", True),  # no year
        ("Hoeveel geld gaat ernaar?", "Het budget is EUR 500.", True),
        ("Hoeveel meldingen zijn er gedaan?", "De twee zijn niet hetzelfde.", False),
        ("Hoeveel ambtenaren zagen het?", "Ongeveer 27 procent van alle ambtenaren.", True),
        # Pay is counted in euro, not in the people it is paid to.
        ("Wat verdient een vertrouwenspersoon?", "Er zijn twee vertrouwenspersonen.", False),
        ("Wat verdient een vertrouwenspersoon per uur?", "Zij krijgen 8 uur per week.", False),
        ("Wat verdient een vertrouwenspersoon?", "Zo'n 60 euro per uur.", True),
        # The amount the question itself names is not the one it asks for.
        (
            "Hoe hoog is de boete voor een geschenk van meer dan 50 euro?",
            "Een geschenk van meer dan 50 euro neem je nooit aan.",
            False,
        ),
        (
            "Hoe hoog is de boete voor een geschenk van meer dan 50 euro?",
            "De boete is 200 euro.",
            True,
        ),
        (
            "Hoe hoog is de boete voor een geschenk van meer dan €50?",
            "Een geschenk van meer dan 50 euro neem je nooit aan.",
            False,
        ),
    ],
)
def test_what_states_the_amount_a_question_asks_for(question, text, states):
    assert states_the_amount_asked(question, text) is states


@pytest.mark.parametrize(
    ("question", "text", "lacks"),
    [
        ("Wat is de naam van de vertrouwenspersoon bij Financiën?", "Vraag het HR.", True),
        ("Wie zijn de twee vertrouwensfunctionarissen?", "Zij zijn er sinds 2024.", True),
        ("Who are the two confidential officers?", "They started in 2024.", True),
        # ... named in a sentence before the one that asks
        (
            "Er zijn twee vertrouwensfunctionarissen voor bewindspersonen. Wie zijn dat?",
            "Zij zijn er sinds 2024.",
            True,
        ),
        ("There are two confidential officers now. Who are they?", "Since 2024.", True),
        ("Er zijn twee leden in de commissie. Wat doen die?", "Ze adviseren.", False),
        # ... not a group of staff, nor the reader's own organisation's vertrouwenspersonen
        (
            "Vanaf 2024 moeten medewerkers in een kwetsbare functie melden. Wie zijn dat?",
            "Medewerkers met een vertrouwensfunctie.",
            False,
        ),
        ("Er zijn drie vertrouwenspersonen bij ons. Wie zijn dat?", "Zoek op intranet.", False),
        ("Welke ministers zijn het, bij naam?", "Minister De Jonge en Paul van Tongeren.", False),
        ("Wat is de naam van de minister?", "Minister Bruins Slot kondigde het aan.", False),
        # The reader's own name, a text's name and the role itself ask for no person's name.
        ("Blijft mijn naam geheim bij een melding?", "Je identiteit blijft geheim.", False),
        ("Wat is de officiële naam van de eed?", "De Eed en belofte van de sector Rijk.", False),
        ("Wie is de vertrouwenspersoon integriteit?", "Iemand bij wie je terechtkunt.", False),
        ("Hoe heet de integriteitscoördinator van BZK?", "Vraag het op intranet.", True),
        ("Wie is de vertrouwenspersoon bij mijn ministerie?", "Zoek op intranet.", False),
        ("Mag ik de naam van het ministerie noemen?", "Ja, dat mag.", False),
        ("Blijft de naam van de medewerker die meldt geheim?", "Ja, die blijft geheim.", False),
        ("Wie zijn de 5 kernwaarden?", "Onder meer integriteit.", False),
        ("Wie is bij mijn organisatie aangesteld als vertrouwenspersoon?", "Zoek het op.", False),
        # Who held a role then: a person.
        ("Wie was voorzitter van de commissie?", "De commissie kwam in 2020.", True),
        ("Who was the minister in charge then?", "It was announced in 2024.", True),
        ("Wie was de minister die het aankondigde?", "Minister Bruins Slot.", False),
        ("Welke minister van BZK stelde het formulier vast?", "Het kwam in 1998.", True),
        ("Which minister of BZK announced the new oath?", "Minister Bruins Slot did.", False),
        # ... not which minister is responsible now: a role answers that
        ("Welke minister is verantwoordelijk voor de gids?", "De minister van BZK.", False),
        ("Welke minister van BZK heeft de eedplicht ingevoerd?", "Sinds 2006 geldt het.", True),
        # ... which minister, when a role answers it ("de minister van BZK")
        ("Welke minister heeft de eedtekst vastgesteld?", "De minister van BZK.", False),
        # Who were appointed: the people.
        ("Kunt u aangeven wie in 2024 zijn aangesteld als functionaris?", "Dat gebeurde.", True),
        ("Welke personen zijn benoemd?", "Er zijn er twee benoemd.", True),
        ("Door wie zijn de vertrouwenspersonen benoemd?", "Door de secretaris-generaal.", False),
        ("Voor welke personen geldt de ambtseed?", "Voor nieuwe rijksambtenaren.", False),
        ("Geldt de nieuwe eed ook voor wie al zijn aangesteld?", "Nee.", False),
        ("Wie mag er stemmen als de leden zijn gekozen?", "De raad.", False),
        # Who leads a project or programme: a person.
        ("Wie is bij BZK de projectleider van de gids?", "De gids is van BZK.", True),
        ("Who is the programme director?", "It started in 2021.", True),
        ("projectleider gids ambtelijk vakmanschap naam", "De gids is van BZK.", True),
        ("namen vertrouwensfunctionarissen bewindspersonen", "Er zijn er twee.", True),
        # ... but in keywords not the staff in general, whose names the Woo may show
        ("namen ambtenaren woo besluit", "Namen worden meestal weggelakt.", False),
        # ... nor the reader's own name kept secret, nor a sentence
        ("naam vertrouwenspersoon melder geheim", "De vertrouwenspersoon zwijgt.", False),
        ("Blijft mijn naam geheim als ik de vertrouwenspersoon bel.", "Ja.", False),
        # ... not a question where the reader has the role
        ("Ik ben projectleider. Wie moet ik informeren over mijn nevenfunctie?", "HR.", False),
        ("Moet ik als programmamanager mijn naam onder het advies zetten?", "Ja.", False),
        # a body after a role is no person
        ("Wie is de projectleider?", "Het valt onder de directeur Openbaar Bestuur.", True),
        (
            "Wie is de programmadirecteur van Dialoog en Ethiek?",
            "Programmadirecteur is filosoof en oud-topambtenaar Erik Pool.",
            False,
        ),
        ("Wie is op dit moment de trekker van het programma?", "Het programma loopt.", True),
        ("Who are the editors of this knowledge base?", "It explains the oath.", True),
        # which organisations do something: a card must name one
        ("Welke ministeries hanteren een lagere grens?", "Een ministerie mag strenger zijn.", True),
        ("Welke gemeenten hebben de eed overgenomen?", "Elke gemeente kiest zelf.", True),
        ("Welke ministeries hebben een eigen regeling?", "Het ministerie van Defensie.", False),
        ("Welke gemeenten hebben een eigen code?", "De gemeente Leudal.", False),
        # ... not which ones a rule is for
        ("Welke overheden vallen onder de Ambtenarenwet?", "Alle overheden.", False),
        ("Welke organisaties hebben een integriteitsbeleid nodig?", "Elke overheid.", False),
        # a short name only as a name: "financiën" is no ministry
        ("Welke ministeries hanteren een lagere grens?", "Regel je eigen financiën.", True),
    ],
)
def test_which_cards_lack_the_name_a_question_asks_for(question, text, lacks):
    assert lacks_asked_name(question, text) is lacks


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Ik werk bij de provincie. Mag ik een kerstpakket houden?", True),
        ("Geldt de 50-eurogrens ook voor gemeenteambtenaren?", True),
        ("Ik ben gekozen in Provinciale Staten. Krijg ik vrij van mijn werk?", False),
        ("Ik ben gemeenteraadslid in een provincie naast mijn rijksbaan.", False),
        ("Ik werk bij de gemeente en beheer een rijksmonument. Mag ik dit cadeau houden?", True),
        ("Ik werk bij een ministerie en woon in een kleine gemeente.", False),
        # The reader working at another government asks whether the Rijk's rule is theirs.
        (
            "Ik ben ambtenaar bij de gemeente Utrecht. Geldt de regel van het Rijk ook voor mij?",
            True,
        ),
        ("Wij werken bij een provincie. Geldt de gedragscode van het Rijk voor ons?", True),
        ("Ik werk al jaren bij de gemeente. Geldt de 50 euro van het Rijk ook voor mij?", True),
        # ... not a visit there, another role there, or a former job
        ("Ik werk bij het ministerie; ik ben vaak bij de gemeente voor overleg. Mag dit?", False),
        ("Ik ben raadslid bij de gemeente naast mijn werk bij het Rijk. Mag dat?", False),
        ("Nu werk ik bij het Rijk, daarvoor ben ik jaren bij de gemeente geweest.", False),
        ("Wij zijn uitgenodigd bij de provincie. Mag ik als rijksambtenaar gaan?", False),
        # Other governments as partners: a question about working together.
        ("Hoe organiseer ik de samenwerking met gemeenten?", False),
        ("samenwerken met gemeenten, provincies en waterschappen", False),
        ("We werken samen met de gemeente. Mag ik als provincieambtenaar dit houden?", True),
        ("Ik werk samen met een gemeente. Mag ik van die gemeente een cadeau aannemen?", False),
        ("Wanneer betrek ik uitvoeringsorganisaties en gemeenten bij nieuw beleid?", False),
        ("Hoe zit het met gemeenteambtenaren?", True),
        ("Wat is het verschil met gemeenten?", True),
        # The reader leaving the Rijk asks about the rules of the government they go to ...
        ("Ik stap over van een ministerie naar een gemeente. Geldt de grens daar ook?", True),
        ("Ik ga over van het ministerie naar het waterschap. Geldt de grens daar?", True),
        ("Ik werk bij een ministerie en ga bij een provincie werken. Welke eed?", True),
        ("Ik ga van een gemeente naar een ministerie. Welke eed leg ik af?", False),
        # ... not the reader visiting one for the Rijk.
        ("Ik ga als rijksambtenaar naar een gemeente voor een werkbezoek. Mag ik dit?", False),
        ("Namens het ministerie ga ik naar de provincie voor overleg.", False),
        # One named municipality compared with the Rijk, not governments in general.
        (
            "Wat is het verschil tussen de regeling van de gemeente Amsterdam en die van het Rijk?",
            True,
        ),
        ("Verschilt de eed van het Rijk van die van gemeenten?", False),
        ("Ik werk bij het Rijk en ben raadslid in de gemeente Utrecht. Maakt dat verschil?", False),
        # In English too (tuning-29: the Rijk's oath text was shown for Amsterdam's staff) ...
        ("Is the oath text for Amsterdam municipal employees the same?", True),
        ("Which gift limit applies at a Dutch water board?", True),
        ("Do provincial civil servants take the same oath?", True),
        ("Which gift limit applies at a Dutch water authority?", True),
        ("What is the difference with municipalities?", True),
        # ... but a seat or an election is a role beside the job, as a gemeenteraadslid is ...
        ("Can I serve as a municipal councillor while working at a ministry?", False),
        ("Can I stand in the municipal elections while working at a ministry?", False),
        ("I sit on a municipal or provincial council. Do I get leave?", False),
        ("May I campaign for the Provincial States?", False),
        ("Can I run in the water board elections?", False),
        # ... and other governments as partners are partners in English too.
        ("How do I involve municipalities and water boards in new policy?", False),
        ("We work with the provinces on this project. May I join their dinner?", False),
    ],
)
def test_which_questions_are_about_another_government(question, about):
    assert about_other_government(question) is about


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hoe hoog is de grens voor relatiegeschenken bij de gemeente Amsterdam?", True),
        ("Welke regels heeft mijn gemeente voor nevenwerk?", True),
        ("Welke cadeaugrens hanteert de provincie Utrecht?", True),
        ("Wat is bij de gemeente Zwolle precies de grens voor cadeaus?", True),
        ("Wat staat er in de gedragscode voor raadsleden en wethouders?", True),
        ("Wat staat er in de modelgedragscode van de VNG over nevenfuncties?", True),
        ("Hoe luidt de eedtekst van ons waterschap?", True),
        ("Wat zijn de regels voor cadeaus bij de gemeente Utrecht?", True),
        ("Wat is de tekst van de eed bij de provincie Gelderland?", True),
        ("Wat is de tekst van de belofte voor ambtenaren van een waterschap?", True),
        ("Wat is de maximale waarde van een geschenk bij de gemeente Beek?", True),
        ("Wat is de letterlijke tekst van de ambtseed voor gemeenteambtenaren?", True),
        # whether the Rijk's rule is theirs too: the section answers that
        ("Geldt de grens van 50 euro ook bij ons op de gemeente?", False),
        ("Ik werk bij de gemeente Utrecht. Hoe hoog is de grens, ook 50 euro?", False),
        # a rijksambtenaar may still ask a municipality's own rule
        ("Ik ben rijksambtenaar. Hoe hoog is de grens bij de gemeente Utrecht?", True),
        ("Hoe hoog is de grens bij mijn gemeente? Ook die van het Rijk?", False),
        # about other governments in general, or not after their rules
        ("Welke regels gelden voor een gemeenteambtenaar in de eigen gemeente?", False),
        ("Moeten gemeenten ook een gedragscode hebben?", False),
        ("Mag ik als ambtenaar van de gemeente Zwolle raadslid worden?", False),
        ("Hoe hoog is de grens voor geschenken?", False),
        # a government as the giver, not as the employer
        ("Tot welk bedrag mag ik een geschenk van een gemeente aannemen?", False),
    ],
)
def test_which_questions_ask_another_governments_own_rules(question, asks):
    assert asks_own_rules_of_other_government(question) is asks


@pytest.mark.parametrize(
    ("question", "literal"),
    [
        ("wat is de letterlijke tekst van artikel 7 Ambtenarenwet 2017?", True),
        ("Wat staat er letterlijk in paragraaf 8.5 van de gedragscode?", True),
        ("Hoe luidt artikel 10 letterlijk?", True),
        ("What is the exact wording of the act on financial interests?", True),
        ("Geef de volledige tekst van de motie.", True),
        # "letterlijk" as an adverb, and no text asked
        ("Moet ik de gids letterlijk volgen?", False),
        ("Staat er in de gids dat ik het letterlijk moet volgen?", False),
        ("Wat moet ik doen als mijn leidinggevende letterlijk zegt dat ik moet zwijgen?", False),
        ("Mag ik de wettekst zelf nakijken?", False),
    ],
)
def test_which_questions_ask_for_a_literal_text(question, literal):
    assert bool(LITERAL_TEXT_ASKED.search(question)) is literal


@pytest.mark.parametrize(
    ("question", "oath"),
    [
        ("Wat is de letterlijke tekst van de ambtseed?", True),
        ("Geef de exacte eedtekst.", True),
        ("What is the exact wording of the oath?", True),
        ("Wat is de precieze tekst van de ambtsbelofte?", True),
        # words that only end in "eed"
        ("What is the exact wording of the act I need?", False),
        ("Indeed, what is the full text?", False),
        ("Hoe breed is de exacte tekst?", False),
    ],
)
def test_which_literal_questions_name_the_oath(question, oath):
    assert bool(OATH_NAMED.search(question)) is oath


@pytest.mark.parametrize(
    ("question", "whole_list"),
    [
        ("kan iemand de complete lijst met alle basisprincipes posten?", True),
        ("Welke functies staan er allemaal in artikel 13?", True),
        ("Graag het hele lijstje.", True),
        ("I need the complete list of directives.", True),
        ("zoek de inhoudsopgave van de gids", True),
        ("Welke drie integriteitswaarden noemt de gedragscode?", False),
        ("Geldt de regel voor alle ambtenaren?", False),
        ("Welke regels zijn er allemaal voor geschenken?", False),
        ("In welke categorieën deelt het Rijk de meldingen in?", True),
    ],
)
def test_which_questions_ask_for_a_whole_list(question, whole_list):
    assert bool(COMPLETE_LIST_ASKED.search(question)) is whole_list


@pytest.mark.parametrize(
    ("question", "last"),
    [
        ("Wat houden stap 3 tot en met 6 van het stappenplan in?", "6"),
        ("Leg stappen twee t/m vijf uit", "vijf"),
        ("What are steps 2 to 4?", "4"),
        ("Wat doe ik in stap 2?", None),
        ("Kun je stap twee toelichten?", None),
        ("Stap 3 - wat is het probleem?", None),
        ("Welke stappen een toezichthouder moet zetten", None),
        ("Welke stappen zijn er?", None),
    ],
)
def test_which_questions_ask_for_a_range_of_steps(question, last):
    found = STEP_RANGE.search(question)
    assert (found.group("last") if found else None) == last


@pytest.mark.parametrize(
    ("question", "text", "lacks"),
    [
        ("Welk artikel regelt dat?", "Je werkgever beslist.", True),
        ("Welk artikel regelt dat?", "Dat staat in artikel 7 van de Ambtenarenwet 2017.", False),
        ("In welk besluit is de gids vastgesteld?", "De gids is een handreiking van BZK.", True),
        ("In welk Staatsblad staat de eed?", "De eed staat in Stb. 2024, 421.", False),
        (
            "In welk besluit staat de eedtekst?",
            "In het Uitvoeringsbesluit Ambtenarenwet 2017.",
            False,
        ),
        ("Which article of the act says so?", "Article 10 of the act says so.", False),
        # not a question after a reference
        ("Welke regels gelden voor cadeaus?", "Tot 50 euro mag het.", False),
    ],
)
def test_a_question_after_an_article_needs_a_card_that_cites_one(question, text, lacks):
    assert lacks_asked_reference(question, text) is lacks


@pytest.mark.parametrize(
    ("question", "text", "lacks"),
    [
        ("Wat waren de conclusies van het rapport?", "Het rapport verscheen in 2024.", True),
        ("What were the findings of the evaluation?", "The evaluation took a year.", True),
        ("Wat concludeerde de enquêtecommissie?", "De commissie bestond uit vijf leden.", True),
        ("Welke uitkomsten had het onderzoek?", "Ongeveer 47 procent had een dilemma.", False),
        (
            "Wat was de uitkomst van de peiling?",
            "Uit het onderzoek blijkt dat de helft twijfelt.",
            False,
        ),
        # not a question after findings
        ("Op welke wijze worden de uitkomsten gebruikt?", "Het team beslist.", False),
        ("Wat is het WODC?", "Een onderzoeksinstituut.", False),
        ("Wat was de uitkomst van het onderzoek?", "Het onderzoek duurde een jaar.", True),
        (
            "Wat zijn de mogelijke uitkomsten van een integriteitsonderzoek?",
            "Een berisping.",
            False,
        ),
        ("Welke uitkomsten bespreek ik in een evaluatiegesprek?", "Je doelen.", False),
        # an advice or a decision may state its point without these words
        ("Wat waren de conclusies van de Raad van State?", "Ambtenaren waren onzeker.", False),
        ("Wat kwam er uit het WODC-onderzoek?", "Het WODC onderzocht het gebruik.", True),
        ("uitkomsten wodc rapport beleidskompas", "Het WODC onderzocht het gebruik.", True),
        # ... not the outcome of a procedure
        ("resultaten veiligheidsonderzoek", "Je krijgt een verklaring.", False),
        ("Wat is er uitgekomen bij de evaluatie?", "Ongeveer 47 procent had een dilemma.", False),
        # the present asks what a procedure gives
        ("Wat komt er uit een veiligheidsonderzoek?", "Een verklaring van geen bezwaar.", False),
        # filler words between the verb and "uit"
        ("Wat kwam er nou eigenlijk uit dat WODC-onderzoek?", "Het WODC onderzocht het.", True),
        ("Wat concludeerde het WODC?", "Het rapport ging naar de Kamer.", True),
    ],
)
def test_a_question_after_findings_needs_a_card_that_states_them(question, text, lacks):
    assert lacks_asked_findings(question, text) is lacks


@pytest.mark.parametrize(
    ("question", "lacks"),
    [
        ("Wat staat er in hoofdstuk 13 van de cao Rijk?", True),
        ("Wat regelt artikel 10 van de Ambtenarenwet?", False),  # the section cites it
        ("Wat regelt art. 10?", False),
        ("Wat staat er in artikel 125?", True),
        ("Welke regels gelden voor cadeaus?", False),  # names no numbered part
        # in a list, a compound or with the sign
        ("Wat regelen de artikelen 9 en 10?", False),
        ("Wat zegt § 8.4 van de gedragscode?", False),
        ("Wat zegt begrotingsartikel 7?", False),
        ("Wat regelen artikel 10 en 11?", True),
        # a numbered step of a method
        ("Wat houdt stap 2 van het stappenplan in?", True),
        ("Wat gebeurt er in stap 1?", False),
        ("Wat doe je in de derde stap?", False),  # no number asked
        ("Wat gebeurt er in stap 3?", False),  # "de derde stap" in the section
        # a numbered action point of a plan (tuning-29), in Dutch and English
        ("Wat is actiepunt 1 van het actieplan?", True),
        ("Wat is actiepunt 17?", False),
        ("What is action point 17 of the action plan?", False),
        ("What is action point 3?", True),
    ],
)
def test_a_question_after_a_numbered_part_needs_a_section_that_cites_it(question, lacks):
    section = a_section(
        "politiek",
        "Artikel 10 van de Ambtenarenwet gaat over politieke activiteiten.",
        "Artikel 9 ook; zie ook paragraaf 8.4 en begrotingsartikel 7.",
        "In stap 1 van het stappenplan schrijf je de vraag op. De derde stap is bespreken.",
        "De gids is actiepunt 17 van het actieplan.",
    )
    assert cites_no_provision_asked(question, section) is lacks


@pytest.mark.parametrize(
    ("question", "text", "lacks"),
    [
        ("Hoe lang duurt een veiligheidsonderzoek?", "Een vertrouwensfunctie is zwaar.", True),
        ("Hoe lang moet ik wachten voor ik mag beginnen?", "Een belang kan botsen.", True),
        ("How long does it take to hear back?", "You report to your manager.", True),
        ("Hoe lang duurt het voordat ik iets hoor?", "Binnen 12 weken hoor je meer.", False),
        ("Hoe lang duurt een afkoelperiode?", "Twee jaar, afhankelijk van de functie.", False),
        ("Hoe lang is de afkoelperiode?", "Een afkoelperiode is een periode na je vertrek.", True),
        ("How long exactly is the cooling-off period?", "It is a period after you leave.", True),
        # a date or a word like "direct" is no duration
        ("Hoe lang duurt een onderzoek?", "Sinds 18 februari 2023 mag je direct melden.", True),
        ("Hoelang mag dat eigenlijk duren?", "De beëdiging is bij je start.", True),
        # a length, not a duration
        ("Hoe lang mag een morele vraag zijn?", "Kort: hooguit vijftien woorden.", False),
        # keywords that end in it
        ("afkoelperiode hoe lang", "Een afkoelperiode is een periode na je vertrek.", True),
        ("cooling off period how long", "Een afkoelperiode is een periode na je vertrek.", True),
        ("afkoelperiode hoe lang", "Die duurt twee jaar.", False),
        # a sentence that asks something else after it
        ("Ik wil weg. Afkoelperiode hoe lang? Wat is de regel?", "Meld een belang.", False),
        # ... and a sentence before it: no keyword search
        ("Ik wil weg. Afkoelperiode hoe lang?", "Meld een belang.", False),
    ],
)
def test_a_question_after_how_long_something_takes_needs_a_duration(question, text, lacks):
    answer = Answer("tekst", "pagina/#tekst", text, 0.9, "short_answer")
    reason = card_lacks_what_is_asked(question, a_section("tekst"), answer)
    assert reason == (NO_DURATION if lacks else None)


@pytest.mark.parametrize(
    ("question", "card", "reason"),
    [
        ("Welke slotwoorden zeg je na de eed?", "Ik zweer dat ik ...", TEXT_NOT_QUOTED),
        ("What closing words do you say after the oath?", "Ik zweer dat ...", TEXT_NOT_QUOTED),
        ("Welke slotwoorden zeg je na de eed?", "Je zegt: zo waarlijk helpe mij God.", None),
        ("Wat is de tekst van de eed?", "Ik zweer dat ik ...", None),
        # how to order something: a card must say where or how
        ("macht en moed boek bestellen", "Het boek gaat over moed.", NO_WAY_TO_ORDER),
        ("Hoe bestel ik het boek?", "Het boek is te bestellen bij de uitgever.", None),
        ("Must I follow an order from the minister?", "Ik zweer dat ik ...", None),
        ("Where can I order the book Macht en moed?", "Het boek gaat over moed.", NO_WAY_TO_ORDER),
        ("laptop bestellen nieuwe medewerker", "Houd informatie geheim.", NO_WAY_TO_ORDER),
        # something ordered, not how to order it
        ("Mag ik bestellen bij het bedrijf van mijn broer?", "Meld een belang.", None),
        # which form to use: a card must name one
        (
            "Welk formulier in P-Direkt gebruik ik voor politiek verlof?",
            "Je krijgt verlof.",
            NO_FORM,
        ),
        ("Is daar een formulier voor of kan het per mail?", "Stuur een mail.", NO_FORM),
        ("functioneringsgesprek formulier waar vinden", "Meld een belang.", NO_FORM),
        ("Welke formulieren zijn er voor de eed?", "Je legt de eed af.", NO_FORM),
        ("Welk eedformulier geldt voor mij?", "Het eedformulier van het Rijk.", None),
        ("Via welk formulier meld ik nevenwerk?", "Dat kan via een formulier of gesprek.", None),
        # a form in the story, not asked for
        ("Een aanvrager vulde het formulier half in. Mag ik afwijzen?", "Vraag na.", None),
        # the consequences of not doing something, or a sanction: a card must speak of one
        (
            "Wat gebeurt er als ik de eed niet op tijd afleg?",
            "Binnen drie maanden.",
            NO_CONSEQUENCE,
        ),
        ("Word ik dan ontslagen?", "Je legt de eed af.", NO_CONSEQUENCE),
        ("Welke sanctie volgt er op een schending?", "Meld een schending.", NO_CONSEQUENCE),
        ("Can I dismiss an employee who leaked a memo?", "Keep it secret.", NO_CONSEQUENCE),
        ("What disciplinary penalty applies to a gift?", "Max 50 euro.", NO_CONSEQUENCE),
        ("Which sanctions follow a breach?", "Report a breach.", NO_CONSEQUENCE),
        ("What is the penalty for not taking the oath?", "Take it.", NO_CONSEQUENCE),
        ("Which EU sanctions apply to Russian gifts?", "Max 50 euro.", None),
        ("Wat gebeurt er als ik weiger?", "Weigeren kan tot ontslag leiden.", None),
        # whether a rule applies, or what happens after doing something: no sanction asked
        ("Kan dat gevolgen hebben voor mijn werk?", "Hoe dichter bij je werk, hoe meer.", None),
        ("Wat gebeurt er als ik een misstand meld?", "Je melding wordt onderzocht.", None),
        ("Wat gebeurt er als ik een cadeau krijg dat ik niet mag houden?", "Geef het terug.", None),
        ("Wat gebeurt er als er geen vertrouwenspersoon is?", "Ga naar de coördinator.", None),
        ("Wat gebeurt er als de zoekdienst niet bereikbaar is?", "Zoek op trefwoord.", None),
        # whether reporting may cost the job: the protection of reporters answers that
        (
            "Kan ik ontslagen worden omdat ik een misstand meldde?",
            "Je mag niet benadeeld worden.",
            None,
        ),
        ("Will I be fired if I report wrongdoing?", "You are protected.", None),
        # how often a duty recurs: a card must say it (tuning-29), not a share of people
        (
            "Hoe vaak moet een insider zijn transacties melden?",
            "Meld ze aan je werkgever.",
            NO_FREQUENCY,
        ),
        ("How often must I renew the form?", "Fill in the form.", NO_FREQUENCY),
        # ... as the pages say it: at an event, or once
        ("Hoe vaak moet ik mijn nevenwerk melden?", "Meld ook als je nevenwerk verandert.", None),
        ("Hoe vaak moet ik de eed afleggen?", "Je legt de nieuwe eed niet opnieuw af.", None),
        ("Hoe vaak krijgen ambtenaren een dilemma?", "Bijna de helft, 47 procent.", None),
        # "forms" in English are kinds
        ("Which forms of outside work do I have to report?", "Meld nevenwerk.", None),
        # the number of a parliamentary paper, a directive or a ruling: a card must give that
        # kind of number, not another reference
        (
            "Wat is het Kamerstuknummer van de motie Ellian?",
            "Het besluit staat in Staatsblad 2024, 421.",
            NO_REFERENCE,
        ),
        ("kamerstuknummer wet eed", "De toelichting (Kamerstuk 29 436, nr. 3) ...", None),
        (
            "What is the number of the EU whistleblower directive?",
            "De wet geldt sinds 2023 (Stb. 2023, 52).",
            NO_REFERENCE,
        ),
        ("Wat is het nummer van de EU-richtlijn?", "Richtlijn (EU) 2019/1937.", None),
        ("ECLI uitspraak chatberichten", "De Raad van State oordeelde in 2019.", NO_REFERENCE),
        ("Wat is het ECLI-nummer?", "Zie ECLI:NL:RVS:2019:899.", None),
        # ... not a question that gives the number itself
        ("Wat zegt ECLI:NL:RVS:2019:899 over chats?", "Chats kunnen onder de Woo vallen.", None),
        (
            "Wat is het nummer van de klokkenluidersrichtlijn?",
            "De wet geldt sinds 2023.",
            NO_REFERENCE,
        ),
        ("Wat is het nummer van de EU-richtlijn?", "De wet geldt sinds 2023.", NO_REFERENCE),
        ("Wat is het nummer van de Ellian-motie?", "De motie kwam in 2022.", NO_REFERENCE),
        # the Staatsblad or Staatscourant asked: a decree's name or the other gazette is not it
        # (tuning-29: "In welk Staatsblad staat die?" got a card citing a Staatscourant)
        (
            "In welk Staatsblad staat de nieuwe eedtekst?",
            "De tekst staat in het Uitvoeringsbesluit (Staatscourant 1998, 92).",
            NO_REFERENCE,
        ),
        ("In welk Staatsblad staat de eed?", "Het besluit (Staatsblad 2024, 421).", None),
        ("staatsbladnummer wet eed", "De wet (Stb. 2005, 695).", None),
        ("Which Staatscourant published the code?", "Staatscourant 2019, 123.", None),
        ("Staatsblad reference for the 2005 act", "De wet (Stb. 2005, 695).", None),
        ("Staatsblad reference for the 2005 act", "De wet van 2005.", NO_REFERENCE),
        ("In welke Staatsbladen staan de wijzigingen?", "Het besluit van 2024.", NO_REFERENCE),
        # ... but not one gazette offered beside a decree: any reference answers that
        (
            "In welk besluit of welke Staatscourant is de gids vastgesteld?",
            "In het Uitvoeringsbesluit Ambtenarenwet 2017.",
            None,
        ),
        ("In welke Staatscourant staat de code?", "Het besluit van 2019.", NO_REFERENCE),
        ("In welk nummer van de Staatscourant stond het?", "In 2006.", NO_REFERENCE),
        # a case number: the pages give none (tuning-29)
        (
            "Welk zaaknummer heeft het advies?",
            "De Raad van State adviseerde in 2020.",
            NO_REFERENCE,
        ),
        ("Mag ik een zaaknummer in een chat noemen?", "Wees zorgvuldig.", None),
        ("Mag ik het zaaknummer van een dossier met de pers delen?", "Wees zorgvuldig.", None),
        # an article of a law named: only a card that names that law (tuning-29)
        (
            "In welk artikel van de Grondwet staat de vrijheid van meningsuiting?",
            "Volgens artikel 10 Ambtenarenwet 2017 zie je af van een uiting.",
            NO_REFERENCE,
        ),
        ("Which article of the Constitution is it?", "Artikel 7 van de Grondwet.", None),
        (
            "In welk artikel van de Nederlandse Grondwet staat het?",
            "Artikel 10 Ambtenarenwet.",
            NO_REFERENCE,
        ),
        (
            "In welk artikel van de Ambtenarenwet staat de eed?",
            "Sinds 2020 staat de plicht in artikel 7 van de Ambtenarenwet 2017.",
            None,
        ),
        # a salary scale: only a card that names one (tuning-31)
        (
            "Vanaf welke salarisschaal moet ik mijn beleggingen melden?",
            "Vraag na of je in je functie financiële belangen moet melden.",
            NO_NUMBER,
        ),
        ("In which pay scale must I report shares?", "Vanaf schaal 14 meld je ze.", None),
        ("Mag ik in elke schaal een bijbaan hebben?", "Meld je nevenwerk.", None),
        ("Does the 50 euro limit depend on my pay scale?", "Tot 50 euro.", None),
        ("Op welke schaal komt belangenverstrengeling voor?", "Het komt voor.", None),
        # a version number: a year of a version is not it (tuning-30)
        (
            "Wat is de publicatiedatum en het versienummer van de gids?",
            "Er was uiterlijk begin 2023 een eerste versie.",
            NO_NUMBER,
        ),
        ("Which version number does the code have?", "Versies uit 2016 en 2019.", NO_NUMBER),
        ("Welk versienummer heeft de gids?", "De editie 2023 is de laatste.", NO_NUMBER),
        ("Welk versienummer heeft de pdf?", "Dit is versie 2.1 van de gids.", None),
        ("Welk versienummer heeft de gids?", "Een versienummer is niet gevonden.", None),
        # a number of something else
        ("Wat is het telefoonnummer van het Huis?", "Bel 088-133 10 00.", None),
        ("Wat is het nummer van de promotie?", "De motie kwam in 2022.", None),
    ],
)
def test_cards_give_the_closing_words_a_way_to_order_a_form_a_sanction_or_a_number_when_asked(
    question, card, reason
):
    answer = Answer("tekst", "pagina/#tekst", card, 0.9, "literal")
    assert card_lacks_what_is_asked(question, a_section("tekst"), answer) == reason


def test_every_written_question_after_a_duration_form_or_sanction_has_it_in_its_section():
    """The rules that want a certain text in the card are never at odds with the content: for
    every question written for a section that asks such a thing, the section's text, short
    answer or facts state it (the card is composed from them)."""
    asking = [
        (section, question, stated, reason)
        for section in searchable_sections(Settings())
        for question in section.written_questions
        for asked, stated, reason in ASKED_AND_STATED
        if asked.search(question)
    ]
    assert {NO_DURATION, NO_FREQUENCY, NO_FORM, NO_CONSEQUENCE} <= {reason for *_, reason in asking}
    for section, question, stated, _ in asking:
        text = " ".join((section.short_answer, section.text, *(f.answer for f in section.facts)))
        assert stated.search(text), (section.id, question)


def test_every_written_question_after_an_article_of_a_law_has_that_law_in_its_section():
    asking = [
        (section, question)
        for section in searchable_sections(Settings())
        for question in section.written_questions
        if ARTICLE_OF_A_LAW_ASKED.search(question)
    ]
    assert asking  # the content asks for such articles: the rule is tested against it
    for section, question in asking:
        text = " ".join((section.short_answer, section.text, *(f.answer for f in section.facts)))
        assert not lacks_asked_reference(question, text), (section.id, question)


def test_keyword_search_keeps_the_rules_for_other_governments_and_amounts():
    """Before the semantic index is built, keyword search answers from the real pages: a word
    only one section has gives a card, but not as another government's rule, and not for a
    "hoeveel" the card cannot answer."""
    settings = Settings()
    keywords = KeywordSearcher(
        searchable_sections(settings),
        read_listed_lines(settings.rijk_names),
        read_listed_lines(settings.everyday_names),
    )
    assert keywords.search("oekaze", 5).answer.id == "contact-met-kamerleden"
    assert keywords.search("oekaze gemeente", 5).withheld == OTHER_GOVERNMENT_ASKED
    assert keywords.search("hoeveel oekaze", 5).withheld == NO_AMOUNT
    assert keywords.search("oekaze: wie zijn de twee ministers?", 5).withheld == NO_NAME
    assert keywords.search("Bent u bereid de oekaze te herzien?", 5).withheld == ASKS_FOR_PLANS
    # The checks of the card itself are the semantic search's.
    assert keywords.search("oekaze: in welk besluit staat die?", 5).withheld == NO_REFERENCE


def test_keyword_search_writes_out_the_abbreviations_too():
    settings = Settings()
    sections = searchable_sections(settings)
    plain = KeywordSearcher(
        sections,
        read_listed_lines(settings.rijk_names),
        read_listed_lines(settings.everyday_names),
    )
    assert plain.search("gir uitzendkracht", 5).answer is None  # "gir" is no word of the pages
    keywords = KeywordSearcher(
        sections,
        read_listed_lines(settings.rijk_names),
        read_listed_lines(settings.everyday_names),
        read_listed_lines(settings.abbreviations),
    )
    assert keywords.search("gir uitzendkracht", 5).answer.id == "gedragscode-integriteit-rijk"


KEYWORD_PAGE = """---
sections:
  geschenken:
    short_answer: Een geschenk tot vijftig euro mag je aannemen, met toestemming.
    questions:
      - Mag ik een relatiegeschenk aannemen?
---

## Geschenken {#geschenken}

Een relatiegeschenk van een leverancier neem je aan tot vijftig euro. Dat geldt voor
ambtenaren, niet voor wethouders of medewerkers van een bank in België.

## De eed {#eed}

Je legt de eed af.
"""


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("relatiegeschenk leverancier", None),
        (
            "relatiegeschenk leverancier wethouders",
            "over mensen voor wie de kennisbank niet is geschreven",
        ),
        ("relatiegeschenk medewerkers van een bank", "over een andere werkgever dan het Rijk"),
        ("relatiegeschenk ambtenaren in België", "over een andere werkgever dan het Rijk"),
    ],
)
def test_keyword_search_keeps_the_rules_for_other_people_and_employers(question, reason):
    keywords = KeywordSearcher(sections_of_page(KEYWORD_PAGE, "thema.md", ["Thema"]), [])
    outcome = keywords.search(question, 5)
    assert outcome.hits[0].section.id == "geschenken"
    assert outcome.withheld == reason
    assert (outcome.answer is None) == (reason is not None)


def test_keyword_search_gives_no_short_answer_for_a_whole_list():
    # (keyword search answers only when the pages know every word of the question)
    page = KEYWORD_PAGE.replace("tot vijftig euro.", "tot vijftig euro (geen volledige lijst).")
    keywords = KeywordSearcher(sections_of_page(page, "thema.md", ["Thema"]), [])
    assert keywords.search("relatiegeschenk leverancier", 5).answer.id == "geschenken"
    whole = keywords.search("relatiegeschenk leverancier: de volledige lijst", 5)
    assert (whole.answer, whole.withheld) == (None, LIST_NOT_GIVEN)


@pytest.mark.parametrize(
    ("question", "asks_one_thing"),
    [
        # "welke" before a singular the list never names: one thing (tuning-31)
        ("Welke motie was de aanleiding voor de herziening?", True),
        ("Which motion led to the revision?", True),
        # a plural, "zijn" or a word the list uses keeps the list
        ("Welke stappen zijn er gezet bij de herziening?", False),
        ("Welke belangrijke stappen waren er?", False),
        ("Welke zijn de momenten van de herziening?", False),
        ("Welke minister kondigde de herziening aan?", False),
        # another cue for a list, or a word that asks for one
        ("Noem de momenten: welke motie hoort erbij?", False),
        ("Welke volgorde houd je aan bij de herziening?", False),
    ],
)
def test_which_before_a_singular_the_list_never_names_asks_one_thing(question, asks_one_thing):
    lead = "De herziening stap voor stap:"
    items = (
        "Januari 2023: de minister kondigt een nieuwe tekst aan.",
        "2025: de eed is in gebruik.",
    )
    assert asks_one_thing_the_list_does_not_name(question, lead, items) is asks_one_thing


@pytest.mark.parametrize(
    ("question", "card", "lacks"),
    [
        # the set is named but not spelled out
        ("Welke vijf O's zijn er?", "De vragen werden ingedeeld in 'de vijf O's'.", True),
        (
            "wtf zijn 'de vier rollen' van de ambtenaar?",
            "De minister beslist; jij adviseert.",
            True,
        ),
        ("Welke groepen zijn de vijf O's?", "Ingedeeld in 'de vijf O's'.", True),
        ("vijf o's morele vragen welke zijn dat", "De vragen staan in 'de vijf O's'.", True),
        ("ik werk 3 dagen thuis, wat zijn dat voor regels", "Thuiswerk meld je.", False),
        # named and spelled out, in the singular or the plural, before or after the noun
        ("Welke vijf waarden noemt de visie?", "Ze noemt vijf waarden: a, b, c, d en e.", False),
        (
            "Wat zijn de drie rollen?",
            "Elke rol telt: de minister, de ambtenaar en de Kamer.",
            False,
        ),
        (
            "Welke drie rollen?",
            "De minister, de ambtenaar en de Kamer: dat zijn de drie rollen.",
            False,
        ),
        # the plural as the end of a compound: Dutch puts the head noun last
        (
            "Welke drie waarden zijn dat?",
            "De code noemt drie integriteitswaarden: a en b, c en d, en e.",
            False,
        ),
        ("Welke drie waarden zijn dat?", "De code noemt drie integriteitswaarden.", True),
        # ... but only right after the count: "voorwaarden" names no values
        ("Welke drie waarden zijn dat?", "Het mag onder drie voorwaarden: a, b en c.", True),
        # named, but the separators are in another sentence
        (
            "Welke drie rollen?",
            "Er zijn drie rollen. Lees over integriteit, gedrag en de eed.",
            True,
        ),
        # no set asked: a yes/no question, a possessive
        ("Zijn twee getuigen nodig bij de eed?", "Nee, getuigen zijn niet nodig.", False),
        (
            "Mag ik een cadeau voor zijn drie kinderen aannemen?",
            "Tot 50 euro, met toestemming.",
            False,
        ),
        # a count of just anything
        ("Welke drie dingen moet je regelen?", "Beleid, een gedragscode en de eed.", False),
        # in English the Dutch card cannot hold the noun: one sentence must spell the set out
        ("Which five values does it name?", "Openheid, dienstbaarheid en meer.", True),
        ("Which five values does it name?", "Ze zijn: a, b, c, d en e.", False),
        ("Which are the 'five O's'?", "De vragen staan in 'de vijf O's'.", True),
        # the other members of a set, also counted beyond ten
        ("What are the other sixteen action points?", "De gids is actiepunt 17.", True),
        ("Welke andere vier rollen zijn er?", "Er zijn vier rollen: a, b, c en d.", False),
    ],
)
def test_a_counted_set_asked_for_must_be_named_and_spelled_out(question, card, lacks):
    section = sections_of_page(KEYWORD_PAGE, "thema.md", ["Thema"])[0]
    answer = Answer(section.id, section.url, card, 0.0, "short_answer")
    assert lacks_asked_list(question, section, answer) is lacks


@pytest.mark.parametrize(
    ("question", "what_it_is"),
    [
        ("Ik werk bij de provincie en hoor steeds 'Beleidskompas'. Wat is dat?", True),
        ("Ik werk bij een gemeente. Wat betekent ambtelijk vakmanschap?", True),
        ("Ik werk bij een waterschap. Sinds wanneer bestaat het Beleidskompas?", True),
        # a rule, what the reader must do, or the other government in the asking sentence
        ("Ik werk bij een gemeente. Wat is de grens voor een geschenk?", False),
        ("Ik werk bij een gemeente. Wat moet ik doen met een kerstpakket?", False),
        ("Ik werk bij een gemeente. Mag ik een cadeau houden?", False),
        ("Wat is de gedragscode van de gemeente Utrecht?", False),
    ],
)
def test_what_a_thing_is_does_not_depend_on_the_reader_s_employer(question, what_it_is):
    assert asks_what_a_thing_is(question) is what_it_is


OTHER_PEOPLE_PAGE = """---
sections:
  uitspraken:
    short_answer: Een politieke uitspraak mag, als je werk er niet onder lijdt.
    questions:
      - Hoe beoordeelt de rechter een politieke uitspraak van een ambtenaar?
  kamerleden:
    short_answer: Contact met Kamerleden loopt via de minister.
    questions:
      - Wat betekent ja, tenzij bij contact met Kamerleden?
---

## Uitspraken {#uitspraken}

Een politieke uitspraak van een ambtenaar mag, als het werk er niet onder lijdt.

## Kamerleden {#kamerleden}

Een Kamerlid dat een ambtenaar belt, krijgt antwoord via de minister.
"""


@pytest.mark.parametrize(
    ("question", "section", "reason"),
    [
        # A section whose written question names judges answers for judges ...
        ("Hoe beoordelen rechters een politieke uitspraak?", 0, None),
        # ... not for soldiers,
        (
            "Mag een militair een politieke uitspraak doen?",
            0,
            "over mensen voor wie de kennisbank niet is geschreven",
        ),
        # and one written for Kamerleden answers for a Kamerlid (singular or plural).
        ("Wat mag een Kamerlid vragen?", 1, None),
    ],
)
def test_a_section_answers_for_the_other_people_its_questions_name(question, section, reason):
    sections = sections_of_page(OTHER_PEOPLE_PAGE, "thema.md", ["Thema"])
    others = OtherAudiences(sections, [])
    assert others.people_in_sections == {0: {"recht"}, 1: {"kamer"}}
    assert others.reason(question, section, sections[section]) == reason


def test_the_semantic_search_narrows_the_people_a_section_answers_for():
    # The semantic search says which groups the section answers for here: those named by its
    # written questions that come close to this question. Without judges among them, the
    # section written for judges does not answer about them.
    sections = sections_of_page(OTHER_PEOPLE_PAGE, "thema.md", ["Thema"])
    others = OtherAudiences(sections, [])
    question = "Mag een rechter lid zijn van een politieke partij?"
    assert others.reason(question, 0, sections[0]) is None
    assert others.reason(question, 0, sections[0], people_answered=frozenset({"recht"})) is None
    assert (
        others.reason(question, 0, sections[0], people_answered=frozenset())
        == "over mensen voor wie de kennisbank niet is geschreven"
    )


@pytest.mark.parametrize(
    ("question", "section", "not_summarised"),
    [
        # The whole content of a document the section may mention but does not summarise ...
        ("Wat staat er precies in de Britse Civil Service Code?", "geschenken", True),
        ("wat stond er in het advies van de Raad van State", "geschenken", True),
        # (a short word is no part of a longer one: "Woo" is not in "verantwoordelijk")
        ("Wat staat er in de Woo?", "geschenken", True),
        # ... not one the section is about: its title, its page's title or its short answer
        # names it, also as a short word, with another ending or as part of a compound,
        ("Wat staat er in de regeling voor geschenken?", "geschenken", False),
        ("Wat staat er in de geschenkenregeling?", "geschenken", False),
        ("Wat staat er in de eed?", "eed", False),
        ("Wat staat er nou eigenlijk in de eedformule??", "eed", False),
        # not a document without a word of its own, nor a part of a document,
        ("Wat staat er in de wet?", "geschenken", False),
        ("Wat staat er in de Britse code over geschenken?", "geschenken", False),
        ("Mag ik een geschenk aannemen?", "geschenken", False),
    ],
)
def test_a_question_after_a_whole_document_needs_a_section_about_it(
    question, section, not_summarised
):
    page = KEYWORD_PAGE.replace("met toestemming.", "met toestemming; jij bent verantwoordelijk.")
    sections = {found.id: found for found in sections_of_page(page, "thema.md", ["Thema"])}
    assert document_not_summarised(question, sections[section]) is not_summarised


def test_keyword_search_withholds_a_document_the_section_does_not_summarise():
    # Every word of a keyword question must be known for a card: "staat" too.
    page = KEYWORD_PAGE.replace("Een relatiegeschenk", "Zo staat het: een relatiegeschenk")
    keywords = KeywordSearcher(sections_of_page(page, "thema.md", ["Thema"]), [])
    outcome = keywords.search("Wat staat er in de bank in België?", 5)
    assert outcome.hits[0].section.id == "geschenken"
    assert outcome.withheld == DOCUMENT_NOT_SUMMARISED


@pytest.mark.parametrize(
    "question",
    [
        "wat staat er in a" + " " * 480 + "x",
        "wat staat er in " + "a " * 240 + "?",
        "wat staat er in " + "over " * 96,
    ],
)
def test_a_long_question_after_a_document_is_judged_at_once(question):
    # The document's pattern once took time cubic in the length of a question of spaces.
    page = sections_of_page(KEYWORD_PAGE, "thema.md", ["Thema"])
    started = time.perf_counter()
    document_not_summarised(question, page[0])
    assert time.perf_counter() - started < 0.05


def test_a_how_many_question_gets_no_card_that_states_no_number(searcher):
    outcome = searcher.search("Hoeveel uitnodigingen van een bedrijf krijg ik?", k=3)
    assert outcome.answer is None
    assert outcome.withheld == NO_AMOUNT
    assert outcome.hits[0].section.id == "uitnodigingen"  # the results stay
    # The short answer that states the amount keeps its card.
    answer = searcher.search("Hoeveel mag een cadeau van een leverancier kosten?", k=3).answer
    assert "vijftig euro" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Mag ik een geschenk van een wethouder aannemen?",  # the reader
        "Mag ik als wethouder naast mijn werk een geschenk aannemen?",  # combining the roles
        "Mag een ambtenaar een geschenk van een Kamerlid aannemen?",  # a civil servant
        "Mag een wethouder een ambtenaar een geschenk geven?",  # civil servants, not compared
        "Mogen ambtenaren, net als wethouders, een geschenk aannemen?",  # no role of the reader
        "May I accept a gift from a supplier?",  # no other people at all
    ],
)
def test_a_question_about_the_reader_or_civil_servants_is_not_about_other_people(
    tiny_index, question
):
    searcher = searcher_with(tiny_index, answer_min_similarity_other_people=2.0)
    assert searcher.search(question, k=3).answer is not None


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Mag een wethouder een kerstpakket aannemen?", True),
        # A klokkenluider or melder is who the pages are written for; the court is no person.
        ("Kan een klokkenluider naar de rechter stappen?", False),
        ("Can a whistleblower go to court or to the police?", False),
        ("Mag een melder zijn verhaal aan een Kamerlid vertellen?", False),
        # "judge" is a person as a noun, not as a verb
        ("Can a judge be a member of a political party?", True),
        ("What rules do judges follow on gifts?", True),
        ("How do colleagues judge a gift from a supplier?", False),
        # the role beside a job at the Rijk, in keywords: a civil servant's question
        ("gemeenteraadslid naast baan ministerie", False),
        ("wethouder worden en rijksbaan houden", False),
        ("gemeenteraadslid onkostenvergoeding", True),
        # ... keywords only: in a sentence, "worden" and "naast" are as often about the role
        ("Kan een wethouder rijk worden van nevenfuncties?", True),
        ("Mogen rechters naast hun werk lesgeven bij een ministerie?", True),
        # compared with civil servants, the others are still what is asked about
        ("Moeten rechters een andere eed afleggen dan rijksambtenaren?", True),
        ("Is de ambtseed van een rechter hetzelfde als die van een rijksambtenaar?", True),
        ("Is the oath of judges the same as that of civil servants?", True),
        # the oath of a minister or the King is theirs; not the oath taken before a minister
        ("Wat is het verschil tussen de ambtseed en de eed die een minister aflegt?", True),
        ("Is de eed van een staatssecretaris hetzelfde als de ambtseed?", True),
        ("Do ministers take the same oath as civil servants?", True),
        ("Neemt de minister mijn eed af of mijn leidinggevende?", False),
        ("Geldt de nieuwe eed die de minister in 2024 aankondigde ook voor mij?", False),
        ("Is de eed die de minister heeft vastgesteld dezelfde als de belofte?", False),
        ("Is de eed die de minister afneemt dezelfde als de belofte?", False),
        ("Kan de minister aangeven welke eed rijksambtenaren afleggen?", False),
        (
            "Welke gedragscode geldt voor kamerleden die door een ministerie worden uitgenodigd?",
            True,
        ),
    ],
)
def test_which_questions_are_about_other_people(question, about):
    assert about_other_people(question) is about


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Welke regels heeft Shell voor cadeaus?", ["Shell"]),
        ("Ik werk bij de Rabobank. Hoe werkt de regeling?", ["Rabobank"]),
        ("Wanneer leg ik de Ambtseed af?", []),  # a word of the pages, capitalised
        ("Mag ik dat? Ja", []),
        ("wat zegt Zeist: Geschenk", ["Zeist"]),
        # The Rijk's own organisations (rijk-names.txt) are no sign of someone else's rules.
        ("Ik werk bij Rijkswaterstaat en bij de IND", []),
        ("Ik werk bij het UWV", ["UWV"]),
        # ... nor is a compound of "Rijks" (a programme or service of the Rijk).
        ("Ik zit in het Rijkstraineeship en bij Shell", ["Shell"]),
        # In a comparison, a title of known words the pages never write: they know one side.
        (
            "Wat is het verschil tussen een Geschenk en een Uitnodiging voor een congres?",
            ["Uitnodiging voor een congres"],
        ),
        # ... not a title the pages do write, nor a name and the words of the sentence after it
        ("Verschilt een Uitnodiging voor een diner van de rest?", []),
        ("Is een Uitnodiging anders dan een kerstpakket?", []),
        ("Verschil tussen een Kerstpakket en een Geschenk bij een congres?", []),
        # ... and only in a comparison
        ("Mag ik een Uitnodiging voor een congres aannemen?", []),
    ],
)
def test_unknown_names_are_capitalised_words_the_pages_never_use(tiny_index, question, names):
    assert searcher_with(tiny_index).unknown_names(question) == names


DETAILS = dict(
    zip(
        (
            "date",
            "amount",
            "period",
            "person",
            "law",
            "email",
            "publication",
            "staatsblad",
            "staatscourant",
            "paper",
            "directive",
            "ruling",
            "version",
            "scale",
            "regulation",
        ),
        WANTED_DETAILS,
        strict=True,
    )
)


@pytest.mark.parametrize(
    ("kind", "text", "holds"),
    [
        ("date", "Sinds 1 januari 2025 geldt de nieuwe tekst.", True),
        ("date", "De tekst is nieuw.", False),
        ("date", "Het staat in de Ambtenarenwet 2017.", False),  # a law's name, no date
        ("amount", "Tot vijftig euro mag het.", True),
        ("amount", "Binnen 12 weken hoor je meer.", True),
        ("amount", "Een geschenk is nuttig.", False),  # "een" is the article, "nuttig" no number
        # A date says when, not how many.
        ("amount", "Het rapport over 2015 noemt privégebruik het vaakst.", False),
        ("amount", "Sinds 1 maart 2006 is de eed verplicht.", False),
        ("amount", "In 2016 waren er 542 meldingen.", True),
        # Neither do the numbers of a cited article or publication.
        ("amount", "Het staat in artikel 7, Stb. 2016, 542.", False),
        ("amount", "Het kost tweehonderd euro.", True),
        ("person", "Dat zei minister De Jonge.", True),
        ("person", "Het model is van Paul van Tongeren.", True),
        ("person", "Dat schreef de minister van Financiën.", False),
        ("person", "Volgens de Wet bescherming klokkenluiders mag het.", False),
        ("law", "Het staat in de Ambtenarenwet 2017.", True),
        ("law", "Zie artikel 7.", True),
        ("law", "Je besluit zelf.", False),
        ("email", "Mail naar dialoogenethiek@rijksoverheid.nl voor een gesprek.", True),
        ("email", "Vraag een gespreksleider aan via het programma.", False),
        ("regulation", "De Interne klokkenluidersregeling Rijk beschrijft het.", True),
        ("regulation", "Volgens de Wet bescherming klokkenluiders mag het.", False),
        ("publication", "De tekst staat in de Staatscourant (Stcrt. 2019, 71141).", True),
        ("publication", "De gedragscode geldt voor iedereen bij het Rijk.", False),
        ("paper", "De toelichting staat in Kamerstuk 29 436, nr. 3.", True),
        ("paper", "Het besluit staat in Staatsblad 2024, 421.", False),
        ("directive", "Het gaat om richtlijn (EU) 2019/1937.", True),
        ("directive", "De wet geldt sinds 18 februari 2023.", False),
        ("ruling", "Zie ECLI:NL:RVS:2019:899.", True),
        ("ruling", "De Raad van State deed in 2019 uitspraak.", False),
    ],
)
def test_what_counts_as_the_detail_a_question_asks_for(kind, text, holds):
    looks = DETAILS[kind][1]
    assert bool(looks.search(text)) is holds


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Sinds wanneer geldt de regel?", ["date"]),
        # A date or a period answers it: "binnen drie maanden".
        ("Wanneer leg ik de eed af?", ["date", "period"]),
        ("Binnen hoeveel weken hoor ik iets?", ["amount"]),
        ("Hoe lang duurt de afkoelperiode?", ["period"]),
        ("Binnen welke termijn hoor ik iets?", ["period"]),
        ("Hoe snel moet ik reageren?", ["period"]),
        ("Welke minister kondigde dat aan?", ["person"]),
        ("Van wie komt het ethisch vierkant eigenlijk?", ["person"]),
        ("Door wie is de gedragscode vastgesteld?", []),  # often an organisation, not a name
        ("Who created the ethical square?", ["person"]),
        ("Welke wet beschermt melders?", ["law"]),
        ("Welke interne klokkenluidersregeling geldt voor de politie?", ["regulation"]),
        ("hoe vraag ik een gespreksleider aan? wie moet ik mailen", ["email"]),
        ("Wat is het mailadres van Dialoog en Ethiek?", ["email"]),
        ("Wie mag mijn e-mails opvragen met een Woo-verzoek?", []),
        ("Kunt u aangeven wanneer de regel ingaat?", ["date", "period"]),
        ("When did the rule change?", ["date", "period"]),
        ("Wie beslist daarover?", []),  # "wie" asks for a person, with no pattern to hold
        ("Who decides on my side job?", []),
        ("Weet u wanneer de regel ingaat?", ["date", "period"]),
        ("In welke Staatscourant staat de gedragscode?", ["staatscourant"]),
        ("In welk besluit of welke Staatscourant staat de code?", ["publication"]),
        ("staatsbladnummer van het besluit", ["staatsblad"]),
        ("Wat is het Kamerstuknummer van de motie?", ["paper"]),
        ("What is the number of the EU directive?", ["directive"]),
        ("ECLI uitspraak chatberichten", ["ruling"]),
    ],
)
def test_which_questions_ask_for_a_detail(question, kinds):
    asking = [name for name, (asks, _) in DETAILS.items() if asks.search(question)]
    assert asking == kinds
    assert asks_for_detail(question)
    # A question that only describes a count asks for none.
    assert not any(
        asks.search("We tellen alleen hoeveel producten we maken.") for asks, _ in DETAILS.values()
    )
    assert not asks_for_detail("We tellen alleen hoeveel producten we maken.")


@pytest.mark.parametrize(
    "question",
    [
        # "wanneer" and "when" that join a condition, "who" after a noun: no detail asked.
        "Wat doe ik wanneer een leverancier een cadeau stuurt?",
        "What should I do when a supplier sends me a gift?",
        "May I give factual information to a member of parliament who calls me?",
        "Wanneer een leverancier een cadeau stuurt, wat moet ik doen?",
        "Mag ik, wanneer ik ziek ben, thuis werken?",
        "My manager, who is also a friend, offered me a gift. Can I keep it?",
    ],
)
def test_a_condition_or_a_description_asks_for_no_detail(question):
    assert not asks_for_detail(question)


@pytest.mark.parametrize(
    ("question", "detail"),
    [
        # where to go with something: the short answer's ways and conditions answer it
        ("Bij wie kan ik een vermoeden van fraude melden?", False),
        ("Naar wie stap ik als mijn leidinggevende zelf betrokken is?", False),
        ("Aan wie moet ik mijn nevenwerk doorgeven?", False),
        ("Met wie kan ik hierover praten?", False),
        ("Who do I report it to?", False),
        ("To whom do I report a suspected wrongdoing?", False),
        # who someone is, or who decides: a person or a role asked for
        ("Wie is de vertrouwenspersoon integriteit?", True),
        ("Wie beslist over mijn nevenwerk, en bij wie meld ik het?", True),
    ],
)
def test_where_to_go_is_no_person_asked_for(question, detail):
    assert asks_for_detail(question) is detail


@pytest.mark.parametrize(
    ("question", "openly"),
    [
        ("Sinds wanneer mag ik een misstand extern melden?", True),
        ("Ik werk bij BZK. Wie houdt de lijst van secties bij?", True),
        ("How long is the cooling-off period?", True),
        ("Mag ik een misstand direct extern melden?", False),
        ("Klopt het dat intern melden niet meer hoeft, en sinds wanneer?", False),
        ("misstand extern melden", False),
    ],
)
def test_which_questions_ask_for_more_than_yes_or_no(question, openly):
    assert asks_openly(question) is openly


def test_a_fact_of_a_section_without_a_short_answer_answers_alone(searcher):
    outcome = searcher.search("Telt een kerstpakket als geschenk?", k=3)
    assert outcome.answer.id == "kerstpakket"
    assert outcome.answer.kind == "fact"
    assert outcome.answer.text == "Een kerstpakket is een geschenk, net als elk ander cadeau."
    assert outcome.answer.items == ()


def test_a_fact_far_from_the_question_does_not_follow_the_short_answer(tiny_index):
    # Its questions are out of reach: the sentence with the date follows instead.
    searcher = searcher_with(
        tiny_index, answer_asked_fact_reach=-1.0, answer_asked_detail_reach=1.0
    )
    outcome = searcher.search("uitnodiging diner congres: sinds wanneer?", k=3)
    assert outcome.answer.kind == "detail"
    assert outcome.answer.items[1].startswith("Sinds 2024 meld je elke uitnodiging ook in het")


def test_question_after_a_period_no_fact_holds_gets_the_statement_after_the_short_answer(
    tiny_index,
):
    searcher = searcher_with(tiny_index, answer_asked_detail_reach=1.0)
    outcome = searcher.search("uitnodiging voor een congres: hoe lang?", k=3)
    assert outcome.answer.id == "uitnodigingen"
    assert outcome.answer.kind == "detail"
    short_answer, detail = outcome.answer.items
    assert short_answer == outcome.hits[0].section.short_answer
    assert detail == "Een congres duurt meestal twee dagen."


def test_question_after_a_date_gets_the_fact_with_the_date_after_the_short_answer(
    tiny_index,
):
    # The best statement (and the one after it) has no date, nor has the short answer; the
    # reach is wide because the fake embedder's scores are far apart.
    searcher = searcher_with(tiny_index, answer_asked_detail_reach=1.0)
    outcome = searcher.search("uitnodiging diner congres: sinds wanneer?", k=3)
    assert outcome.answer.id == "uitnodigingen"
    assert outcome.answer.kind == "fact"
    short_answer, fact = outcome.answer.items
    assert short_answer == outcome.hits[0].section.short_answer
    assert fact == "Elke uitnodiging meld je sinds 2024 ook in het register."
    # The link highlights the sentence of the text with the date.
    assert outcome.answer.url.endswith(
        ":~:text=Sinds%202024%20meld%20je,ook%20in%20het%20register."
    )


def test_question_without_a_date_keeps_the_short_answer_alone(searcher):
    outcome = searcher.search("Mag ik mee naar een etentje van een bedrijf?", k=3)
    assert outcome.answer.id == "uitnodigingen"
    assert outcome.answer.kind == "short_answer"
    assert "2024" not in outcome.answer.text


def test_a_long_question_is_judged_by_the_sentence_that_asks_too(tiny_index):
    # The story around the question draws it away from every short written question; the
    # sentence that asks is the written question itself.
    searcher = searcher_with(tiny_index, answer_min_question_similarity=0.9)
    story = "Volgende week begin ik bij een ministerie, mijn eerste baan na de opleiding."
    outcome = searcher.search(f"{story} Wanneer leg ik de ambtseed af?", k=3)
    assert outcome.answer is not None
    assert outcome.answer.id == "eed"
    # The story alone asks nothing the section's questions ask, nor does it with a question
    # the corpus does not answer after it.
    assert searcher.search(story, k=3).answer is None
    assert searcher.search(f"{story} Hoe laat gaat de kantine open?", k=3).answer is None


def test_an_earlier_question_of_several_is_judged_on_its_own_too(tiny_index):
    # A parliamentary question asks several things; the last one often only refers back.
    searcher = searcher_with(tiny_index, answer_min_question_similarity=0.9)
    lead_in = "Bent u bekend met het bericht over nieuwe ambtenaren in de krant?"
    question = f"{lead_in} Wanneer leg ik de ambtseed af? Kunt u dat toelichten?"
    outcome = searcher.search(question, k=3)
    assert outcome.answer is not None
    assert outcome.answer.id == "eed"
    assert searcher.search(f"{lead_in} Kunt u dat toelichten?", k=3).answer is None


def test_a_story_about_what_lies_outside_is_not_rescued_by_its_question(tiny_index):
    # The story as a whole is about what an outside question asks (a trainee's hours); a
    # sentence that asks may then not bring the card back on its own.
    question = (
        "Stagiair hier, vraag over verlofuren en weekrooster voor stagiairs. "
        "Wanneer leg ik de ambtseed af?"
    )
    searcher = searcher_with(tiny_index, answer_min_question_similarity=0.9)
    assert searcher.search(question, k=3).answer is None
    lenient = searcher_with(
        tiny_index, answer_min_question_similarity=0.9, answer_max_story_outside_lead=1.0
    )
    assert lenient.search(question, k=3).answer.id == "eed"


def test_the_sentence_that_asks_is_judged_whole_outside_questions_included(tiny_index):
    searcher = searcher_with(tiny_index)
    story = "Volgende week begin ik bij een ministerie, mijn eerste baan na de opleiding."
    outcome = searcher.search(f"{story} Rechters benoeming eedaflegging ceremonie?", k=3)
    assert outcome.answer is None
    assert outcome.withheld == "dichter bij een vraag die de kennisbank niet beantwoordt"


@pytest.mark.parametrize(
    ("question", "asking"),
    [
        ("Wanneer leg ik de eed af?", []),
        ("Ik begin morgen. Wanneer leg ik de eed af? Dank je.", ["Wanneer leg ik de eed af?"]),
        ("Ik begin morgen. Mijn baas weet het niet.", ["Mijn baas weet het niet."]),
        ("Eerst dit? Dan dat? Tot slot.", ["Dan dat?", "Eerst dit?"]),
        ("Mag ik een kerstpakket aannemen? (2)", []),
        ("ik begin morgen. wanneer leg ik de eed af?", ["wanneer leg ik de eed af?"]),
        ("a) mag ik dit houden b) moet ik het melden", ["b) moet ik het melden"]),
        ("Ik begin morgen\nWanneer leg ik de eed af", ["Wanneer leg ik de eed af"]),
    ],
)
def test_the_sentences_that_ask_end_with_a_question_mark_last_first(question, asking):
    assert asking_sentences(question) == asking


def test_a_question_taken_for_one_sentence_without_pysbd_is_one_sentence_to_pysbd():
    questions = [q.q for path in QUESTION_SETS for q in load_questions(path)]
    plain = [q for q in questions if ONE_PLAIN_SENTENCE.fullmatch(q)]
    assert len(plain) > 100
    for question in plain:
        assert len([s for s in segments(question) if HAS_LETTER.search(s)]) == 1, question


def test_questions_are_split_alike_on_several_threads():
    # The search threads split questions at the same time; a shared pysbd Segmenter mixed up
    # their texts.
    questions = [
        f"Ik begin op dag {n} bij een ministerie, afdeling {n * 7}. Wanneer leg ik de eed af?"
        if n % 2
        else f"Vraag {n}: mag ik een cadeau houden? Het kostte {n} euro. Moet ik het melden?"
        for n in range(40)
    ]
    expected = [asking_sentences(q) for q in questions]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(4) as pool:
            for _ in range(10):
                assert list(pool.map(asking_sentences, questions)) == expected
    finally:
        sys.setswitchinterval(interval)


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("En je belooft dat je de Koning en de Grondwet trouw bent.", True),
        ("Maar dat geldt niet voor een etentje.", True),
        ("Dat geldt ook voor een kerstpakket.", True),
        ("Eerlijkheid staat voorop.", False),
        ("Enkele collega's twijfelen daaraan.", False),
        ("Je werkgever mag nevenwerk verbieden.", False),
    ],
)
def test_which_sentences_lean_on_the_one_before(sentence, leans):
    assert bool(POINTS_BACK.match(sentence)) is leans


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("What is the purpose of the oath for Dutch civil servants?", "doel"),
        ("Binnen welke termijn leg ik de eed af?", "doel"),
        # about the wording: the section that quotes the oath stays first
        ("Wat is de tekst van de eed?", "tekst"),
        ("Hoe luidde de oude eed?", "tekst"),
        ("What do new civil servants promise?", "tekst"),
        ("Wat zeg je in de eed over geheimhouding?", "tekst"),
        ("Noemt de nieuwe eed de Koning nog?", "tekst"),
        ("Komt God nog voor in de nieuwe eed?", "tekst"),
        ("Does the new oath mention open government?", "tekst"),
        ("Hoe begint de ambtseed?", "tekst"),
        # "zin" as sense, "zeggen" of the rules: not the wording
        ("Heeft het nog zin om de eed af te leggen?", "doel"),
        ("Wat zeggen de regels over de eed bij een tijdelijk contract?", "doel"),
    ],
)
def test_a_section_that_quotes_the_oath_wins_only_questions_about_its_wording(
    searcher, question, first
):
    oath = "Ik zweer dat ik trouw zal zijn."
    hits = [
        Hit(0, a_section("tekst", oath, quote_paragraphs=(0,)), 0.9, 0.9),
        Hit(1, a_section("doel", oath), 0.8, 0.8),
    ]
    assert searcher._hits_for(question, hits)[0].section.id == first
