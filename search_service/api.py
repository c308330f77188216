"""The HTTP API (``/api``) and, in the embedded default, the built site at ``/``."""

import asyncio
import logging
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from datetime import date
from typing import Annotated, Literal

from fastapi import BackgroundTasks, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .answers import SearchOutcome
from .catalogue import Catalogue, section_html
from .embedding import Embedder, QueryBatcher, create_embedder
from .index import read_progress
from .live_index import LiveIndex
from .sections import Section
from .settings import Settings
from .signals import SignalStore
from .site import SecurityHeaders, SiteFiles, site_content_security_policy

MAX_K = 50
# A question needs at least one letter or digit (Latin, Greek, Cyrillic, Hebrew, Arabic,
# Devanagari, Japanese, Chinese, Korean). Written out, not \p{L}, so that the OpenAPI schema
# states the same rule in a pattern every client can read.
QUESTION_PATTERN = (
    "[0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0386-\u03ff"
    "\u0400-\u0481\u048a-\u04ff\u05d0-\u05ea\u0620-\u064a\u0660-\u0669\u0904-\u0939"
    "\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\uac00-\ud7a3]"
)
EMPTY_QUERY = "De vraag is leeg: typ een vraag of een paar woorden."
TOO_COSTLY = (
    "De vraag is te lang of heeft te veel ongewone tekens. "
    "Stel een kortere vraag in gewone woorden."
)
# Dutch messages for the HTTP errors the framework raises itself.
HTTP_ERROR_MESSAGES = {
    404: "Dit adres bestaat niet in de zoekdienst. Zie /openapi.json voor wat er wel is.",
    405: "Deze methode kan hier niet. Gebruik GET (of HEAD).",
}
SERVER_ERROR = "Er ging iets mis in de zoekdienst. Probeer het later opnieuw."
DISCONNECT_CHECK_SECONDS = 0.05
log = logging.getLogger(__name__)


class BuildProgress(BaseModel):
    done: int  # texts embedded so far
    total: int  # texts to embed


class HealthResponse(BaseModel):
    # "ok"; "building" while keyword search stands in for the semantic index (mode "lexical")
    status: Literal["ok", "building"]
    mode: Literal["hybrid", "lexical"]
    sections: int
    backend: str
    model: str
    index_built_at: str | None
    progress: BuildProgress | None  # of the build in progress, while building


class SearchResult(BaseModel):
    id: str
    url: str
    title: str
    page_title: str
    breadcrumb: str
    snippet: str
    score: float


class AnswerModel(BaseModel):
    id: str
    url: str
    text: str
    score: float
    kind: Literal["fact", "short_answer", "detail", "sentence", "literal", "list"]
    # the list's items ("list"), the text's lines ("literal"), or the short answer and the
    # detail or fact after it ("detail", "fact"); else empty
    items: list[str]


class NotCoveredModel(BaseModel):
    """Without an answer card, for a question after a detail the knowledge base does not give:
    the note that says so and where to look, and the section it is next to."""

    id: str
    url: str
    note: str


class SearchResponse(BaseModel):
    query: str
    # "hybrid"; "lexical" (keywords only, fewer answer cards) while the index is being built
    mode: Literal["hybrid", "lexical"]
    results: list[SearchResult]
    answer: AnswerModel | None
    not_covered: NotCoveredModel | None = None  # only when answer is None
    took_ms: float


class ErrorResponse(BaseModel):
    detail: str


class MovedResponse(BaseModel):
    detail: str
    moved_to: str  # the section's ID now


class SectionSummary(BaseModel):
    id: str
    url: str  # relative to the site root, ends in #id
    full_url: str
    title: str
    page_title: str
    breadcrumb: str
    summary: str | None  # the section's short answer
    last_changed: date | None  # unknown without repository history


class SourceModel(BaseModel):
    title: str
    url: str


class SectionDetail(SectionSummary):
    text: str  # plain text, paragraphs separated by a blank line
    html: str  # paragraphs and lists, every text escaped
    sources: list[SourceModel]  # the page's Bronnen
    citation: str  # "Titel — Kennisbank Ambtelijk Vakmanschap, geraadpleegd op … — URL"


class FeedbackRequest(BaseModel):
    """A reader's verdict on an answer card (or on the card that said there was no answer)."""

    model_config = {"extra": "forbid"}

    question: str = Field(min_length=1, max_length=500)
    # The section the card came from; null for the "niet gevonden" card.
    section_id: str | None = Field(default=None, max_length=100, pattern=r"^[a-z0-9-]+$")
    helpful: bool
    # "Wat zocht je, of wat klopt er niet?", after "Nee".
    comment: str | None = Field(default=None, max_length=300)


def error_response(status: int, message: str) -> JSONResponse:
    """The one error shape of the API: ``{"detail": "<a sentence a person understands>"}``."""
    return JSONResponse(status_code=status, content={"detail": message})


def without_control_characters(text: str) -> str:
    """Control characters carry no meaning in a question (and NUL would cut it short)."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def strict_query_problem(request: Request) -> str | None:
    """What the lenient parsing would let through: a repeated q or k (which would silently take
    the last value), and a k that is not a plain decimal number ("5_0", "+5", "5.0")."""
    params = request.query_params
    for name in ("q", "k"):
        if len(params.getlist(name)) > 1:
            return f"Geef de parameter {name} maar één keer op."
    k = params.get("k")
    if k is not None and not (k.isascii() and k.isdigit()):
        return f"k moet een heel getal van 1 tot en met {MAX_K} zijn."
    return None


def validation_message(error: dict, settings: Settings) -> str:
    parameter = str(error.get("loc", ["", "?"])[-1])
    kind = error.get("type", "")
    if parameter == "q" and kind == "missing":
        return "Geef een vraag op in de parameter q, bijvoorbeeld /api/search?q=Wat is de ambtseed?"
    if parameter == "q" and kind in {"string_too_short", "string_pattern_mismatch"}:
        return EMPTY_QUERY
    if parameter == "q" and kind == "string_too_long":
        return f"De vraag is te lang: gebruik hoogstens {settings.max_query_chars} tekens."
    if parameter == "k":
        return f"k moet een heel getal van 1 tot en met {MAX_K} zijn."
    return f"De parameter {parameter!r} heeft een ongeldige waarde: {error.get('msg', '')}."


def create_app(settings: Settings, embedder: Embedder | None = None) -> FastAPI:
    """The application for these settings; the index is loaded and verified at startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.embedder = QueryBatcher(
            embedder or create_embedder(settings), settings.query_batch_size
        )
        live = LiveIndex(settings, app.state.embedder)
        app.state.live = live
        app.state.search_slots = threading.BoundedSemaphore(settings.max_concurrent_searches)
        app.state.client_turns = ClientTurns(settings.max_waiting_searches_per_client)
        # Questions under load: enough searches at once that the questions waiting to be
        # embedded fill a batch for each embedding thread (the most questions per second).
        app.state.search_thread = ThreadPoolExecutor(
            app.state.embedder.parallel_calls * settings.query_batch_size,
            thread_name_prefix="search",
        )
        # A lone question: on a thread whose embeddings use every core (the shortest wait).
        app.state.lone_thread = ThreadPoolExecutor(
            1, thread_name_prefix="search-alone", initializer=app.state.embedder.use_cores
        )
        store = SignalStore.from_settings(settings)
        app.state.signals = store
        app.state.catalogue = Catalogue(settings)
        if settings.signals_enabled and settings.unanswered_log.exists():
            await run_in_threadpool(store.migrate_jsonl, settings.unanswered_log)

        async def poll_for_new_index() -> None:
            while True:
                await asyncio.sleep(settings.index_poll_seconds)
                # Nothing may end this loop: one bad build would stop every later swap.
                try:
                    await run_in_threadpool(live.reload_if_published)
                except Exception:
                    log.exception("checking for a new index failed; polling goes on")

        poller = asyncio.create_task(poll_for_new_index())
        yield
        poller.cancel()
        with suppress(asyncio.CancelledError):
            await poller
        app.state.search_thread.shutdown()
        app.state.lone_thread.shutdown()
        app.state.embedder.close()
        store.close()

    app = FastAPI(
        title="Kennisbank Ambtelijk Vakmanschap — zoekdienst",
        description="Zoekt in gewone taal in de secties van de kennisbank.",
        version="1.0.0",
        lifespan=lifespan,
        responses={422: {"model": ErrorResponse}},
        # The interactive docs pages load scripts from a CDN: the schema alone is served.
        docs_url=None,
        redoc_url=None,
    )

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, validation_message(exc.errors()[0], settings))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = HTTP_ERROR_MESSAGES.get(exc.status_code, str(exc.detail))
        if isinstance(exc, HTTPException):  # raised by this module: already a Dutch sentence
            message = str(exc.detail)
        response = error_response(exc.status_code, message)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error for %s", request.url.path)
        return error_response(500, SERVER_ERROR)

    @app.head("/api/health", include_in_schema=False)
    @app.get("/api/health", response_model=HealthResponse)
    def health(request: Request) -> HealthResponse:
        live: LiveIndex = request.app.state.live
        if live.building:
            return HealthResponse(
                status="building",
                mode="lexical",
                sections=len(live.searcher.sections),
                backend=settings.backend.value,
                model=settings.resolved_model(),
                index_built_at=None,
                progress=read_progress(settings.index_dir),
            )
        manifest = live.searcher.index.manifest
        return HealthResponse(
            status="ok",
            mode="hybrid",
            sections=len(live.searcher.index.sections),
            backend=manifest["backend"],
            model=manifest["model"],
            index_built_at=manifest["built_at"],
            progress=None,
        )

    @app.head("/api/search", include_in_schema=False)
    @app.get(
        "/api/search",
        response_model=SearchResponse,
        responses={503: {"model": ErrorResponse, "description": "Te druk: probeer het zo opnieuw"}},
    )
    async def search(
        request: Request,
        background: BackgroundTasks,
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=settings.max_query_chars,
                pattern=QUESTION_PATTERN,
                description="De vraag, in gewone taal",
            ),
        ],
        k: Annotated[int, Query(ge=1, le=MAX_K, description="Aantal resultaten")] = (
            settings.default_k
        ),
    ) -> SearchResponse:
        started = time.perf_counter()
        problem = strict_query_problem(request)
        if problem:
            raise HTTPException(422, problem)
        # q has a letter or digit (QUESTION_PATTERN): zero-width and bidi marks alone ask
        # nothing, and control characters removed here are never letters.
        query = without_control_characters(q).strip()
        searcher = request.app.state.live.searcher
        # An identical question answered before costs nothing: no slot, no queue.
        outcome = searcher.cached(query, k)
        if outcome is None:
            # The embedder's cost grows faster than linearly with tokens: refuse the costly ones.
            if request.app.state.embedder.count_query_tokens(query) > settings.max_query_tokens:
                raise HTTPException(422, TOO_COSTLY)
            outcome = await search_in_a_slot(request, searcher, query, k)
        # Signals are written after the response has gone: a slow or failing store never slows
        # or fails a search (signals.py logs and swallows its errors).
        store: SignalStore = request.app.state.signals
        top_three = [hit.section.id for hit in outcome.hits[:3]]
        background.add_task(store.record_search, outcome.answer is not None, top_three)
        if outcome.answer is None:
            background.add_task(store.record_unanswered, query, client_key(request))
        return SearchResponse(
            query=query,
            mode=searcher.mode,
            results=[
                SearchResult(
                    id=hit.section.id,
                    url=hit.section.url,
                    title=hit.section.title,
                    page_title=hit.section.page_title,
                    breadcrumb=hit.section.breadcrumb,
                    snippet=hit.snippet,
                    score=round(hit.score, 6),
                )
                for hit in outcome.hits
            ],
            answer=AnswerModel(**vars(outcome.answer)) if outcome.answer else None,
            not_covered=NotCoveredModel(**vars(outcome.not_covered))
            if outcome.not_covered
            else None,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def summary_of(catalogue: Catalogue, section: Section) -> SectionSummary:
        return SectionSummary(
            id=section.id,
            url=section.url,
            full_url=catalogue.full_url(section),
            title=section.title,
            page_title=section.page_title,
            breadcrumb=section.breadcrumb,
            summary=section.short_answer or None,
            last_changed=catalogue.last_changed.get(section.id),
        )

    @app.head("/api/sections", include_in_schema=False)
    @app.get("/api/sections", response_model=list[SectionSummary])
    async def sections() -> list[SectionSummary]:
        """Every section, in site order, for course material, an LMS or a slide."""
        # Read once, with git: not on the event loop.
        catalogue: Catalogue = await run_in_threadpool(app.state.catalogue.load)
        return [summary_of(catalogue, section) for section in catalogue.sections.values()]

    @app.head("/api/sections/{section_id}", include_in_schema=False, response_model=None)
    @app.get(
        "/api/sections/{section_id}",
        response_model=SectionDetail,
        responses={
            301: {"model": MovedResponse, "description": "De sectie is verplaatst"},
            404: {"model": ErrorResponse, "description": "Onbekende sectie"},
        },
    )
    async def section(section_id: str) -> SectionDetail | JSONResponse:
        catalogue: Catalogue = await run_in_threadpool(app.state.catalogue.load)
        if section_id in catalogue.moved:
            target = catalogue.moved[section_id]
            return JSONResponse(
                status_code=301,
                content={
                    "detail": f"Deze sectie is verplaatst naar '{target}'.",
                    "moved_to": target,
                },
                headers={"Location": f"/api/sections/{target}"},
            )
        found = catalogue.sections.get(section_id)
        if found is None:
            raise HTTPException(404, f"Er is geen sectie met het ID '{section_id[:100]}'.")
        return SectionDetail(
            **summary_of(catalogue, found).model_dump(),
            text=found.text,
            html=section_html(found),
            sources=[
                SourceModel(title=s.title, url=s.url) for s in catalogue.sources[found.page_path]
            ],
            citation=catalogue.citation(found, date.today()),
        )

    @app.post("/api/feedback", status_code=204, response_class=Response)
    def feedback(request: Request, body: FeedbackRequest, background: BackgroundTasks) -> Response:
        """Heeft dit je geholpen? Stored redacted, for editors only: no endpoint reads it back.

        Written after the response: past the per-client limit, when storing is off or when the
        disk fails, the feedback is dropped (and logged), never an error for the reader.
        """
        store: SignalStore = request.app.state.signals
        background.add_task(
            store.record_feedback,
            body.question,
            body.section_id,
            body.helpful,
            body.comment,
            client_key(request),
        )
        return Response(status_code=204)

    @app.api_route("/api/{unknown:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def unknown_api_path(unknown: str) -> JSONResponse:
        return error_response(404, HTTP_ERROR_MESSAGES[404])

    if settings.serve_site and settings.site_dir.is_dir():
        app.mount("/", SiteFiles(directory=settings.site_dir, html=True), name="site")
    app.add_middleware(RefuseWhenTheTurnIsFull)
    if settings.cors_origins:
        # Added after (so around) the refusal above: its 503 carries the CORS headers too.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            # The site's search box reads it to know when a busy service can be asked again.
            expose_headers=["Retry-After"],
        )
    app.add_middleware(SecurityHeaders, policy=site_content_security_policy(settings.site_dir))
    return app


def client_key(request: Request) -> str:
    """Who is writing, for the per-client rate limit only: kept in memory, never stored."""
    return request.client.host if request.client else "onbekend"


TOO_BUSY = "De zoekdienst is even te druk. Probeer het zo opnieuw."


class ClientTurns:
    """One search at a time per client; a few more wait their turn, beyond that a 503.

    So one client, however many requests it sends, never holds more than one embedding
    thread, and everyone else is served beside it. The client is its address (behind nginx:
    the X-Forwarded-For address, which uvicorn takes from 127.0.0.1), kept in memory only.
    """

    def __init__(self, waiting_per_client: int) -> None:
        self.waiting_per_client = waiting_per_client
        self._turns: dict[str, tuple[asyncio.Lock, int]] = {}

    @property
    def pending(self) -> int:
        """Searches running or waiting their turn, of all clients."""
        return sum(queued for _, queued in self._turns.values())

    def full(self, client: str) -> bool:
        """The client has a search running and as many waiting as it may."""
        return client in self._turns and self._turns[client][1] > self.waiting_per_client

    @asynccontextmanager
    async def turn(self, client: str):
        if self.full(client):
            raise HTTPException(503, TOO_BUSY, {"Retry-After": "1"})
        lock, queued = self._turns.get(client) or (asyncio.Lock(), 0)
        self._turns[client] = (lock, queued + 1)
        try:
            async with lock:
                yield
        finally:
            lock, queued = self._turns[client]
            if queued == 1:
                del self._turns[client]
            else:
                self._turns[client] = (lock, queued - 1)


class RefuseWhenTheTurnIsFull:
    """ASGI middleware: a search from a client whose turn is full is refused before routing and
    validation, so that a flood from one client costs as little as possible and leaves the
    cores to everyone else (the endpoint would refuse it too, after more work)."""

    def __init__(self, app) -> None:
        self.app = app
        self.busy = JSONResponse(
            status_code=503, content={"detail": TOO_BUSY}, headers={"Retry-After": "1"}
        )

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/api/search":
            turns: ClientTurns | None = getattr(scope["app"].state, "client_turns", None)
            client = scope["client"][0] if scope.get("client") else "onbekend"
            if turns and turns.full(client):
                return await self.busy(scope, receive, send)
        await self.app(scope, receive, send)


async def search_in_a_slot(request: Request, searcher, query: str, k: int) -> SearchOutcome:
    """Run a search on the search threads, in the client's turn and within the bound of
    searches in flight.

    Past the bound, say so at once instead of letting a queue grow. A search whose client has
    gone before a thread starts it is skipped. (With the default settings the pool has a thread
    for every admitted search, so a search starts at once and this rarely applies; the answer
    of a search whose client left while it ran is dropped.)
    """
    turns: ClientTurns = request.app.state.client_turns
    async with turns.turn(client_key(request)):
        return await _search_in_a_slot(request, searcher, query, k)


async def _search_in_a_slot(request: Request, searcher, query: str, k: int) -> SearchOutcome:
    slots: threading.BoundedSemaphore = request.app.state.search_slots
    if not slots.acquire(blocking=False):
        raise HTTPException(503, TOO_BUSY, {"Retry-After": "1"})
    gone = threading.Event()

    # A lone question may use every core; with others waiting, each gets one.
    alone = request.app.state.client_turns.pending <= 1

    def search_unless_gone() -> SearchOutcome | None:
        return None if gone.is_set() else searcher.search(query, k)

    try:
        loop = asyncio.get_running_loop()
        # A lone question runs on the thread that uses every core; with others waiting, each
        # runs on a thread of the pool, and the questions waiting are embedded in batches.
        threads = request.app.state.lone_thread if alone else request.app.state.search_thread
        job = loop.run_in_executor(threads, search_unless_gone)
        while True:
            done, _ = await asyncio.wait({job}, timeout=DISCONNECT_CHECK_SECONDS)
            if done:
                break
            if await request.is_disconnected():
                gone.set()
        outcome = job.result()
    finally:
        slots.release()
    if outcome is None:
        raise HTTPException(499, "De vraag is niet meer nodig: de verbinding is verbroken.")
    return outcome
