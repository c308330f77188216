"""A running service under load and index changes: bounded concurrency, hot swap of the index."""

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from search_service import live_index
from search_service.api import create_app
from search_service.index import build_index
from search_service.live_index import LiveIndex
from search_service.measure.harness import ServiceProcess
from search_service.settings import Settings

from .broken_builds import BROKEN_BUILDS, broken_copy, publish
from .support import FakeEmbedder, tiny_settings_at, tiny_settings_with_own_docs

REFUSED = "not loaded, the old one keeps serving"


# How long the slow embedder takes per question: far longer than sending a few requests
# SEND_GAP apart takes, so that they are all in flight before the first is answered.
EMBED_SECONDS = 0.35
SEND_GAP = 0.03


class SlowEmbedder(FakeEmbedder):
    def embed_queries(self, texts):
        time.sleep(EMBED_SECONDS)
        return super().embed_queries(texts)


def ask_at_once(clients: list[TestClient], question: str) -> list:
    """Each client asks once, SEND_GAP apart, all before the first answer; the responses in the
    order they were sent."""
    responses: list = [None] * len(clients)

    def ask(n: int) -> None:
        responses[n] = clients[n].get("/api/search", params={"q": f"{question} {n}"})

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
        time.sleep(SEND_GAP)
    for thread in threads:
        thread.join()
    return responses


def test_past_the_bound_the_api_answers_503_with_retry_after(tmp_path):
    settings = tiny_settings_at(tmp_path, max_concurrent_searches=1, result_cache_size=0)
    build_index(settings, FakeEmbedder(), progress=False)
    app = create_app(settings, embedder=SlowEmbedder())
    with TestClient(app) as client:
        others = [TestClient(app, client=(f"192.0.2.{n}", 5000)) for n in range(3)]
        responses = ask_at_once(others, "vraag")
        assert sorted(r.status_code for r in responses) == [200, 503, 503]
        busy = next(r for r in responses if r.status_code == 503)
        assert busy.headers["Retry-After"] == "1"
        assert "te druk" in busy.json()["detail"]
        # Once the slot is free again, questions are answered.
        assert client.get("/api/search", params={"q": "weer rustig"}).status_code == 200


def test_one_client_gets_one_search_at_a_time_and_others_are_served_beside_it(tmp_path):
    settings = tiny_settings_at(tmp_path, max_waiting_searches_per_client=1, result_cache_size=0)
    build_index(settings, FakeEmbedder(), progress=False)
    app = create_app(settings, embedder=SlowEmbedder())
    with TestClient(app, client=("192.0.2.1", 5000)) as flooder:
        other = TestClient(app, client=("192.0.2.2", 5000))
        started = time.perf_counter()
        responses = ask_at_once([flooder, flooder, flooder, other], "vraag")
        statuses = [r.status_code for r in responses]
        # The third of the same client is refused; the second waited for the first.
        assert statuses == [200, 200, 503, 200]
        assert time.perf_counter() - started >= 2 * EMBED_SECONDS
        assert "te druk" in responses[2].json()["detail"]


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_published_index_goes_live_without_restart(tmp_path):
    settings = tiny_settings_with_own_docs(tmp_path, index_poll_seconds=0.05)
    docs = settings.docs_dir
    build_index(settings, FakeEmbedder(), progress=False)
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        assert client.get("/api/health").json()["sections"] == 5
        page = docs / "index.md"
        page.write_text(
            page.read_text() + "\n## Nieuw {#nieuw}\n\nEen nieuwe sectie over verlof.\n"
        )
        build_index(settings, FakeEmbedder(), progress=False)
        assert wait_for(lambda: client.get("/api/health").json()["sections"] == 6)
        ids = [r["id"] for r in client.get("/api/search", params={"q": "verlof"}).json()["results"]]
        assert "nieuw" in ids


def test_broken_published_index_is_ignored_and_old_one_keeps_serving(tmp_path):
    settings = tiny_settings_at(tmp_path, index_poll_seconds=0.05)
    build_index(settings, FakeEmbedder(), progress=False)
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        built_at = client.get("/api/health").json()["index_built_at"]
        # A damaged build elsewhere, then published the way build-index publishes.
        other = settings.model_copy(update={"index_dir": tmp_path / "other" / "index"})
        build_index(other, FakeEmbedder(), progress=False)
        (other.index_dir / "sentences.npy").write_bytes(b"damaged")
        link = tmp_path / "var" / "new-link"
        link.symlink_to(other.index_dir.resolve())
        os.replace(link, settings.index_dir)
        live = client.app.state.live
        assert wait_for(lambda: live.published == settings.index_dir.resolve())
        assert client.get("/api/health").json()["index_built_at"] == built_at
        assert client.get("/api/search", params={"q": "geschenk"}).status_code == 200


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if REFUSED in r.getMessage()]


@pytest.mark.parametrize("kind", BROKEN_BUILDS)
def test_broken_build_is_refused_once_and_the_next_good_one_goes_live(tmp_path, caplog, kind):
    settings = tiny_settings_at(tmp_path)
    build_index(settings, FakeEmbedder(), progress=False)
    live = LiveIndex(settings, FakeEmbedder())
    serving = live.searcher
    publish(broken_copy(settings.index_dir, kind, tmp_path / "broken"), settings.index_dir)
    with caplog.at_level(logging.ERROR, logger=live_index.__name__):
        assert live.reload_if_published() is False
        assert live.reload_if_published() is False  # tried once, not on every poll
    [refusal] = refusals(caplog)
    assert "rebuild it with" in refusal
    assert live.searcher is serving
    assert live.searcher.search("geschenk", 3).hits
    build_index(settings, FakeEmbedder(), progress=False)
    assert live.reload_if_published() is True
    assert live.searcher is not serving
    assert live.published == settings.index_dir.resolve()
    assert live.searcher.search("geschenk", 3).hits


def test_unexpected_error_while_loading_keeps_the_old_index(tmp_path, caplog, monkeypatch):
    """Not only IndexUnavailable: whatever loading raises, the old index keeps serving."""
    settings = tiny_settings_at(tmp_path)
    build_index(settings, FakeEmbedder(), progress=False)
    live = LiveIndex(settings, FakeEmbedder())
    serving = live.searcher

    def explode(*args, **kwargs):
        raise ValueError("matmul: size 384 is different from 200")

    monkeypatch.setattr(live_index, "load_verified_index", explode)
    build_index(settings, FakeEmbedder(), progress=False)
    assert live.reload_if_published() is False
    assert live.searcher is serving
    assert "ValueError: matmul: size 384 is different from 200" in refusals(caplog)[0]
    monkeypatch.undo()
    build_index(settings, FakeEmbedder(), progress=False)
    assert live.reload_if_published() is True
    assert live.searcher is not serving


def test_api_stays_ok_while_broken_builds_are_published(tmp_path, caplog):
    """Through the poller: health and search answer from the old index after each broken build
    (a manifest without built_at used to break /api/health), then a good build goes live."""
    settings = tiny_settings_with_own_docs(tmp_path, index_poll_seconds=0.05)
    docs = settings.docs_dir
    build_index(settings, FakeEmbedder(), progress=False)
    good = settings.index_dir.resolve()
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        serving = client.get("/api/health").json()
        for number, kind in enumerate(BROKEN_BUILDS, start=1):
            publish(broken_copy(good, kind, tmp_path / "broken"), settings.index_dir)
            assert wait_for(lambda n=number: len(refusals(caplog)) == n), kind
            assert client.get("/api/health").json() == serving
            assert client.get("/api/search", params={"q": "geschenk"}).status_code == 200
        page = docs / "index.md"
        page.write_text(page.read_text() + "\n## Nieuw {#nieuw}\n\nOver verlof.\n")
        build_index(settings, FakeEmbedder(), progress=False)
        assert wait_for(lambda: client.get("/api/health").json()["sections"] == 6)


def test_poller_survives_any_error_and_a_later_build_goes_live(tmp_path, caplog):
    settings = tiny_settings_with_own_docs(tmp_path, index_poll_seconds=0.05)
    docs = settings.docs_dir
    build_index(settings, FakeEmbedder(), progress=False)
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        live = client.app.state.live
        reload = live.reload_if_published
        failures: list[int] = []

        def fails_three_times() -> bool:
            if len(failures) < 3:
                failures.append(1)
                raise RuntimeError("the poll broke")
            return reload()

        live.reload_if_published = fails_three_times
        assert wait_for(lambda: len(failures) == 3)
        page = docs / "index.md"
        page.write_text(page.read_text() + "\n## Nieuw {#nieuw}\n\nOver verlof.\n")
        build_index(settings, FakeEmbedder(), progress=False)
        assert wait_for(lambda: client.get("/api/health").json()["sections"] == 6)
    assert "polling goes on" in caplog.text
    assert "the poll broke" in caplog.text


@contextmanager
def server_under_load(
    settings: Settings, log_path: Path
) -> Iterator[tuple[ServiceProcess, list[int | str]]]:
    """The real server for these settings, asked questions by four clients until the block ends.

    Yields the server and the status of every request; a request that fails without an answer
    counts as its exception's name.
    """
    env = {
        "KB_DOCS_DIR": str(settings.docs_dir),
        "KB_MKDOCS_CONFIG": str(settings.mkdocs_config),
        "KB_OUTSIDE_TOPICS": str(settings.outside_topics),
        "KB_OUTSIDE_QUESTIONS": str(settings.outside_questions),
        "KB_INDEX_DIR": str(settings.index_dir),
        "KB_UNANSWERED_LOG": str(settings.unanswered_log),
        "KB_SIGNALS_DB": str(settings.signals_db),
        "KB_SERVE_SITE": "false",
        "KB_INDEX_POLL_SECONDS": "0.1",
        "KB_RESULT_CACHE_SIZE": "0",
    }
    server = ServiceProcess(env, log_path)
    statuses: list[int | str] = []
    stop = threading.Event()

    def ask_until_stopped(worker: int) -> None:
        with httpx.Client(timeout=10) as client:
            for n in range(2000):  # bounded, and stopped much earlier
                if stop.is_set():
                    return
                params = {"q": f"geschenk vraag {worker} {n}"}
                try:
                    response = client.get(f"{server.url}/api/search", params=params)
                    statuses.append(response.status_code)
                except httpx.HTTPError as error:
                    statuses.append(type(error).__name__)

    workers = [threading.Thread(target=ask_until_stopped, args=(w,)) for w in range(4)]
    try:
        server.wait_until_healthy()
        for worker in workers:
            worker.start()
        yield server, statuses
        time.sleep(0.5)
    finally:
        stop.set()
        for worker in workers:
            if worker.is_alive():
                worker.join()
        server.stop()


def health(server: ServiceProcess) -> dict:
    response = httpx.get(f"{server.url}/api/health")
    assert response.status_code == 200, server.log()
    return response.json()


def test_swap_under_http_load_fails_no_request(tmp_path, real_embedder):
    """The real server keeps answering every request while two new indexes go live."""
    settings = tiny_settings_with_own_docs(tmp_path)
    docs = settings.docs_dir
    build_index(settings, real_embedder, progress=False)
    with server_under_load(settings, tmp_path / "server.log") as (server, statuses):
        before_swaps = len(statuses)
        page = docs / "index.md"
        for number in (1, 2):
            time.sleep(0.5)
            section = f"\n## Nieuw {number} {{#nieuw-{number}}}\n\nTekst.\n"
            page.write_text(page.read_text() + section)
            build_index(settings, real_embedder, progress=False)
        assert wait_for(lambda: health(server)["sections"] == 7, timeout=10)
        during_swaps = len(statuses) - before_swaps
        # Enough requests in all: on a fast machine the swaps take only a few, so the load goes
        # on until there are (it stopped at a fixed moment before, and once had 49).
        assert wait_for(lambda: len(statuses) > 50, timeout=30)
    assert during_swaps > 0
    assert set(statuses) == {200}, server.log()


def test_broken_builds_under_http_load_fail_no_request_and_a_good_one_goes_live(
    tmp_path, real_embedder
):
    """Each kind of broken build is published while the real server answers: each is refused
    with a log line, every request is answered, health stays ok, and a good build still goes live.
    """
    settings = tiny_settings_with_own_docs(tmp_path)
    docs = settings.docs_dir
    build_index(settings, real_embedder, progress=False)
    with server_under_load(settings, tmp_path / "server.log") as (server, statuses):
        serving = health(server)
        good = settings.index_dir.resolve()
        for number, kind in enumerate(BROKEN_BUILDS, start=1):
            time.sleep(0.2)
            publish(broken_copy(good, kind, tmp_path / "broken"), settings.index_dir)
            assert wait_for(lambda n=number: server.log().count(REFUSED) == n, timeout=10), (
                f"{kind} was not refused:\n{server.log()}"
            )
            assert health(server) == serving
        page = docs / "index.md"
        page.write_text(page.read_text() + "\n## Nieuw {#nieuw}\n\nTekst.\n")
        build_index(settings, real_embedder, progress=False)
        assert wait_for(lambda: health(server)["sections"] == 6, timeout=10), server.log()
        assert wait_for(lambda: len(statuses) > 50, timeout=30)  # enough requests in all
    assert set(statuses) == {200}, server.log()


def test_without_an_index_keywords_answer_until_the_first_build_goes_live(tmp_path):
    settings = tiny_settings_at(tmp_path, index_poll_seconds=0.05)
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        health = client.get("/api/health").json()
        assert (health["status"], health["mode"], health["index_built_at"]) == (
            "building",
            "lexical",
            None,
        )
        search = client.get("/api/search", params={"q": "diner congres"}).json()
        assert search["mode"] == "lexical"
        assert search["results"][0]["id"] == "uitnodigingen"
        build_index(settings, FakeEmbedder(), progress=False)
        assert wait_for(lambda: client.get("/api/health").json()["mode"] == "hybrid")
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.get("/api/search", params={"q": "geschenk"}).json()["mode"] == "hybrid"


def test_keyword_search_gives_a_card_only_when_one_section_clearly_wins(tmp_path):
    settings = tiny_settings_at(tmp_path)
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        sure = client.get("/api/search", params={"q": "relatiegeschenk"}).json()
        assert sure["answer"]["id"] == "geschenken"
        unsure = client.get("/api/search", params={"q": "leverancier wachtwoord"}).json()
        assert unsure["answer"] is None


def test_health_reports_the_progress_of_a_build(tmp_path):
    settings = tiny_settings_at(tmp_path)
    progress = settings.index_dir.with_name(settings.index_dir.name + ".progress.json")
    progress.parent.mkdir(parents=True, exist_ok=True)
    progress.write_text('{"done": 320, "total": 2400}')
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        assert client.get("/api/health").json()["progress"] == {"done": 320, "total": 2400}


def test_fresh_checkout_searches_within_seconds_and_goes_semantic_without_restart(
    tmp_path, real_index
):
    """The real server started with no index: it answers by keywords at once, and switches to
    the semantic index when it is published (here: the real index, linked into place)."""
    index_dir = tmp_path / "var" / "index"
    index_dir.parent.mkdir(parents=True)
    env = {
        "KB_INDEX_DIR": str(index_dir),
        "KB_SIGNALS_DB": str(tmp_path / "signals.sqlite3"),
        "KB_SERVE_SITE": "false",
        "KB_INDEX_POLL_SECONDS": "0.1",
    }
    started = time.perf_counter()
    server = ServiceProcess(env, tmp_path / "server.log")
    try:
        server.wait_until_healthy()
        search = httpx.get(f"{server.url}/api/search", params={"q": "ambtseed afleggen"}).json()
        first_answer_seconds = time.perf_counter() - started
        assert search["mode"] == "lexical" and search["results"]
        assert first_answer_seconds < 20, first_answer_seconds
        assert "keyword search until" in server.log()
        link = tmp_path / "var" / ".index.link"
        link.symlink_to(real_index.index_dir.resolve())
        os.replace(link, index_dir)
        assert wait_for(lambda: health(server)["mode"] == "hybrid", timeout=30), server.log()
        search = httpx.get(f"{server.url}/api/search", params={"q": "ambtseed afleggen"}).json()
        assert search["mode"] == "hybrid" and search["answer"]
        print(f"first keyword answer {first_answer_seconds:.2f} s after the server started")
    finally:
        server.stop()
