"""Ranking: which sections answer a question, from dense, question-to-question and BM25 scores.

This module only ranks; which text answers, and whether to answer at all, is answers.py's.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .embedding import Embedder
from .index import LoadedIndex
from .lexical import LexicalIndex, LexicalMatch
from .sections import Section, looks_english
from .spelling import SpellingCorrector


@dataclass(frozen=True)
class RankingWeights:
    """How the signals are mixed; plain numbers, unpacked from the settings by the caller."""

    lexical: float  # weight of BM25 (scaled to 0..1), times the query's coverage squared
    questions: float  # share of the question-to-question similarity in the dense score
    site_penalty: float  # subtracted from sections about the site for questions not about it
    # subtracted from the similarity of a question written for one fact: such a question is
    # narrow, and matching one says less about the section as a whole
    fact_discount: float


@dataclass(frozen=True)
class Hit:
    section_number: int  # position in LoadedIndex.sections
    section: Section
    score: float  # fused score: higher is better, comparable only within one query
    similarity: float  # cosine similarity of the best-matching piece of the section
    # of the closest question written for the section as a whole (0: none)
    own_question_similarity: float = 0.0
    fact: int = -1  # the fact whose written question is the closest of its facts' (-1: none)
    fact_similarity: float = 0.0  # of that question (0: none)

    @property
    def question_similarity(self) -> float:
        """Of the closest question written for the section or one of its facts (0: none)."""
        return max(self.own_question_similarity, self.fact_similarity)


@dataclass(frozen=True)
class QuestionMatch:
    """Per section, the similarity of the closest question written for the section as a
    whole and of the closest written for one of its facts (-1: none), and that fact (-1)."""

    own: np.ndarray
    fact: np.ndarray
    fact_similarity: np.ndarray

    def closest(self, section: int) -> float:
        """The similarity of the section's closest written question, its facts' included."""
        return float(max(self.own[section], self.fact_similarity[section]))

    def ranked(self, fact_discount: float) -> np.ndarray:
        """For ranking: a question written for one fact is narrow, and matching it says less
        about the section as a whole, so it counts fact_discount less."""
        return np.maximum(
            self.own,
            np.where(self.fact_similarity > -1.0, self.fact_similarity - fact_discount, -1.0),
        )


@dataclass(frozen=True)
class Ranking:
    query_vector: np.ndarray  # of the question after spelling correction
    hits: list[Hit]  # best first
    word_coverage: float  # share of the question's content words that the corpus knows


def fuse(dense: np.ndarray, lexical: LexicalMatch, weight: float) -> np.ndarray:
    """Dense similarity plus the BM25 score scaled to 0..1, weighted by the query's coverage.

    Why weighted by coverage: BM25 is sharp on Dutch keyword questions but only adds noise when
    most query words are unknown to the corpus (English, or paraphrases), where dense alone is
    better. Squared, so a partly known query gets little lexical weight. Measured on the question
    sets, this beat weighted reciprocal rank fusion, which let BM25 noise outvote the dense
    ranking on English questions (README, "Search quality").
    """
    top = float(lexical.scores.max()) if lexical.scores.size else 0.0
    if top <= 0:
        return dense
    return dense + weight * lexical.coverage**2 * lexical.scores / top


def lexical_document(section: Section) -> str:
    """What BM25 and the spelling corrector read: the section with its short answer and the
    Dutch questions readers ask, so that their words (bijbaan, kerstpakket) match too.

    English questions are left out: their words would make English queries look known to the
    corpus and let BM25 noise in (measured: English MRR 0.84 with them, 0.885 without).
    """
    dutch = [q for q in section.written_questions if not looks_english(q)]
    return "\n".join((section.breadcrumb, section.text, section.short_answer, *dutch))


def keyword_matching(
    sections: Sequence[Section], everyday_names: Sequence[str]
) -> tuple[LexicalIndex, SpellingCorrector]:
    """BM25 over the sections and the spelling correction over their words, both knowing the
    everyday names; for the semantic search and the keyword search alike."""
    documents = [lexical_document(s) for s in sections]
    return (
        LexicalIndex(documents, also_known=everyday_names),
        SpellingCorrector([*documents, *everyday_names]),
    )


class Retriever:
    """Ranks the sections of one loaded index; safe to call from several threads."""

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        weights: RankingWeights,
        everyday_names: Sequence[str] = (),
    ) -> None:
        """``everyday_names``: names a question may use that the pages need not know
        (everyday-names.txt: Facebook, Teams, MT)."""
        # The matrices here are tiny; BLAS worker threads that spin after each product only
        # steal the cores the embedder needs next (measured: search p50 32 ms → 18 ms).
        threadpool_limits(1, user_api="blas")
        self.index = index
        self.embedder = embedder
        self.weights = weights
        self.lexical, self.speller = keyword_matching(index.sections, everyday_names)
        self.piece_sections = np.array([p.section for p in index.pieces], dtype=np.int64)
        self.whole_pieces = np.array([p.whole for p in index.pieces], dtype=bool)
        self.question_sections = np.array([q.section for q in index.questions], dtype=np.int64)
        self.question_facts = np.array([q.fact for q in index.questions], dtype=np.int64)
        self.about_site = np.array([s.about_site for s in index.sections], dtype=bool)

    def dense_scores(self, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per section: the passage score and the similarity of its best piece.

        The passage score is the mean of the whole section's similarity and its best
        paragraph's (or short answer's): a section should match as a whole and have one part
        that answers.
        """
        total = self.index.piece_vectors.ntotal
        found, ids = self.index.piece_vectors.search(query_vector.reshape(1, -1), total)
        similarities = np.empty(total, dtype=np.float32)
        similarities[ids[0]] = found[0]
        whole = self._best_per_section(similarities, self.piece_sections, self.whole_pieces)
        part = self._best_per_section(similarities, self.piece_sections, ~self.whole_pieces)
        part = np.where(part > -1.0, part, whole)  # one-paragraph sections
        return (whole + part) / 2, np.maximum(whole, part)

    def question_scores(self, query_vector: np.ndarray) -> QuestionMatch:
        """Per section: how close the questions written for it come to the query."""
        similarities = self.index.question_vectors @ query_vector
        for_section = self.question_facts < 0
        own = self._best_per_section(similarities, self.question_sections, for_section)
        fact_best = self._best_per_section(similarities, self.question_sections, ~for_section)
        # Which fact each section's closest fact question was written for.
        is_closest = ~for_section & (similarities >= fact_best[self.question_sections])
        facts = np.full(len(own), -1, dtype=np.int64)
        facts[self.question_sections[is_closest]] = self.question_facts[is_closest]
        return QuestionMatch(own, facts, fact_best)

    def _best_per_section(
        self, similarities: np.ndarray, sections: np.ndarray, mask: np.ndarray
    ) -> np.ndarray:
        best = np.full(len(self.index.sections), -1.0, dtype=np.float32)
        np.maximum.at(best, sections[mask], similarities[mask])
        return best

    def combined(self, passage: np.ndarray, questions: np.ndarray) -> np.ndarray:
        """Passage and question-to-question similarity mixed; sections without questions
        keep their passage score."""
        share = self.weights.questions
        mixed = (1 - share) * passage + share * questions
        return np.where(questions > -1.0, mixed, passage)

    def site_penalty(self, questions: np.ndarray) -> np.ndarray:
        """Sections about the site itself (search help, trainers' page) are full of example
        questions and would win content questions; they compete only when the closest written
        question is one of theirs."""
        if not self.about_site.any() or self.about_site[int(np.argmax(questions))]:
            return np.zeros(len(questions), dtype=np.float32)
        return np.where(self.about_site, self.weights.site_penalty, 0.0).astype(np.float32)

    def vector_and_coverage(self, query: str) -> tuple[np.ndarray, float]:
        """The question's vector and the share of its content words the corpus knows, both
        after one spelling correction: for judging one sentence of a question on its own."""
        query = self.speller.correct(query)
        return self.embedder.embed_queries([query])[0], self.lexical.coverage(query)

    def rank(self, query: str, k: int, mode: str = "hybrid") -> Ranking:
        """The k best sections; mode 'dense' or 'lexical' ranks by one side only (for eval)."""
        query = self.speller.correct(query)
        query_vector = self.embedder.embed_queries([query])[0]
        passage, best_piece = self.dense_scores(query_vector)
        match = self.question_scores(query_vector)
        questions = match.ranked(self.weights.fact_discount)
        dense = self.combined(passage, questions) - self.site_penalty(questions)
        lexical = self.lexical.match(query)
        if mode == "dense":
            scores = dense
        elif mode == "lexical":
            scores = lexical.scores + 1e-6 * dense  # dense only breaks ties among non-matches
        else:
            scores = fuse(dense, lexical, self.weights.lexical)
        top = np.argsort(-scores, kind="stable")[:k]
        hits = [
            Hit(
                section_number=int(i),
                section=self.index.sections[i],
                score=float(scores[i]),
                similarity=float(best_piece[i]),
                own_question_similarity=float(max(match.own[i], 0.0)),
                fact=int(match.fact[i]),
                fact_similarity=float(max(match.fact_similarity[i], 0.0)),
            )
            for i in top
        ]
        return Ranking(query_vector, hits, lexical.coverage)
