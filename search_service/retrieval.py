"""Hybrid retrieval: dense (FAISS) and Dutch BM25 rankings fused by weighted reciprocal rank."""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .answers import Answer, best_sentences, extract_answer
from .embedding import Embedder
from .index import LoadedIndex
from .lexical import LexicalIndex
from .sections import Section
from .settings import Settings
from .spelling import SpellingCorrector


@dataclass(frozen=True)
class Hit:
    section_number: int  # position in LoadedIndex.sections
    section: Section
    score: float  # fused score: higher is better, comparable only within one query
    similarity: float  # cosine similarity of the best piece of the section
    snippet: str


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[Hit]
    answer: Answer | None


def ranks_of(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each entry, best (highest) first."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def fuse(dense: np.ndarray, lexical: np.ndarray, settings: Settings) -> np.ndarray:
    """Weighted reciprocal rank fusion; BM25 only votes for sections that share a query term."""
    fused = settings.dense_weight / (settings.rrf_k + ranks_of(dense))
    matched = lexical > 0
    if matched.any():
        lexical_part = settings.lexical_weight / (settings.rrf_k + ranks_of(lexical))
        fused = fused + np.where(matched, lexical_part, 0.0)
    return fused


class Searcher:
    """Answers queries over one loaded index; safe to call from several threads."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        documents = [f"{s.breadcrumb}\n{s.text}" for s in index.sections]
        self.lexical = LexicalIndex(documents)
        self.speller = SpellingCorrector(documents)
        self.piece_sections = np.array([p.section for p in index.pieces], dtype=np.int64)
        self.sentence_sections = np.array([s.section for s in index.sentences], dtype=np.int64)
        # Identical questions (a popular one, or a user retyping) skip the embedding entirely.
        self._cached_search = lru_cache(maxsize=settings.result_cache_size)(self._search)

    def search(self, query: str, k: int, mode: str = "hybrid") -> SearchOutcome:
        """The k best sections; mode 'dense' or 'lexical' ranks by one side only (for eval)."""
        return self._cached_search(" ".join(query.split()), k, mode)

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Per section, the cosine similarity of its best-matching piece."""
        total = self.index.piece_vectors.ntotal
        similarities, ids = self.index.piece_vectors.search(query_vector.reshape(1, -1), total)
        per_section = np.full(len(self.index.sections), -1.0, dtype=np.float32)
        np.maximum.at(per_section, self.piece_sections[ids[0]], similarities[0])
        return per_section

    def _search(self, query: str, k: int, mode: str) -> SearchOutcome:
        query = self.speller.correct(query)
        query_vector = self.embedder.embed_queries([query])[0]
        dense = self.dense_scores(query_vector)
        lexical = self.lexical.scores(query)
        if mode == "dense":
            scores = dense
        elif mode == "lexical":
            scores = lexical + 1e-6 * dense  # dense only breaks ties among non-matches
        else:
            scores = fuse(dense, lexical, self.settings)
        top = np.argsort(-scores, kind="stable")[:k]
        sentence_scores = self.index.sentence_vectors @ query_vector
        hits = [
            Hit(
                section_number=int(i),
                section=self.index.sections[i],
                score=float(scores[i]),
                similarity=float(dense[i]),
                snippet=best_sentences(self.index, sentence_scores, self.sentence_sections, i),
            )
            for i in top
        ]
        answer = extract_answer(
            self.index, hits, sentence_scores, self.sentence_sections, self.settings
        )
        return SearchOutcome(hits=hits, answer=answer)
