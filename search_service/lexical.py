"""Dutch BM25 over section texts: bm25s with the Snowball Dutch stemmer and Dutch stop words."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

STOPWORDS = "nl"
# The word after "hoe" asks how much ("hoe hoog", "hoe lang", "hoe duur"): it frames the
# question rather than naming its topic, so the corpus need not know it.
QUESTION_FRAME = re.compile(
    r"\bhoe\s+(hoog|laag|lang|kort|vaak|snel|duur|groot|klein|oud|ver|zwaar|veel|weinig)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LexicalMatch:
    scores: np.ndarray  # BM25 score of every document
    coverage: float  # share of the query's content words that occur in the corpus at all


class LexicalIndex:
    def __init__(self, documents: Sequence[str], also_known: Sequence[str] = ()) -> None:
        """BM25 over ``documents``; ``also_known`` holds texts whose words count as known to the
        corpus (everyday names: Facebook, Teams) in ``coverage``, though BM25 scores none."""
        self._stemmer = Stemmer.Stemmer("dutch")
        self._bm25 = bm25s.BM25()
        tokenized = bm25s.tokenize(
            list(documents), stopwords=STOPWORDS, stemmer=self._stemmer, show_progress=False
        )
        self._bm25.index(tokenized, show_progress=False)
        self._vocabulary = set(tokenized.vocab)
        self._known = self._vocabulary | {t for text in also_known for t in self.tokens(text)}
        self.size = len(documents)

    def match(self, query: str) -> LexicalMatch:
        words = self.tokens(query)
        known = [token for token in words if token in self._vocabulary]
        coverage = self.coverage(query)
        if not known:
            return LexicalMatch(np.zeros(self.size, dtype=np.float32), coverage)
        return LexicalMatch(np.asarray(self._bm25.get_scores(known), dtype=np.float32), coverage)

    def coverage(self, query: str) -> float:
        """The share of the query's content words that occur in the corpus at all or are known
        otherwise (``also_known``); the how-much word after "hoe" does not count
        (QUESTION_FRAME), nor a number: an amount or year is a value the question gives ("een
        kerstpakket van 75 euro"), not a word the corpus lacks."""
        topic = [t for t in self.tokens(QUESTION_FRAME.sub(" ", query)) if not t.isdigit()]
        return sum(token in self._known for token in topic) / len(topic) if topic else 0.0

    def tokens(self, text: str) -> list[str]:
        """The text's stemmed content words, as BM25 sees them."""
        return bm25s.tokenize(
            [text],
            stopwords=STOPWORDS,
            stemmer=self._stemmer,
            return_ids=False,
            show_progress=False,
        )[0]
