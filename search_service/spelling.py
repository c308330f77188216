"""Typo tolerance: replace query words the corpus does not know by a close corpus word."""

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

WORD = re.compile(r"\w+", re.UNICODE)
# Short words are too ambiguous to correct; the cut-off keeps "ambseed" → "ambtseed" but
# leaves unrelated words (and most English) alone.
MIN_LENGTH = 5
SIMILARITY_CUTOFF = 0.85
LENGTH_SLACK = 2


class SpellingCorrector:
    def __init__(self, texts: Iterable[str]) -> None:
        self.vocabulary = {w for text in texts for w in WORD.findall(text.lower())}
        # Candidates by first letter and length: a typo rarely hits the first letter.
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in self.vocabulary:
            self._buckets[(word[0], len(word))].append(word)

    def _closest(self, word: str) -> str | None:
        candidates = [
            candidate
            for length in range(len(word) - LENGTH_SLACK, len(word) + LENGTH_SLACK + 1)
            for candidate in self._buckets.get((word[0], length), [])
        ]
        matches = difflib.get_close_matches(word, candidates, n=1, cutoff=SIMILARITY_CUTOFF)
        return matches[0] if matches else None

    def correct(self, query: str) -> str:
        """The query with each unknown word of MIN_LENGTH or more replaced by its closest match."""

        def replace(match: re.Match) -> str:
            word = match.group(0)
            lower = word.lower()
            if len(lower) < MIN_LENGTH or lower in self.vocabulary or lower.isdigit():
                return word
            return self._closest(lower) or word

        return WORD.sub(replace, query)
