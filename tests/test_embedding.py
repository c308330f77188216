"""The query batcher: questions of many search threads embedded together, each getting its own
vector, and a failure reaching every question of its batch."""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from search_service.embedding import QueryBatcher

from .support import FakeEmbedder

QUESTIONS = [f"Mag ik geschenk nummer {n} aannemen van leverancier {n * 7}?" for n in range(9)]


class HeldEmbedder(FakeEmbedder):
    """Records each call's texts and thread; the first call waits until released, so that the
    questions asked meanwhile queue up behind it. Fails on the text it is told to."""

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
            assert self.release.wait(10)
        if self.fail_on in texts:
            raise RuntimeError("embedding failed")
        return super().embed_queries(texts)


def ask_while_the_first_is_held(embedder: HeldEmbedder, batcher: QueryBatcher) -> list:
    """The first question holds the worker; the others then wait together. Returns, per
    question, its vector or the exception it raised."""

    def ask(question: str):
        try:
            return batcher.embed_queries([question])
        except RuntimeError as error:
            return error

    with ThreadPoolExecutor(len(QUESTIONS)) as threads:
        first = threads.submit(ask, QUESTIONS[0])
        assert embedder.first_call_started.wait(10)
        rest = [threads.submit(ask, q) for q in QUESTIONS[1:]]
        while batcher.waiting < len(rest):
            threading.Event().wait(0.01)
        embedder.release.set()
        return [first.result(), *(job.result() for job in rest)]


def test_questions_waiting_together_are_embedded_in_one_call_each_with_its_own_vector():
    embedder = HeldEmbedder()
    batcher = QueryBatcher(embedder, max_batch=4)
    try:
        vectors = ask_while_the_first_is_held(embedder, batcher)
    finally:
        batcher.close()
    # 1 alone, then the 8 that waited, at most 4 a call.
    assert [len(texts) for texts, _ in embedder.calls] == [1, 4, 4]
    expected = FakeEmbedder().embed_queries(QUESTIONS)
    for question, vector, want in zip(QUESTIONS, vectors, expected, strict=True):
        assert vector.shape == (1, FakeEmbedder.dim), question
        assert np.array_equal(vector[0], want), question


def test_a_failed_batch_fails_each_of_its_questions_and_the_next_batch_is_embedded():
    embedder = HeldEmbedder(fail_on=QUESTIONS[2])
    batcher = QueryBatcher(embedder, max_batch=4)
    try:
        outcomes = ask_while_the_first_is_held(embedder, batcher)
        again = batcher.embed_queries(["Na de fout: mag ik een kerstpakket aannemen?"])
    finally:
        batcher.close()
    failed = [
        q for q, outcome in zip(QUESTIONS, outcomes, strict=True) if isinstance(outcome, Exception)
    ]
    # The batch of QUESTIONS[1:5] failed as a whole; the others got their vectors.
    assert failed == QUESTIONS[1:5]
    assert again.shape == (1, FakeEmbedder.dim)


def test_a_thread_that_chose_its_cores_embeds_on_itself():
    embedder = HeldEmbedder()
    embedder.release.set()
    batcher = QueryBatcher(embedder, max_batch=4)
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="alone", initializer=batcher.use_cores) as t:
            t.submit(batcher.embed_queries, ["Wanneer leg ik de eed af?"]).result()
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
