"""The query batcher: requests of many search threads embedded together, each getting its own
vectors; a failure reaches only the request that caused it; no request ever waits forever."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from search_service.embedding import QueryBatcher

from .support import FakeEmbedder

QUESTIONS = [f"Mag ik geschenk nummer {n} aannemen van leverancier {n * 7}?" for n in range(9)]
# Most requests hold one text; two hold several (the batcher hands out slices).
REQUESTS = [[question] for question in QUESTIONS]
REQUESTS[2] += ["Wat als het een kerstpakket is?", "En een fles wijn?"]
REQUESTS[6] += ["Moet ik het melden bij mijn leidinggevende?"]
WAIT_SECONDS = 10


class HeldEmbedder(FakeEmbedder):
    """Records each call's texts and thread; the first call waits until released, so that the
    requests made meanwhile queue up behind it. Fails on the text it is told to."""

    def __init__(self, fail_on: str = "") -> None:
        super().__init__()
        self.fail_on = fail_on
        self.calls: list[tuple[list[str], str]] = []
        self.first_call_started = threading.Event()
        self.release = threading.Event()

    def embed_queries(self, texts):
        self.calls.append((list(texts), threading.current_thread().name))
        if len(self.calls) == 1:
            self.first_call_started.set()
            assert self.release.wait(WAIT_SECONDS)
        if self.fail_on in texts:
            raise RuntimeError("embedding failed")
        return super().embed_queries(texts)


def ask_while_the_first_is_held(embedder: HeldEmbedder, batcher: QueryBatcher, meanwhile=None):
    """The first request holds the worker; the others then wait together, and `meanwhile` runs.
    Returns, per request, its vectors or the exception it raised. Requests run on daemon
    threads: one that is never answered fails the test instead of hanging it."""
    outcomes: list = [None] * len(REQUESTS)

    def ask(number: int) -> None:
        try:
            outcomes[number] = batcher.embed_queries(REQUESTS[number])
        except RuntimeError as error:
            outcomes[number] = error

    def start(target, *args) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        return thread

    try:
        threads = [start(ask, 0)]
        assert embedder.first_call_started.wait(WAIT_SECONDS)
        threads += [start(ask, number) for number in range(1, len(REQUESTS))]
        deadline = time.monotonic() + WAIT_SECONDS
        while batcher.waiting < len(REQUESTS) - 1:
            assert time.monotonic() < deadline, "the requests never queued"
            time.sleep(0.01)
        if meanwhile:
            threads.append(start(meanwhile))
    finally:
        embedder.release.set()
    for thread in threads:
        thread.join(WAIT_SECONDS)
        assert not thread.is_alive(), "a request was never answered"
    return outcomes


def test_requests_waiting_together_are_embedded_in_one_call_each_with_its_own_vectors():
    embedder = HeldEmbedder()
    batcher = QueryBatcher(embedder, max_batch=4)
    try:
        outcomes = ask_while_the_first_is_held(embedder, batcher)
    finally:
        embedder.release.set()
        batcher.close()
    # 1 alone, then the 8 that waited, at most 4 requests a call: 1+3+1+1 and 1+2+1+1 texts.
    assert [len(texts) for texts, _ in embedder.calls] == [1, 6, 5]
    for texts, vectors in zip(REQUESTS, outcomes, strict=True):
        assert np.array_equal(vectors, FakeEmbedder().embed_queries(texts)), texts


def test_a_failing_request_fails_alone_and_the_others_of_its_batch_get_their_vectors():
    embedder = HeldEmbedder(fail_on=REQUESTS[2][1])
    batcher = QueryBatcher(embedder, max_batch=4)
    try:
        outcomes = ask_while_the_first_is_held(embedder, batcher)
        again = batcher.embed_queries(["Na de fout: mag ik een kerstpakket aannemen?"])
    finally:
        batcher.close()
    failed = [n for n, outcome in enumerate(outcomes) if isinstance(outcome, Exception)]
    assert failed == [2]
    for texts, vectors in zip(REQUESTS[3:], outcomes[3:], strict=True):
        assert np.array_equal(vectors, FakeEmbedder().embed_queries(texts)), texts
    assert again.shape == (1, FakeEmbedder.dim)


def test_closing_answers_the_requests_waiting_and_refuses_new_ones():
    embedder = HeldEmbedder()
    batcher = QueryBatcher(embedder, max_batch=4)
    outcomes = ask_while_the_first_is_held(embedder, batcher, meanwhile=batcher.close)
    assert not any(isinstance(outcome, Exception) for outcome in outcomes)
    with pytest.raises(RuntimeError, match="closed"):
        batcher.embed_queries(["Mag ik nog iets vragen?"])


class CoresRefused(FakeEmbedder):
    parallel_calls = 2

    def use_cores(self, count=None):
        raise OSError("no OpenMP runtime")


def test_a_worker_that_could_not_be_set_up_fails_requests_instead_of_leaving_them_waiting():
    batcher = QueryBatcher(CoresRefused(), max_batch=4)
    outcome: list = []

    def ask() -> None:
        try:
            batcher.embed_queries(["Wanneer leg ik de eed af?"])
        except RuntimeError as error:
            outcome.append(error)

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(WAIT_SECONDS)
    batcher.close()
    assert not asking.is_alive(), "the request was never answered"
    assert "no OpenMP runtime" in str(outcome[0])


def test_a_thread_that_chose_its_cores_embeds_on_itself():
    embedder = HeldEmbedder()
    embedder.release.set()
    batcher = QueryBatcher(embedder, max_batch=4)
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="alone", initializer=batcher.use_cores) as t:
            t.submit(batcher.embed_queries, ["Wanneer leg ik de eed af?"]).result(WAIT_SECONDS)
        batcher.embed_queries(["Wanneer leg ik de belofte af?"])
    finally:
        batcher.close()
    threads = [thread for _, thread in embedder.calls]
    assert threads[0].startswith("alone")
    assert threads[1].startswith("embed-")


def test_closing_stops_the_workers():
    before = set(threading.enumerate())
    batcher = QueryBatcher(FakeEmbedder(), max_batch=4)
    assert len(set(threading.enumerate()) - before) == FakeEmbedder.parallel_calls
    batcher.close()
    assert set(threading.enumerate()) - before == set()


def test_the_real_model_gives_each_question_in_a_batch_the_vector_it_gets_alone(real_embedder):
    alone = np.concatenate([real_embedder.embed_queries([q]) for q in QUESTIONS])
    assert np.array_equal(real_embedder.embed_queries(QUESTIONS), alone)
