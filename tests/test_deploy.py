"""The production setup in deploy/: Debian's nginx serving the site and two service replicas."""

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from search_service.measure.harness import ServiceProcess, free_port
from search_service.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.slow

NGINX = Path("/usr/sbin/nginx")
RENDER = PROJECT_ROOT / "deploy" / "render.py"
ALLOWED_ORIGIN = "https://intranet.example.nl"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


class RunningNginx:
    """nginx with the configuration deploy/render.py writes, kept under a temporary prefix."""

    def __init__(
        self,
        prefix: Path,
        site_dir: Path,
        upstream_ports: list[int],
        render_args: list[str] | tuple[str, ...] = (),
    ) -> None:
        if not NGINX.exists():
            pytest.fail(
                f"Debian's nginx is not installed ({NGINX} is missing): "
                "apt-get install nginx (.ci/run installs it on CI)"
            )
        self.prefix = prefix
        self.upstream_ports = upstream_ports
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.address}"
        upstreams = [arg for port in upstream_ports for arg in ("--upstream", str(port))]
        render = [sys.executable, str(RENDER), "--standalone", str(prefix)]
        site = ["--site-dir", str(site_dir)]
        run_checked([*render, *site, "--listen", self.address, *upstreams, *render_args])
        self.command = [str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        run_checked([*self.command, "-t", "-q"])
        self._output = (prefix / "logs" / "nginx.out").open("w")
        self.process = subprocess.Popen(self.command, stdout=self._output, stderr=subprocess.STDOUT)

    def wait_until_serving(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited early:\n{self.log()}")
            try:
                httpx.get(f"{self.url}/", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx not serving after {timeout} s:\n{self.log()}")

    def access_log(self) -> list[str]:
        path = self.prefix / "logs" / "access.log"
        return path.read_text().splitlines() if path.exists() else []

    def error_log(self) -> str:
        path = self.prefix / "logs" / "error.log"
        return path.read_text() if path.exists() else ""

    def log(self) -> str:
        if not self._output.closed:
            self._output.flush()
        logs = [self.prefix / "logs" / name for name in ("nginx.out", "error.log")]
        return "\n".join(path.read_text() for path in logs if path.exists())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._output.close()


def run_checked(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"


@dataclass
class Deployment:
    nginx: RunningNginx
    replicas: list[ServiceProcess]


@contextmanager
def deployment(
    index: Settings,
    site_dir: Path,
    root: Path,
    replicas: int = 2,
    replica_env: list[dict[str, str]] | None = None,
    render_args: list[str] | tuple[str, ...] = (),
):
    """nginx and ``replicas`` API-only services sharing one index; everything stops at the end.

    ``replica_env`` adds settings per replica; ``render_args`` go to deploy/render.py."""
    env = {
        "KB_SERVE_SITE": "false",
        "KB_INDEX_DIR": str(index.index_dir),
        "KB_CORS_ORIGINS": json.dumps([ALLOWED_ORIGIN]),
        "KB_UNANSWERED_LOG": str(root / "unanswered.jsonl"),
        "KB_SIGNALS_DB": str(root / "signals.sqlite3"),
    }
    with ExitStack() as cleanup:
        servers = []
        # Started together, so the replicas load their model at the same time.
        for number in range(replicas):
            own = replica_env[number] if replica_env else {}
            server = ServiceProcess({**env, **own}, root / f"replica-{number}.log")
            cleanup.callback(stop_and_show_log, server, f"replica {number}")
            servers.append(server)
        for server in servers:
            server.wait_until_healthy()
        ports = [server.port for server in servers]
        nginx = RunningNginx(root / "nginx", site_dir, ports, render_args)
        cleanup.callback(stop_and_show_log, nginx, "nginx")
        nginx.wait_until_serving()
        yield Deployment(nginx, servers)


def stop_and_show_log(process: "RunningNginx | ServiceProcess", name: str) -> None:
    process.stop()
    print(f"--- {name} log ---\n{process.log()}")


@pytest.fixture(scope="module")
def deployed(real_index, built_site, tmp_path_factory):
    with deployment(real_index, built_site, tmp_path_factory.mktemp("deploy")) as running:
        yield running


def get(deployed: Deployment, path: str, **kwargs) -> httpx.Response:
    return httpx.get(f"{deployed.nginx.url}{path}", timeout=10, **kwargs)


# --- The site ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/integriteit/geschenken/", "/bestaat-niet/"])
def test_every_page_has_the_security_headers(deployed, path):
    response = get(deployed, path)
    assert response.status_code == (404 if "bestaat-niet" in path else 200)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["server"] == "nginx"  # no version


def test_unknown_page_gets_the_sites_404_page(deployed):
    response = get(deployed, "/bestaat-niet/")
    assert response.status_code == 404
    assert '<html lang="nl"' in response.text


def test_csp_allows_every_inline_script_of_the_built_site(deployed, built_site):
    csp = get(deployed, "/").headers["content-security-policy"]
    allowed = set(re.findall(r"'sha256-[^']+'", csp))
    inline = re.compile(r"<script>(.*?)</script>", re.S)
    for page in built_site.rglob("*.html"):
        for script in inline.findall(page.read_text(encoding="utf-8")):
            assert csp_hash(script) in allowed, f"inline script of {page} not allowed by the CSP"


def csp_hash(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def hashed_assets(deployed: Deployment) -> list[str]:
    home = get(deployed, "/").text
    assets = re.findall(r'(?:src|href)="(assets/(?:javascripts|stylesheets)/[^"]+)"', home)
    return [f"/{a}" for a in assets if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", a)]


def test_text_is_compressed_with_gzip(deployed):
    for path in ["/", *hashed_assets(deployed), "/search/search_index.json"]:
        response = get(deployed, path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        assert response.headers.get("content-encoding") == "gzip", path
        assert "Accept-Encoding" in response.headers.get("vary", ""), path


def test_hashed_assets_are_cached_for_a_year_and_pages_are_revalidated(deployed):
    assets = hashed_assets(deployed)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for path in assets:
        assert get(deployed, path).headers["cache-control"] == (
            "public, max-age=31536000, immutable"
        ), path
    for path in ["/", "/integriteit/geschenken/", "/assets/moved-sections.js"]:
        response = get(deployed, path)
        assert response.headers["cache-control"] == "no-cache", path
        assert "etag" in response.headers, path


def test_directory_redirect_keeps_the_address_the_browser_used(deployed):
    response = get(deployed, "/integriteit")
    assert response.status_code == 301
    assert response.headers["location"] == "/integriteit/"


@pytest.mark.browser
@pytest.mark.parametrize("api", ["answering", "unreachable"])
def test_site_works_in_chromium_under_its_csp(deployed, api):
    """Material's scripts, its search worker and the site's API search run, nothing is blocked.

    With the API unreachable, the results come from Material's built-in search (a worker)."""
    from playwright.sync_api import expect, sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("console", lambda message: problems.append(message.text))
            # Only this machine: Google Fonts is dropped (the site must not need it).
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda r: r.abort())
            if api == "unreachable":
                page.route("**/api/**", lambda route: route.abort())
            searches: list[int] = []
            page.on(
                "response",
                lambda r: searches.append(r.status) if "/api/search?" in r.url else None,
            )
            page.add_init_script(
                "document.addEventListener('securitypolicyviolation', e => console.error("
                "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
            )
            page.goto(f"{deployed.nginx.url}/integriteit/geschenken/")
            # Typed key by key, as a user does: Material reads the box on keyup (fill() only
            # focuses and sets the value, which Material misses when the machine is slow).
            page.locator('[data-md-component="search-query"]').press_sequentially("cadeau aannemen")
            expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
        finally:
            browser.close()
    if api == "answering":
        assert 200 in searches  # the site's search box reached the API (connect-src)
    blocked = [p for p in problems if "CSP" in p or "Content Security Policy" in p]
    assert blocked == []
    assert not [p for p in problems if p.startswith("page error")]


# --- The API through nginx --------------------------------------------------------------------


def test_health_and_search_work_through_nginx(deployed):
    assert get(deployed, "/api/health").json()["status"] == "ok"
    response = get(deployed, "/api/search", params={"q": "Mag ik een cadeau aannemen?", "k": 3})
    assert response.status_code == 200
    assert "geschenken-aannemen" in [r["id"] for r in response.json()["results"]]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert len(response.headers.get_list("content-security-policy")) == 1


def test_feedback_goes_through_nginx_and_an_oversized_body_does_not(deployed):
    url = f"{deployed.nginx.url}/api/feedback"
    feedback = {
        "question": "Wat zijn de regels voor één geschenk?" * 13,  # 494 characters
        "section_id": "geschenken-aannemen",
        "helpful": False,
        "comment": "é" * 300,
    }
    assert httpx.post(url, json=feedback, timeout=10).status_code == 204
    assert httpx.post(url, content=b"x" * 5000, timeout=10).status_code == 413


def test_api_errors_pass_through_unchanged(deployed):
    response = get(deployed, "/api/search", params={"q": " "})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("De vraag is leeg")


def test_cors_allows_only_the_configured_origin(deployed):
    path, params = "/api/search", {"q": "ambtseed", "k": 1}
    allowed = get(deployed, path, params=params, headers={"Origin": ALLOWED_ORIGIN})
    assert allowed.headers.get_list("access-control-allow-origin") == [ALLOWED_ORIGIN]
    # A site elsewhere can read when a busy service may be asked again.
    assert allowed.headers.get("access-control-expose-headers") == "Retry-After"
    other = get(deployed, path, params=params, headers={"Origin": "https://evil.example.com"})
    assert other.status_code == 200
    assert "access-control-allow-origin" not in other.headers


def test_request_limits(deployed):
    long_line = get(deployed, "/api/search", params={"q": "x" * 9000})
    assert long_line.status_code == 414
    body = httpx.post(f"{deployed.nginx.url}/api/search", content=b"x" * 5000, timeout=10)
    assert body.status_code == 413


def assert_api_error(response: httpx.Response, status: int, starts: str) -> None:
    """nginx's own error for /api/: the API's JSON shape with a Dutch sentence, Retry-After,
    and the server's security headers."""
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert list(response.json()) == ["detail"]
    assert response.json()["detail"].startswith(starts)
    assert response.headers["retry-after"] == "1"
    assert response.headers["cache-control"] in ("no-store", "no-cache")  # never stored
    assert response.headers["x-content-type-options"] == "nosniff"


def test_no_replica_answering_gives_the_apis_error_shape(built_site, tmp_path):
    with ExitStack() as cleanup:
        nginx = RunningNginx(tmp_path / "nginx", built_site, [free_port(), free_port()])
        cleanup.callback(stop_and_show_log, nginx, "nginx")
        nginx.wait_until_serving()
        for path in ["/api/search?q=ambtseed", "/api/health", "/openapi.json"]:
            response = httpx.get(f"{nginx.url}{path}", timeout=10)
            assert_api_error(response, 503, "De zoekdienst is even niet bereikbaar")
        assert httpx.get(f"{nginx.url}/", timeout=10).status_code == 200  # the site stays up


def test_dotfiles_of_the_site_are_not_served(deployed, built_site):
    assert (built_site / ".kennisbank-build").exists()
    assert get(deployed, "/.kennisbank-build").status_code == 404


# --- Per-client limits and the access log -----------------------------------------------------

# Every address in 127.0.0.0/8 is this machine: clients "from" different addresses, loopback only.
FLOODER, BYSTANDER = "127.0.0.2", "127.0.0.3"
ACCESS_LOG_LINE = re.compile(
    r'^\[[^\]]+\] "(?P<method>\S*) (?P<path>\S*) (?P<protocol>\S*)" (?P<status>\d{3}) \d+ \S+ '
    r"upstream=(?P<upstream>.*) upstream_status=(?P<upstream_status>.*)$"
)


def client_from(address: str, url: str) -> httpx.Client:
    """A client whose connections come from ``address``."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=url, timeout=10, transport=transport)


def parsed_access_log(nginx: RunningNginx, lines_expected: int = 0) -> list[dict[str, str]]:
    """The access log's lines, parsed. nginx writes a line after the response has gone out,
    so the log can lag the client by a moment: wait for the lines expected (at most 5 s)."""
    deadline = time.monotonic() + 5.0
    while len(nginx.access_log()) < lines_expected and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = nginx.access_log()
    parsed = [ACCESS_LOG_LINE.match(line) for line in lines]
    assert all(parsed), f"access log lines not in the expected format: {lines}"
    return [match.groupdict() for match in parsed]


@pytest.fixture
def own_nginx(deployed, built_site, tmp_path):
    """A fresh nginx (its own log, its own rate-limit zones) in front of the deployed replicas."""
    nginx = RunningNginx(tmp_path / "nginx", built_site, [r.port for r in deployed.replicas])
    try:
        nginx.wait_until_serving()
        yield nginx
    finally:
        stop_and_show_log(nginx, "own nginx")


def test_access_log_keeps_no_question_and_no_client_address(own_nginx):
    question = "Mag ik de vaas van mevrouw Geertruida Verbeek aannemen?"
    with client_from(FLOODER, own_nginx.url) as http:
        assert http.get("/api/search", params={"q": question, "k": 3}).status_code == 200
        assert http.get("/api/search", params={"q": " "}).status_code == 422
        assert http.get("/integriteit/geschenken/", params={"q": question}).status_code == 200
        assert http.get("/bestaat-niet/", params={"q": question}).status_code == 404
    # (The first line is nginx's check that it serves: GET /.)
    entries = parsed_access_log(own_nginx, lines_expected=5)[1:]
    text = "\n".join(own_nginx.access_log())
    print(text)
    assert [(e["path"], e["status"]) for e in entries] == [
        ("/api/search", "200"),
        ("/api/search", "422"),
        ("/integriteit/geschenken/", "200"),
        ("/bestaat-niet/", "404"),  # the address asked for, not the 404 page that answered
    ]
    assert "Geertruida" not in text and "?" not in text and "q=" not in text
    assert FLOODER not in text


def test_a_flood_from_one_client_is_limited_and_others_are_still_served(deployed, own_nginx):
    """With the default limits (5 a second, bursts of 20), from one address, 8 at a time."""
    flood_requests, flood_threads = 200, 8
    params = {"q": "Mag ik een cadeau aannemen?", "k": 3}
    statuses: list[int | str] = []
    refusals: list[httpx.Response] = []
    lock = threading.Lock()

    def flood(first: int) -> None:
        with client_from(FLOODER, own_nginx.url) as http:
            for _ in range(first, flood_requests, flood_threads):
                try:
                    response = http.get("/api/search", params=params)
                    outcome: int | str = response.status_code
                except httpx.HTTPError as error:
                    response, outcome = None, repr(error)
                with lock:
                    statuses.append(outcome)
                    if outcome == 429:
                        refusals.append(response)

    started = time.perf_counter()
    threads = [threading.Thread(target=flood, args=(n,)) for n in range(flood_threads)]
    for thread in threads:
        thread.start()
    bystander = []
    with client_from(BYSTANDER, own_nginx.url) as http:
        for _ in range(5):
            bystander.append(http.get("/api/search", params=params).status_code)
            time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    counts = Counter(statuses)
    print(
        f"flood: {len(statuses)} requests in {elapsed:.1f} s from one address: "
        f"{counts[200]} answered, {counts[503]} refused by the replica, {counts[429]} limited; "
        f"the other address: {bystander}"
    )
    assert not any(thread.is_alive() for thread in threads)
    assert set(counts) <= {200, 429, 503}, counts
    # The first request and the burst of 20 pass at once, then 5 a second. Of the burst, the
    # replica may refuse some with its designed 503: it runs one search per client at a time,
    # and lets only a few more of the same client wait.
    passed = counts[200] + counts[503]
    assert 21 <= passed <= 21 + 5 * elapsed + 2
    assert counts[200] >= 4
    assert counts[429] >= flood_requests / 2
    for response in refusals:
        assert_api_error(response, 429, "Te veel zoekvragen in korte tijd")
    assert bystander == [200] * 5
    # The refused requests never reached a replica; the replicas are fine.
    logged = parsed_access_log(own_nginx, lines_expected=1 + len(statuses) + len(bystander))
    limited = [e for e in logged if e["status"] == "429"]
    assert len(limited) == counts[429]
    assert {e["upstream"] for e in limited} == {"-"}
    for replica in deployed.replicas:
        assert httpx.get(f"{replica.url}/api/health", timeout=10).json()["status"] == "ok"
    # Refusals are not logged as errors (nginx would write the address and the question).
    assert "limiting" not in own_nginx.error_log()


# --- A new build of the site goes live ----------------------------------------------------------

PUBLISH = PROJECT_ROOT / "deploy" / "publish-site"
PAGES = ["/", "/integriteit/geschenken/", "/ambtseed/tekst/"]


def inline_scripts_allowed(response: httpx.Response) -> bool:
    allowed = set(re.findall(r"'sha256-[^']+'", response.headers["content-security-policy"]))
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    return all(csp_hash(script) in allowed for script in scripts)


def test_publishing_a_new_site_build_breaks_no_page(built_site, tmp_path):
    # The live build differs from the next one in an inline script, as after a Material upgrade.
    old = tmp_path / "site.builds" / "old"
    shutil.copytree(built_site, old)
    for page in old.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("<script>var palette", "<script>var palette;var palette"))
    home = (old / "index.html").read_text(encoding="utf-8")
    old_only = csp_hash(re.findall(r"<script>(var palette;.*?)</script>", home, re.S)[0])
    site = tmp_path / "site"
    site.symlink_to(old)
    with ExitStack() as cleanup:
        nginx = RunningNginx(tmp_path / "nginx", site, [free_port()])
        cleanup.callback(stop_and_show_log, nginx, "nginx")
        nginx.wait_until_serving()
        publish = start_publishing(nginx, site)
        cleanup.callback(stop_process, publish)
        bad, served = [], 0
        deadline = time.monotonic() + 120
        while publish.poll() is None and time.monotonic() < deadline:
            for path in PAGES:
                # A new connection each time: nginx closes idle connections when it reloads;
                # a browser then sends the request again on a new one, httpx doesn't.
                response = httpx.get(f"{nginx.url}{path}", headers={"Connection": "close"})
                served += 1
                if response.status_code != 200 or not inline_scripts_allowed(response):
                    bad.append((path, response.status_code))
        output = publish.communicate(timeout=60)[0]
        assert publish.returncode == 0, output
        assert served > 0
        assert bad == []
        assert site.resolve().parent == old.parent and site.resolve() != old
        response = httpx.get(f"{nginx.url}/")
        assert "var palette;var palette" not in response.text
        assert inline_scripts_allowed(response)
        assert old_only not in response.headers["content-security-policy"]


def start_publishing(nginx: RunningNginx, site: Path) -> subprocess.Popen:
    """deploy/publish-site for this nginx, as an operator runs it against the system's nginx."""
    command = " ".join(nginx.command)
    env = {
        **os.environ,
        "KB_SITE_DIR": str(site),
        "KB_NGINX_CONF": str(nginx.prefix / "kennisbank.conf"),
        "NGINX_TEST": f"{command} -t -q",
        "NGINX_RELOAD": f"{command} -s reload",
        "NGINX_PID_FILE": str(nginx.prefix / "nginx.pid"),
    }
    options = ["--listen", nginx.address, "--upstream", str(nginx.upstream_ports[0])]
    access_log = str(nginx.prefix / "logs" / "access.log")
    return subprocess.Popen(
        [str(PUBLISH), *options, "--access-log", access_log],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate()


# --- A replica dies under load ----------------------------------------------------------------

# All the load of these tests comes from one address: lift the per-client limits.
UNLIMITED = ["--api-rate", "10000", "--api-burst", "10000", "--api-connections", "100"]
LOAD_REQUESTS = 300
LOAD_THREADS = 4
KILL_AFTER = 100


def start_load(
    url: str, questions: list[str], halfway: threading.Event
) -> tuple[list[int | str], list[threading.Thread]]:
    """LOAD_REQUESTS searches from LOAD_THREADS clients, started; each outcome is a status or
    an error. ``halfway`` is set once KILL_AFTER of them are done."""
    outcomes: list[int | str] = []
    lock = threading.Lock()

    def client(first: int) -> None:
        with httpx.Client(base_url=url, timeout=10) as http:
            for number in range(first, LOAD_REQUESTS, LOAD_THREADS):
                # Varied k keeps repeated questions out of the result cache.
                params = {"q": questions[number % len(questions)], "k": 1 + number % 7}
                try:
                    outcome: int | str = http.get("/api/search", params=params).status_code
                except httpx.HTTPError as error:
                    outcome = repr(error)
                with lock:
                    outcomes.append(outcome)
                    if len(outcomes) == KILL_AFTER:
                        halfway.set()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    return outcomes, threads


def test_killing_a_replica_under_load_fails_no_request(
    real_index, built_site, tmp_path, dev_questions
):
    questions = [item["q"] for item in dev_questions]
    with deployment(real_index, built_site, tmp_path, render_args=UNLIMITED) as running:
        victim, survivor = running.replicas
        halfway = threading.Event()
        started = time.perf_counter()
        outcomes, threads = start_load(running.nginx.url, questions, halfway)
        try:
            assert halfway.wait(timeout=60), "the load did not reach the point of the kill"
            victim.process.kill()  # SIGKILL: no graceful shutdown, connections just drop
            killed_at = time.perf_counter() - started
        finally:
            for thread in threads:
                thread.join(timeout=120)
        elapsed = time.perf_counter() - started
        log = [line for line in running.nginx.access_log() if "/api/search" in line]
        cut_off = sum(
            "[error]" in line and "while reading response header from upstream" in line
            for line in running.nginx.log().splitlines()
        )

    failures = [outcome for outcome in outcomes if outcome != 200]
    retried = [line for line in log if re.search(r"upstream_status=\d+, ", line)]
    served_by = Counter(re.search(r"upstream=(\S+?)(?:,| )", line).group(1) for line in log)
    print(
        f"{len(outcomes)} requests in {elapsed:.1f} s, replica killed at {killed_at:.1f} s; "
        f"{len(failures)} failed; {len(retried)} retried by nginx on the other replica "
        f"({cut_off} of them cut off in flight); "
        f"first tried: {dict(served_by)}"
    )
    assert not any(thread.is_alive() for thread in threads)
    assert len(outcomes) == LOAD_REQUESTS
    assert failures == []
    # Both replicas took requests, and nginx did have to retry some on the survivor.
    assert served_by[f"127.0.0.1:{victim.port}"] > 0
    assert served_by[f"127.0.0.1:{survivor.port}"] > 0
    assert retried, "no request was retried: the kill did not hit the load"


# --- A replica that is full -------------------------------------------------------------------


def test_a_full_replicas_503_reaches_the_client_and_keeps_it_in_the_pool(
    real_index, built_site, tmp_path, dev_questions
):
    """The replica's designed "te druk" 503 is passed on with its Retry-After, and nginx doesn't
    count it as a failure: the replica stays in the pool (security review F5)."""
    questions = [item["q"] for item in dev_questions]
    one_slot = [{"KB_MAX_CONCURRENT_SEARCHES": "1"}, {}]
    with deployment(
        real_index, built_site, tmp_path, replica_env=one_slot, render_args=UNLIMITED
    ) as running:
        full, other = running.replicas
        full_address = f"127.0.0.1:{full.port}"
        stop = threading.Event()

        def keep_full(first: int) -> None:
            # Straight to the replica, past nginx: its one search slot is nearly always taken.
            # Every question is new, so none is answered from the cache. From 127.0.0.2: the
            # service runs one search at a time per client, and these must be another client
            # than the requests through nginx (127.0.0.1) to take the slot from them.
            transport = httpx.HTTPTransport(local_address="127.0.0.2")
            with httpx.Client(base_url=full.url, timeout=10, transport=transport) as http:
                number = first
                while not stop.is_set():
                    question = f"{questions[number % len(questions)]} (bezig {number})"
                    if http.get("/api/search", params={"q": question}).status_code == 503:
                        time.sleep(0.005)
                    number += 3

        threads = [threading.Thread(target=keep_full, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        responses: list[httpx.Response] = []
        try:
            with httpx.Client(base_url=running.nginx.url, timeout=10) as http:
                # Until the full replica has refused one request, then 8 more (60 at most).
                seen_503 = None
                while len(responses) < 60 and (seen_503 is None or len(responses) < seen_503 + 9):
                    question = f"{questions[len(responses) % len(questions)]} (via nginx)"
                    response = http.get("/api/search", params={"q": question, "k": 2})
                    responses.append(response)
                    if response.status_code == 503 and seen_503 is None:
                        seen_503 = len(responses) - 1
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        log = [e for e in parsed_access_log(running.nginx) if e["path"] == "/api/search"]
        error_log = running.nginx.error_log()
        healthy = httpx.get(f"{other.url}/api/health", timeout=10).status_code

    statuses = Counter(r.status_code for r in responses)
    print(f"{len(responses)} requests through nginx: {dict(statuses)}")
    print("\n".join(f"{e['status']} upstream={e['upstream']} {e['upstream_status']}" for e in log))
    assert set(statuses) <= {200, 503}, statuses
    assert len(log) == len(responses)
    full_503 = [e for e in log if "503" in e["upstream_status"]]
    assert full_503, "the full replica never answered 503: this test proved nothing"
    # nginx passed each of them on as it was, without trying the other replica...
    assert [(e["status"], e["upstream"], e["upstream_status"]) for e in full_503] == [
        ("503", full_address, "503")
    ] * len(full_503)
    refused = [r for r in responses if r.status_code == 503]
    assert len(refused) == len(full_503)
    for response in refused:
        # ...so the client gets the replica's own answer, not nginx's "niet bereikbaar".
        assert response.headers.get_list("retry-after") == ["1"]
        assert isinstance(response.json()["detail"], str)
        assert "niet bereikbaar" not in response.json()["detail"]
    # nginx kept sending requests to the full replica after its first 503...
    first = next(n for n, e in enumerate(log) if e["status"] == "503")
    assert any(e["upstream"] == full_address for e in log[first + 1 :])
    # ...and never took it (or the other one) out of the pool.
    assert "temporarily disabled" not in error_log
    assert healthy == 200


# --- TLS and the service unit -----------------------------------------------------------------


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    cert, key = directory / "cert.pem", directory / "key.pem"
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    files = ["-keyout", str(key), "-out", str(cert), "-days", "1"]
    run_checked(["openssl", "req", "-x509", *new_key, *subject, *files])
    return cert, key


def handshake(port: int, cert: Path, *, newest=None, ciphers=None) -> tuple[str, str]:
    """(TLS version, cipher) of a connection to 127.0.0.1:port; ssl.SSLError if refused."""
    context = ssl.create_default_context(cafile=str(cert))
    if newest:
        context.maximum_version = newest
    if ciphers:
        context.set_ciphers(ciphers)
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        return tls.version(), tls.cipher()[0]


def test_tls_takes_only_modern_protocols_and_ciphers(built_site, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    tls_port = free_port()
    tls = ["--tls-cert", str(cert), "--tls-key", str(key), "--tls-listen", f"127.0.0.1:{tls_port}"]
    with ExitStack() as cleanup:
        nginx = RunningNginx(tmp_path / "nginx", built_site, [free_port()], tls)  # nginx -t ran
        cleanup.callback(stop_and_show_log, nginx, "nginx")
        nginx.wait_until_serving()

        assert handshake(tls_port, cert)[0] == "TLSv1.3"
        version, cipher = handshake(tls_port, cert, newest=ssl.TLSVersion.TLSv1_2)
        assert version == "TLSv1.2"
        assert cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher)
        # nginx's default ciphers would take this one (CBC, no AEAD).
        with pytest.raises(ssl.SSLError):
            handshake(
                tls_port, cert, newest=ssl.TLSVersion.TLSv1_2, ciphers="ECDHE-ECDSA-AES128-SHA"
            )
        # (This machine's OpenSSL refuses TLS 1.0 and 1.1 on both ends anyway: not testable.)
        assert "ssl_protocols TLSv1.2 TLSv1.3;" in (nginx.prefix / "kennisbank.conf").read_text()

        https = f"https://127.0.0.1:{tls_port}"
        trusted = ssl.create_default_context(cafile=str(cert))
        response = httpx.get(f"{https}/integriteit/geschenken/", verify=trusted, timeout=10)
        assert response.status_code == 200
        assert response.headers["strict-transport-security"] == "max-age=31536000"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        response = httpx.get(f"{nginx.url}/integriteit/?q=eed", timeout=10)
        assert response.status_code == 301
        assert response.headers["location"] == f"{https}/integriteit/?q=eed"


def test_render_refuses_half_a_tls_configuration(built_site, tmp_path):
    site = ["--site-dir", str(built_site), "--upstream", "8101"]
    result = subprocess.run(
        [sys.executable, str(RENDER), *site, "--tls-cert", str(tmp_path / "cert.pem")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--tls-key" in result.stderr


def test_service_unit_raises_the_open_files_limit(tmp_path):
    unit = PROJECT_ROOT / "deploy" / "kennisbank-api@.service"
    limits = re.findall(r"^LimitNOFILE=(\d+)$", unit.read_text(), re.M)
    assert limits and int(limits[0]) >= 16384
    if shutil.which("systemd-analyze"):
        shutil.copy(unit, tmp_path / unit.name)
        (tmp_path / "kennisbank-api@8101.service").symlink_to(unit.name)
        result = subprocess.run(
            ["systemd-analyze", "verify", str(tmp_path / "kennisbank-api@8101.service")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert unit.name not in result.stdout + result.stderr, result.stderr
