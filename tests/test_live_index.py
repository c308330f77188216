"""A running service under load and index changes: bounded concurrency, hot swap of the index."""

import os
import shutil
import threading
import time

import httpx
from fastapi.testclient import TestClient

from search_service.api import create_app
from search_service.index import build_index

from .conftest import FIXTURES, FakeEmbedder, RunningServer, tiny_settings_at


class SlowEmbedder(FakeEmbedder):
    def embed_queries(self, texts):
        time.sleep(0.5)
        return super().embed_queries(texts)


def test_past_the_bound_the_api_answers_503_with_retry_after(tmp_path):
    settings = tiny_settings_at(tmp_path, max_concurrent_searches=1, result_cache_size=0)
    build_index(settings, FakeEmbedder(), progress=False)
    responses = []
    with TestClient(create_app(settings, embedder=SlowEmbedder())) as client:

        def ask(question: str) -> None:
            responses.append(client.get("/api/search", params={"q": question}))

        threads = [threading.Thread(target=ask, args=(f"vraag {n}",)) for n in range(3)]
        for thread in threads:
            thread.start()
            time.sleep(0.05)
        for thread in threads:
            thread.join()
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 503, 503]
        busy = next(r for r in responses if r.status_code == 503)
        assert busy.headers["Retry-After"] == "1"
        assert "te druk" in busy.json()["detail"]
        # Once the slot is free again, questions are answered.
        assert client.get("/api/search", params={"q": "weer rustig"}).status_code == 200


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_published_index_goes_live_without_restart(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "tiny_docs", docs)
    settings = tiny_settings_at(tmp_path, index_poll_seconds=0.05).model_copy(
        update={"docs_dir": docs}
    )
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


def test_swap_under_http_load_fails_no_request(tmp_path, real_embedder):
    """The real server keeps answering every request while two new indexes go live."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "tiny_docs", docs)
    settings = tiny_settings_at(tmp_path).model_copy(update={"docs_dir": docs})
    build_index(settings, real_embedder, progress=False)
    env = {
        "KB_DOCS_DIR": str(docs),
        "KB_MKDOCS_CONFIG": str(settings.mkdocs_config),
        "KB_OUTSIDE_TOPICS": str(settings.outside_topics),
        "KB_INDEX_DIR": str(settings.index_dir),
        "KB_UNANSWERED_LOG": str(settings.unanswered_log),
        "KB_SERVE_SITE": "false",
        "KB_INDEX_POLL_SECONDS": "0.1",
        "KB_RESULT_CACHE_SIZE": "0",
    }
    server = RunningServer(env, tmp_path / "server.log")
    statuses: list[int] = []
    stop = threading.Event()

    def ask_until_stopped(worker: int) -> None:
        with httpx.Client(timeout=10) as client:
            for n in range(2000):  # bounded, and stopped much earlier
                if stop.is_set():
                    return
                params = {"q": f"geschenk vraag {worker} {n}"}
                statuses.append(client.get(f"{server.url}/api/search", params=params).status_code)

    try:
        server.wait_until_healthy()
        workers = [threading.Thread(target=ask_until_stopped, args=(w,)) for w in range(4)]
        for worker in workers:
            worker.start()
        page = docs / "index.md"
        for number in (1, 2):
            time.sleep(0.5)
            section = f"\n## Nieuw {number} {{#nieuw-{number}}}\n\nTekst.\n"
            page.write_text(page.read_text() + section)
            build_index(settings, real_embedder, progress=False)
        assert wait_for(
            lambda: httpx.get(f"{server.url}/api/health").json()["sections"] == 7, timeout=10
        )
        time.sleep(0.5)
        stop.set()
        for worker in workers:
            worker.join()
    finally:
        stop.set()
        server.stop()
    assert len(statuses) > 50
    assert set(statuses) == {200}, server.log()
