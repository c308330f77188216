"""Query words the corpus does not know: typos replaced by a close corpus word, abbreviations by
the names they stand for."""

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

WORD = re.compile(r"\w+", re.UNICODE)
# Short words are too ambiguous to correct; the cut-off keeps "ambseed" → "ambtseed" but
# leaves unrelated words (and most English) alone.
MIN_LENGTH = 5
SIMILARITY_CUTOFF = 0.85
LENGTH_SLACK = 2
# Letters that sound alike in Dutch, each way: a word spelled by ear ("verpligt", "etiek")
# differs from the corpus word by more than the cut-off allows, yet by one swap of these. Not
# c/k, s/z or f/v: they turn English words into Dutch ones ("cabinet" into "kabinet").
SOUND_ALIKE = (
    ("g", "ch"), ("ei", "ij"), ("au", "ou"), ("t", "th"), ("t", "d"), ("t", "dt"), ("d", "dt"),
)  # fmt: skip


@dataclass(frozen=True)
class _Candidates:
    """The corpus words that start with one letter, with their lengths and letter counts."""

    words: list[str]
    lengths: np.ndarray
    letter_counts: np.ndarray  # one row per word, one column per letter of the corpus


class SpellingCorrector:
    def __init__(self, texts: Iterable[str]) -> None:
        self.vocabulary = {w for text in texts for w in WORD.findall(text.lower())}
        letters = sorted({letter for word in self.vocabulary for letter in word})
        self._letters = {letter: column for column, letter in enumerate(letters)}
        # Candidates by first letter: a typo rarely hits the first letter.
        by_first_letter: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):
            by_first_letter[word[0]].append(word)
        self._candidates = {
            letter: _Candidates(
                words,
                np.array([len(w) for w in words]),
                np.stack([self._letter_counts(w) for w in words]),
            )
            for letter, words in by_first_letter.items()
        }

    def _letter_counts(self, word: str) -> np.ndarray:
        counts = np.zeros(len(self._letters), dtype=np.int16)
        for letter in word:
            if letter in self._letters:  # a letter the corpus never uses matches nothing
                counts[self._letters[letter]] += 1
        return counts

    def _closest(self, word: str) -> str | None:
        """The corpus word of about the same length (±LENGTH_SLACK) and the same first letter
        most like ``word`` by difflib's ratio, if at least SIMILARITY_CUTOFF; on a tie the word
        that sorts last, as difflib.get_close_matches picks. The letters the two share, counted
        for all candidates at once, bound that ratio from above (difflib's quick_ratio), so
        that only the few that can pass are compared letter by letter."""
        group = self._candidates.get(word[0])
        if group is None:
            return None
        shared = np.minimum(group.letter_counts, self._letter_counts(word)).sum(axis=1)
        bound = 2.0 * shared / (group.lengths + len(word))
        near = (np.abs(group.lengths - len(word)) <= LENGTH_SLACK) & (bound >= SIMILARITY_CUTOFF)
        scored = []
        for index in np.flatnonzero(near):
            candidate = group.words[index]
            ratio = difflib.SequenceMatcher(None, candidate, word).ratio()
            if ratio >= SIMILARITY_CUTOFF:
                scored.append((ratio, candidate))
        return max(scored)[1] if scored else None

    def _sounding_alike(self, word: str) -> str | None:
        """The first corpus word that one swap of SOUND_ALIKE letters makes of ``word``, for a
        word spelled by ear that no corpus word comes close enough to by letters."""
        for one, other in SOUND_ALIKE:
            for written, heard in ((one, other), (other, one)):
                for found in re.finditer(re.escape(written), word):
                    candidate = word[: found.start()] + heard + word[found.end() :]
                    if candidate in self.vocabulary:
                        return candidate
        return None

    def correct(self, query: str) -> str:
        """The query with each unknown word of MIN_LENGTH or more replaced by its closest match,
        or else by a word that sounds alike."""

        def replace(match: re.Match) -> str:
            word = match.group(0)
            lower = word.lower()
            if len(lower) < MIN_LENGTH or lower in self.vocabulary or lower.isdigit():
                return word
            return self._closest(lower) or self._sounding_alike(lower) or word

        return WORD.sub(replace, query)


class Abbreviations:
    """Abbreviations readers type for names the pages write out ("GIR", "vpi"), from lines
    "GIR, gir = Gedragscode Integriteit Rijk" (abbreviations.txt): each form matches as a whole
    word, exactly as written, and a form in lower case also with a capital ("Vpi": a phone
    capitalises the first word). Not inside an address, a link or a case number
    ("vpi@minbzk.nl", "ECLI:NL:RVS:2019:899")."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._names: dict[str, str] = {}
        for line in lines:
            forms, equals, name = line.partition("=")
            listed = [form.strip() for form in forms.split(",") if form.strip()]
            if not (equals and listed and name.strip()):
                raise ValueError(f"abbreviations: expected 'AFK, afk = naam', got {line!r}")
            capitalised = [form.capitalize() for form in listed if form.islower()]
            self._names.update(dict.fromkeys([*listed, *capitalised], name.strip()))
        # Longest first, so that "VP-I" is replaced whole rather than as "VP" and "I".
        forms = "|".join(map(re.escape, sorted(self._names, key=len, reverse=True)))
        self._pattern = re.compile(rf"(?<![\w/@:.-])({forms})(?![\w/@-])(?!:\S)") if forms else None

    def expand(self, query: str) -> str:
        """The query with each listed abbreviation replaced by its name."""
        if self._pattern is None:
            return query
        return self._pattern.sub(lambda match: self._names[match.group(1)], query)
