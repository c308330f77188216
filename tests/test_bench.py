"""The benchmark's CPU accounting: where the cores go under load."""

import os
import subprocess
import sys
import time

from search_service.measure.bench import concurrent, cpu_seconds, sequential


def test_cpu_seconds_counts_this_process_and_another():
    before = cpu_seconds()
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert 0.15 <= cpu_seconds() - before < 1.0
    assert abs(cpu_seconds(os.getpid()) - cpu_seconds()) < 0.05
    # A busy child: its CPU time is read from /proc while it runs.
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        deadline = time.monotonic() + 10
        while cpu_seconds(busy.pid) < 0.2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cpu_seconds(busy.pid) >= 0.2
    finally:
        busy.kill()
        busy.wait()


def test_load_generator_asks_every_question_and_counts_refusals(live_server):
    questions = ["Mag ik een kerstpakket aannemen?", "Wat is de tekst van de ambtseed?"] * 4
    asked = concurrent(live_server.url, [*questions, "te lang " * 200], clients=3)
    assert asked["asked"] == len(questions) + 1
    assert asked["errors"] == 1  # the question over the length limit: a 4xx, read as such
    assert asked["queries_per_s"] > 0
    latencies = sequential(live_server.url, questions)
    assert len(latencies) == len(questions)
    assert all(0 < ms < 30_000 for ms in latencies)


def test_a_request_without_a_response_counts_as_an_error():
    # Nothing listens on port 9 of the loopback address: the request fails, bench goes on.
    asked = concurrent("http://127.0.0.1:9", ["Wat is de ambtseed?"] * 3, clients=2)
    assert asked["asked"] == 3
    assert asked["errors"] == 3
