"""Odd input against the real server: never a 5xx, never a leak, always the documented shape."""

import socket

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from search_service.api import TOO_COSTLY

# Schema-valid questions are accepted, with one exception the schema cannot state: a question
# that costs too many tokens (500 emoji fit in 500 characters) gets a 422 with this message.
# That case is checked by `valid_question_is_accepted_unless_too_costly` below instead.
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {"enabled": False}}})


@schemathesis.check
def valid_question_is_accepted_unless_too_costly(ctx, response, case) -> None:
    positive = case.meta is not None and case.meta.generation.mode == "positive"
    if positive and response.status_code == 422:
        assert response.json() == {"detail": TOO_COSTLY}, response.text


def test_api_conforms_to_its_openapi_schema(live_server):
    """Schemathesis generates requests from the service's own schema: no 5xx, valid responses."""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json", config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {"/api/search", "/api/health"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/search?q=", 422),
        ("/api/search?q=" + "a" * 5000, 422),
        ("/api/search?q=%00%01%02%1b", 422),
        ("/api/search?q=vraag%00met%00nul", 200),
        ("/api/search?q=%ff%fe%fd", 422),
        ("/api/search?q=%C3%28%A0%A1", 422),
        ("/api/search?q=eed&k=", 422),
        ("/api/search?q=eed&k=-1", 422),
        ("/api/search?q=eed&k=99999999999999999999999", 422),
        ("/api/search?q=eed&k=3.5", 422),
        ("/api/search?q=eed&k=null", 422),
        ("/api/search?q=eed&q=ambtseed", 422),
        ("/api/search?q=eed&k=5&k=6", 422),
        ("/api/search?q=eed&k=5_0", 422),
        ("/api/search?q=eed&k=%2B5", 422),
        ("/api/search?q=eed&k=5.0", 422),
        ("/api/search?q=eed&k=%205", 422),
        ("/api/search?q=eed&k=%D9%A5", 422),
        ("/api/search?q=%E2%80%8B", 422),
        ("/api/search?q=%EF%BB%BF%E2%80%8F%E2%80%8E", 422),
        ("/api/search?q=%CC%81%CC%82", 422),
        ("/api/search?q=" + "%F0%9F%98%80" * 200, 422),
        ("/api/foo", 404),
        ("/api/", 404),
        ("/api/health/", 404),
        ("/.kennisbank-build", 404),
        ("/docs", 404),
        ("/api/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", 200),
        ("/api/search?q=%27%3B%20DROP%20TABLE%20x%3B--", 200),
        ("/api/search?q=%F0%9F%98%80%20emoji", 200),
        ("/api/health?extra=1", 200),
        ("/../../etc/passwd", 404),
        ("/%2e%2e/%2e%2e/etc/passwd", 404),
        ("/assets/..%2f..%2f..%2fpyproject.toml", 404),
        ("/..%2fpyproject.toml", 404),
        ("/api/search/../../pyproject.toml", 404),
    ],
)
def test_odd_requests_get_a_clear_answer_and_leak_nothing(live_server, path, expected):
    response = send_raw(live_server.url, path)
    assert response.status_code == expected, response.text[:300]
    assert "Traceback" not in response.text
    assert "[build-system]" not in response.text and "root:x:0" not in response.text
    if path.startswith("/api/") and expected != 200:
        assert set(response.json()) == {"detail"}
        assert response.json()["detail"].endswith(".")


def send_raw(base_url: str, path: str) -> httpx.Response:
    """Send the path exactly as written: clients would normalise '..' and re-encode bytes."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = dict(
        line.decode("latin-1").split(": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line
    )
    if headers.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return httpx.Response(status, headers=headers, content=body)


def dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        out, body = out + body[:size], body[size + 2 :]
    return out


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_get_a_dutch_405_in_the_one_error_shape(live_server, method):
    response = httpx.request(method, f"{live_server.url}/api/search?q=eed")
    assert response.status_code == 405
    assert response.json() == {"detail": "Deze methode kan hier niet. Gebruik GET (of HEAD)."}


@pytest.mark.parametrize("path", ["/api/health", "/api/search?q=ambtseed"])
def test_head_works_where_get_works(live_server, path):
    response = httpx.head(f"{live_server.url}{path}")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("path", ["/", "/integriteit/geschenken/", "/api/health", "/api/nope"])
def test_embedded_server_sends_security_headers_and_no_server_name(live_server, path):
    headers = httpx.get(f"{live_server.url}{path}").headers
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "server" not in headers


def test_idle_connections_are_closed_and_do_not_stop_a_search(live_server):
    """300 connections that never send a request: a normal search is still answered, and the
    server closes the idle ones after its keep-alive timeout (5 s by default)."""
    host, port = live_server.url.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port)), timeout=10) for _ in range(300)]
    try:
        response = httpx.get(f"{live_server.url}/api/search", params={"q": "ambtseed"}, timeout=10)
        assert response.status_code == 200
        idle[0].settimeout(10)
        assert idle[0].recv(1) == b"", "the server closes an idle connection"
    finally:
        for sock in idle:
            sock.close()
