"""``python -m search_service bench``: latency, throughput, start-up, build times and memory.

Everything is measured in one run on this machine, against the real server over HTTP on
127.0.0.1, so the figures can be compared as ratios. Load loops are bounded in count.
"""

import http.client
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from ..answers import Searcher
from ..embedding import create_embedder, usable_cores
from ..index import load_verified_index
from ..settings import PROJECT_ROOT, Settings
from .evaluation import load_questions
from .harness import USER_ENVIRONMENT, ServiceProcess

QUESTION_SETS = [
    PROJECT_ROOT / "eval" / "questions.yml",
    PROJECT_ROOT / "eval" / "out-of-scope.yml",
]
CONCURRENT_CLIENTS = 16


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_questions() -> list[str]:
    questions = [q.q for path in QUESTION_SETS if path.exists() for q in load_questions(path)]
    if not questions:
        raise RuntimeError("no questions found in eval/: the benchmark needs eval/questions.yml")
    return questions


REQUEST_TIMEOUT_SECONDS = 30
FAILED = 0  # the status of a request that got no response: counted as an error


class Client:
    """One kept-alive connection to the service, from a chosen local address. The standard
    library's client, because the load generator runs on the cores it measures: httpx took
    about 2 ms of CPU per request there, this 0.5 ms."""

    def __init__(self, url: str, from_address: str = "") -> None:
        parts = urlsplit(url)
        if parts.scheme != "http":
            raise ValueError(f"bench speaks plain HTTP to a local service, not {parts.scheme}")
        self.path = parts.path.rstrip("/") + "/api/search?"
        self.connection = http.client.HTTPConnection(
            parts.hostname, parts.port, REQUEST_TIMEOUT_SECONDS, (from_address, 0)
        )

    def timed_get(self, question: str) -> tuple[float, int]:
        """(milliseconds, HTTP status); FAILED when the request got no response."""
        started = time.perf_counter()
        try:
            self.connection.request("GET", self.path + urlencode({"q": question}))
            response = self.connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            status = FAILED
        return (time.perf_counter() - started) * 1000, status

    def close(self) -> None:
        self.connection.close()


def sequential(url: str, questions: list[str]) -> list[float]:
    client = Client(url)
    try:
        return [client.timed_get(q)[0] for q in questions]
    finally:
        client.close()


def concurrent(url: str, questions: list[str], clients: int) -> dict:
    """Each of `clients` threads asks its share of the questions; returns rate and latencies."""
    local = threading.local()
    numbers = iter(range(clients))
    lock = threading.Lock()
    opened: list[Client] = []

    def ask(question: str) -> tuple[float, int]:
        if not hasattr(local, "client"):
            # Each client from its own loopback address, as different users would be: the
            # service runs one search at a time per client.
            with lock:
                local.client = Client(url, f"127.0.0.{10 + next(numbers)}")
                opened.append(local.client)
        return local.client.timed_get(question)

    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(clients) as pool:
            outcomes = list(pool.map(ask, questions))
    finally:
        for client in opened:
            client.close()
    elapsed = time.perf_counter() - started
    latencies = [ms for ms, _ in outcomes]
    return {
        "asked": len(outcomes),
        "queries_per_s": len(questions) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "errors": sum(status != 200 for _, status in outcomes),
    }


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) a process has used so far; this process when pid is None."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process_floor(settings: Settings, questions: list[str]) -> list[float]:
    """Embed + search of the same questions without HTTP (result cache off)."""
    embedder = create_embedder(settings)
    uncached = settings.model_copy(update={"result_cache_size": 0})
    searcher = Searcher(load_verified_index(uncached, embedder.dim), embedder, uncached)
    timings = []
    for question in questions:
        started = time.perf_counter()
        searcher.search(question, 10)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def bare_embedder(settings: Settings, questions: list[str], distinct: list[str]) -> dict:
    """The model alone on the same questions: one at a time on all cores (the best a lone
    question can get), and side by side on one handle per core (the most per second)."""
    cores = usable_cores()
    lone = create_embedder(settings, handles=1)
    lone.use_cores()
    lone.embed_queries(["opwarmen"])
    timings = []
    for question in questions:
        started = time.perf_counter()
        lone.embed_queries([question])
        timings.append((time.perf_counter() - started) * 1000)
    parallel = create_embedder(settings, handles=cores)
    started, cpu_before = time.perf_counter(), cpu_seconds()
    with ThreadPoolExecutor(cores, initializer=parallel.use_cores, initargs=(1,)) as pool:
        list(pool.map(lambda q: parallel.embed_queries([q]), distinct))
    return {
        "p50_ms": statistics.median(timings),
        "ceiling_queries_per_s": len(distinct) / (time.perf_counter() - started),
        "ceiling_cpu_ms_per_question": (cpu_seconds() - cpu_before) * 1000 / len(distinct),
    }


def build_times(settings: Settings) -> dict:
    """``build-index`` as a user runs it: once with an empty cache, then after one edit."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(settings.docs_dir, root / "docs")
        env = {
            **USER_ENVIRONMENT,
            "KB_DOCS_DIR": str(root / "docs"),
            "KB_INDEX_DIR": str(root / "index"),
            "KB_CACHE_PATH": str(root / "cache.sqlite3"),
        }

        def build() -> tuple[float, dict]:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "search_service", "build-index", "--quiet"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            elapsed = time.perf_counter() - started
            return elapsed, json.loads((root / "index" / "manifest.json").read_text())

        full, _ = build()
        page = root / "docs" / "integriteit" / "geschenken.md"
        heading = "{#geschenken-aannemen}\n\n"
        page.write_text(
            page.read_text(encoding="utf-8").replace(
                heading, heading + "Een extra zin voor de meting.\n\n", 1
            )
        )
        rebuild, manifest = build()
    return {"full_s": full, "rebuild_s": rebuild, "rebuild_embedded": manifest["embedded_texts"]}


def run_bench(settings: Settings) -> dict:
    questions = bench_questions()
    distinct = [f"{q} ({n})" for n in range(3) for q in questions]  # no two alike: no cache hits
    # The bare embedder is measured before and after the service, and the ratios use the mean:
    # this machine's speed drifts within minutes, and the service runs between the two.
    bare_before = bare_embedder(settings, questions, distinct)
    floor = in_process_floor(settings, questions)
    scratch = Path(tempfile.mkdtemp())
    server = ServiceProcess(
        {
            "KB_INDEX_DIR": str(settings.index_dir),
            "KB_SERVE_SITE": "false",
            "KB_SIGNALS_DB": str(scratch / "signals.sqlite3"),
        },
        scratch / "server.log",
    )
    try:
        cold_start = server.wait_until_healthy()
        single = sequential(server.url, questions)
        cached = sequential(server.url, [questions[0]] * 200)
        # Where the cores go under load: the server's and this load generator's CPU time.
        server_cpu, generator_cpu = cpu_seconds(server.process.pid), cpu_seconds()
        loaded = concurrent(server.url, distinct, CONCURRENT_CLIENTS)
        loaded["server_cpu_ms"] = (cpu_seconds(server.process.pid) - server_cpu) * 1000
        loaded["generator_cpu_ms"] = (cpu_seconds() - generator_cpu) * 1000
        repeated = concurrent(server.url, questions[:20] * 50, CONCURRENT_CLIENTS)
        memory = server.peak_memory_mb()
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    bare_after = bare_embedder(settings, questions, distinct)
    bare = {key: (bare_before[key] + bare_after[key]) / 2 for key in bare_before}
    builds = build_times(settings)
    return {
        "questions": len(questions),
        "single_p50_ms": statistics.median(single),
        "single_p95_ms": percentile(single, 0.95),
        "floor_p50_ms": statistics.median(floor),
        "http_overhead_ratio": statistics.median(single) / statistics.median(floor),
        "bare_p50_ms": bare["p50_ms"],
        "bare_ceiling_queries_per_s": bare["ceiling_queries_per_s"],
        "bare_p50_ms_before_after": (bare_before["p50_ms"], bare_after["p50_ms"]),
        "bare_ceiling_before_after": (
            bare_before["ceiling_queries_per_s"],
            bare_after["ceiling_queries_per_s"],
        ),
        # Ratios measured in one run: absolute times here vary 2x from day to day, these do not.
        "single_over_bare_p50": statistics.median(single) / bare["p50_ms"],
        "throughput_over_ceiling": loaded["queries_per_s"] / bare["ceiling_queries_per_s"],
        # CPU per question, measured: the server's own, the load generator's (on the same
        # cores), and the bare embedder's at its ceiling (one single-core handle per core).
        "server_cpu_ms_per_question": loaded["server_cpu_ms"] / len(distinct),
        "generator_cpu_ms_per_question": loaded["generator_cpu_ms"] / len(distinct),
        "bare_cpu_ms_per_question": bare["ceiling_cpu_ms_per_question"],
        "distinct_16": loaded,
        "repeated_16": repeated,
        "cached_p50_ms": statistics.median(cached[1:]),
        "cold_start_s": cold_start,
        "peak_memory_mb": memory,
        **{f"build_{key}": value for key, value in builds.items()},
    }


def format_bench(result: dict) -> str:
    d, r = result["distinct_16"], result["repeated_16"]
    p50_before, p50_after = result["bare_p50_ms_before_after"]
    ceiling_before, ceiling_after = result["bare_ceiling_before_after"]
    rows = [
        (
            "1 client, p50 / p95",
            f"{result['single_p50_ms']:.1f} / {result['single_p95_ms']:.1f} ms",
        ),
        ("in-process floor p50", f"{result['floor_p50_ms']:.1f} ms"),
        (
            "bare embedder p50 (all cores), mean of before / after",
            f"{result['bare_p50_ms']:.1f} ms ({p50_before:.1f} / {p50_after:.1f})",
        ),
        ("service p50 / bare embedder p50", f"{result['single_over_bare_p50']:.2f}x"),
        ("HTTP / in-process (p50)", f"{result['http_overhead_ratio']:.2f}x"),
        (
            f"{CONCURRENT_CLIENTS} clients, distinct questions",
            f"{d['queries_per_s']:.0f} q/s, p95 {d['p95_ms']:.0f} ms, {d['errors']} errors",
        ),
        (
            f"{CONCURRENT_CLIENTS} clients, repeated questions",
            f"{r['queries_per_s']:.0f} q/s, p95 {r['p95_ms']:.0f} ms, {r['errors']} errors",
        ),
        (
            "bare embedder ceiling (1 handle per core), mean of before / after",
            f"{result['bare_ceiling_queries_per_s']:.0f} q/s "
            f"({ceiling_before:.0f} / {ceiling_after:.0f})",
        ),
        (
            f"{CONCURRENT_CLIENTS}-client throughput / ceiling",
            f"{result['throughput_over_ceiling']:.2f}x",
        ),
        (
            "CPU per question under load: server / generator / bare embedder",
            f"{result['server_cpu_ms_per_question']:.1f} / "
            f"{result['generator_cpu_ms_per_question']:.1f} / "
            f"{result['bare_cpu_ms_per_question']:.1f} ms",
        ),
        ("repeated query (cache) p50", f"{result['cached_p50_ms']:.2f} ms"),
        ("cold start to healthy", f"{result['cold_start_s']:.2f} s"),
        ("full index build (empty cache)", f"{result['build_full_s']:.1f} s"),
        (
            "rebuild after one edit",
            f"{result['build_rebuild_s']:.1f} s, {result['build_rebuild_embedded']} texts embedded",
        ),
        ("peak memory of the server", f"{result['peak_memory_mb']:.0f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{result['questions']} questions, {usable_cores()} cores"]
    lines += [f"{label:<{width}}  {value}" for label, value in rows]
    return "\n".join(lines)
