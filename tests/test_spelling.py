"""Typo tolerance: the corrector picks what difflib would, only faster. Abbreviations: written
out as listed."""

import difflib
import random

import pytest

from search_service.index import read_listed_lines
from search_service.settings import PROJECT_ROOT, Settings
from search_service.spelling import (
    LENGTH_SLACK,
    SIMILARITY_CUTOFF,
    SOUND_ALIKE,
    Abbreviations,
    SpellingCorrector,
)


def difflib_choice(word: str, vocabulary: set[str]) -> str:
    candidates = [
        w for w in vocabulary if w[0] == word[0] and abs(len(w) - len(word)) <= LENGTH_SLACK
    ]
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=SIMILARITY_CUTOFF)
    return found[0] if found else word


def test_a_typo_is_corrected_to_difflib_s_closest_word_of_the_corpus():
    # The words of the pages as they are written (parsing them would take most of a second).
    pages = (PROJECT_ROOT / "docs").rglob("*.md")
    corrector = SpellingCorrector(page.read_text(encoding="utf-8") for page in pages)
    assert corrector.correct("ambseed") == "ambtseed"
    words = sorted(w for w in corrector.vocabulary if len(w) >= 6 and w.isalpha())
    chance = random.Random(7)
    letters = "abcdeéfghijklmnoprstuvz"
    typos = []
    for word in chance.sample(words, 100):
        at = chance.randrange(1, len(word) - 1)
        typos += [
            word[:at] + chance.choice(letters) + word[at + 1 :],  # one letter replaced
            word[:at] + chance.choice(letters) + word[at:],  # one added: a longer word
            word[:at] + word[at + 1 :],  # one dropped: a shorter word
            word[:at] + word[at + 1] + word[at] + word[at + 2 :],  # two swapped
        ]
    for typo in typos:
        known = typo in corrector.vocabulary
        expected = typo if known else difflib_choice(typo, corrector.vocabulary)
        corrected = corrector.correct(typo)
        if expected == typo and not known and corrected != typo:
            # difflib finds none: only a corpus word one sound-alike swap away may replace it
            assert corrected in corrector.vocabulary and one_swap_apart(typo, corrected), typo
        else:
            assert corrected == expected, typo


def one_swap_apart(typo: str, word: str) -> bool:
    """Whether replacing one occurrence of a SOUND_ALIKE spelling in typo gives word."""
    return any(
        typo[:at] + heard + typo[at + len(written) :] == word
        for one, other in SOUND_ALIKE
        for written, heard in ((one, other), (other, one))
        for at in range(len(typo))
        if typo.startswith(written, at)
    )


def test_a_word_spelled_by_ear_becomes_the_corpus_word_it_sounds_like():
    corrector = SpellingCorrector(["verplicht ethiek integriteit wijziging"])
    assert corrector.correct("is de eed verpligt") == "is de eed verplicht"
    assert corrector.correct("dialoog en etiek") == "dialoog en ethiek"
    assert corrector.correct("integritijd") == "integritijd"  # two swaps: too far
    # ... only when letters alone find none: "wijzigng" is close enough by letters
    assert corrector.correct("wijzigng") == "wijziging"
    assert corrector.correct("vergunning") == "vergunning"  # no swap makes a corpus word
    # English words stay English: no swap of c and k, s and z, or f and v
    assert SpellingCorrector(["kabinet"]).correct("cabinet members") == "cabinet members"


def test_short_words_numbers_and_known_words_stay():
    corrector = SpellingCorrector(["ambtseed geschenken 2025"])
    # "gescenk" is three letters shorter than "geschenken": too far to be its typo.
    assert corrector.correct("Mag ik de ambtseed 2026 zien, gescenk?") == (
        "Mag ik de ambtseed 2026 zien, gescenk?"
    )
    assert corrector.correct("geschenkn") == "geschenken"
    assert corrector.correct("xylofoon") == "xylofoon"  # no word of the corpus starts with x


def test_abbreviations_are_written_out_as_whole_words_in_the_forms_listed():
    abbreviations = Abbreviations(["GIR, gir = Gedragscode Integriteit Rijk", "VPI, VP-I = X Y"])
    assert abbreviations.expand("gir externen") == "Gedragscode Integriteit Rijk externen"
    assert abbreviations.expand("Bel de VP-I, of de VPI.") == "Bel de X Y, of de X Y."
    # Only whole words, in the forms listed, a lower-case one also with a capital.
    assert abbreviations.expand("Gir girafje vpi") == "Gedragscode Integriteit Rijk girafje vpi"
    # Not inside an address, a link or a case number.
    for kept in ("mail gir@minbzk.nl", "https://x.nl/gir/code", "ECLI:NL:GIR:2019:899"):
        assert abbreviations.expand(kept) == kept


def test_an_abbreviation_that_is_a_dutch_word_in_lower_case_is_listed_in_capitals_only():
    abbreviations = Abbreviations(read_listed_lines(Settings().abbreviations))
    assert abbreviations.expand("Ik gav hem een boek") == "Ik gav hem een boek"
    assert (
        abbreviations.expand("Wie schreef de GAV?") == "Wie schreef de Gids Ambtelijk Vakmanschap?"
    )


@pytest.mark.parametrize("line", ["GIR Gedragscode", "= Gedragscode", "GIR ="])
def test_a_line_that_is_no_abbreviation_fails_loudly(line):
    with pytest.raises(ValueError, match="abbreviations"):
        Abbreviations([line])
