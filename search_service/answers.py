"""Extractive answers: the sentence of a section that best matches the question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

import numpy as np

from .settings import Settings

if TYPE_CHECKING:
    from .index import LoadedIndex
    from .retrieval import Hit

SNIPPET_CHARS = 240
# A best sentence shorter than this gets the next sentence too, so the answer reads on its own.
SHORT_SENTENCE_CHARS = 90
FRAGMENT_WORDS = 4
LEAD_SENTENCES = 2
LEAD_BONUS = 0.01


@dataclass(frozen=True)
class Answer:
    id: str
    url: str  # section URL with a text fragment that highlights the answer
    text: str
    score: float


def _answer_sentences(
    index: LoadedIndex,
    sentence_scores: np.ndarray,
    sentence_sections: np.ndarray,
    section: int,
    answers_only: bool = False,
) -> list[str]:
    """The best sentence of a section, followed by the next one when it is short.

    For an answer, only statements outside examples count, and the opening sentences get a
    small lead: the content guide asks writers to answer the section's question first.
    """
    candidates = np.flatnonzero(sentence_sections == section)
    scores = sentence_scores[candidates].copy()
    if answers_only:
        sentences = [index.sentences[i] for i in candidates]
        scores += np.array([LEAD_BONUS if s.position < LEAD_SENTENCES else 0.0 for s in sentences])
        scores[[not s.answerable for s in sentences]] = -np.inf
    if len(candidates) == 0 or not np.isfinite(scores.max()):
        return []
    best = int(candidates[np.argmax(scores)])
    chosen = [index.sentences[best].text]
    following = best + 1
    if (
        len(chosen[0]) < SHORT_SENTENCE_CHARS
        and following in set(candidates.tolist())
        and (index.sentences[following].answerable or not answers_only)
    ):
        chosen.append(index.sentences[following].text)
    return chosen


def best_sentences(
    index: LoadedIndex, sentence_scores: np.ndarray, sentence_sections: np.ndarray, section: int
) -> str:
    """A snippet for a result: its best-matching sentences, cut at a word near SNIPPET_CHARS."""
    text = " ".join(_answer_sentences(index, sentence_scores, sentence_sections, section))
    if not text:
        text = index.sections[section].text
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def text_fragment(sentence: str) -> str:
    """A URL text fragment (``:~:text=start,end``) that selects the sentence in the browser."""
    words = sentence.split()

    def encode(part: list[str]) -> str:
        return quote(" ".join(part), safe="")

    if len(words) <= 2 * FRAGMENT_WORDS:
        return ":~:text=" + encode(words)
    return f":~:text={encode(words[:FRAGMENT_WORDS])},{encode(words[-FRAGMENT_WORDS:])}"


def extract_answer(
    index: LoadedIndex,
    hits: list[Hit],
    sentence_scores: np.ndarray,
    sentence_sections: np.ndarray,
    closest_outside: float,
    settings: Settings,
) -> Answer | None:
    """The answer from the top section, or None when the question seems out of scope.

    Out of scope means: the question is at least as close to a topic in outside-topics.txt
    as to the best section. Why not a fixed similarity threshold: e5 similarities of related
    and unrelated Dutch texts overlap too much (both around 0.80-0.86) to separate them.
    """
    if not hits or hits[0].similarity - closest_outside < settings.answer_min_margin:
        return None
    top = hits[0].section
    sentences = _answer_sentences(
        index, sentence_scores, sentence_sections, hits[0].section_number, answers_only=True
    )
    if not sentences:
        return None
    return Answer(
        id=top.id,
        url=f"{top.url}{text_fragment(sentences[0])}",
        text=" ".join(sentences),
        score=round(hits[0].similarity, 4),
    )
