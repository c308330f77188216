"""Hybrid retrieval: dense (FAISS) and Dutch BM25 rankings fused by weighted reciprocal rank."""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from threadpoolctl import threadpool_limits

from .answers import Answer, best_sentences, extract_answer
from .embedding import Embedder
from .index import LoadedIndex
from .lexical import LexicalIndex, LexicalMatch
from .sections import Section
from .settings import Settings
from .spelling import SpellingCorrector


@dataclass(frozen=True)
class Hit:
    section_number: int  # position in LoadedIndex.sections
    section: Section
    score: float  # fused score: higher is better, comparable only within one query
    similarity: float  # cosine similarity of the best-matching piece of the section
    snippet: str


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[Hit]
    answer: Answer | None


def fuse(dense: np.ndarray, lexical: LexicalMatch, settings: Settings) -> np.ndarray:
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
    weight = settings.lexical_weight * lexical.coverage**2
    return dense + weight * lexical.scores / top


class Searcher:
    """Answers queries over one loaded index; safe to call from several threads."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: Settings) -> None:
        # The matrices here are tiny; BLAS worker threads that spin after each product only
        # steal the cores the embedder needs next (measured: search p50 32 ms → 18 ms).
        threadpool_limits(1, user_api="blas")
        self.index = index
        self.embedder = embedder
        self.settings = settings
        documents = [f"{s.breadcrumb}\n{s.text}" for s in index.sections]
        self.lexical = LexicalIndex(documents)
        self.speller = SpellingCorrector(documents)
        self.piece_sections = np.array([p.section for p in index.pieces], dtype=np.int64)
        self.whole_pieces = np.array([p.whole for p in index.pieces], dtype=bool)
        self.sentence_sections = np.array([s.section for s in index.sentences], dtype=np.int64)
        # Identical questions (a popular one, or a user retyping) skip the embedding entirely.
        self._cached_search = lru_cache(maxsize=settings.result_cache_size)(self._search)

    def search(self, query: str, k: int, mode: str = "hybrid") -> SearchOutcome:
        """The k best sections; mode 'dense' or 'lexical' ranks by one side only (for eval)."""
        return self._cached_search(" ".join(query.split()), k, mode)

    def dense_scores(self, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per section: the ranking score and the similarity of its best piece.

        The ranking score is the mean of the whole section's similarity and its best
        paragraph's: a section should match as a whole and have one paragraph that answers.
        """
        total = self.index.piece_vectors.ntotal
        found, ids = self.index.piece_vectors.search(query_vector.reshape(1, -1), total)
        similarities = np.empty(total, dtype=np.float32)
        similarities[ids[0]] = found[0]
        whole = self._best_per_section(similarities, self.whole_pieces)
        paragraph = self._best_per_section(similarities, ~self.whole_pieces)
        paragraph = np.where(paragraph > -1.0, paragraph, whole)  # one-paragraph sections
        return (whole + paragraph) / 2, np.maximum(whole, paragraph)

    def _best_per_section(self, similarities: np.ndarray, mask: np.ndarray) -> np.ndarray:
        best = np.full(len(self.index.sections), -1.0, dtype=np.float32)
        np.maximum.at(best, self.piece_sections[mask], similarities[mask])
        return best

    def _search(self, query: str, k: int, mode: str) -> SearchOutcome:
        query = self.speller.correct(query)
        query_vector = self.embedder.embed_queries([query])[0]
        dense, best_piece = self.dense_scores(query_vector)
        lexical = self.lexical.match(query)
        if mode == "dense":
            scores = dense
        elif mode == "lexical":
            scores = lexical.scores + 1e-6 * dense  # dense only breaks ties among non-matches
        else:
            scores = fuse(dense, lexical, self.settings)
        top = np.argsort(-scores, kind="stable")[:k]
        sentence_scores = self.index.sentence_vectors @ query_vector
        hits = [
            Hit(
                section_number=int(i),
                section=self.index.sections[i],
                score=float(scores[i]),
                similarity=float(best_piece[i]),
                snippet=best_sentences(self.index, sentence_scores, self.sentence_sections, i),
            )
            for i in top
        ]
        outside = self.index.outside_vectors @ query_vector
        closest_outside = float(outside.max()) if outside.size else -1.0
        answer = extract_answer(
            self.index,
            hits,
            sentence_scores,
            self.sentence_sections,
            closest_outside,
            self.settings,
        )
        return SearchOutcome(hits=hits, answer=answer)
