"""The HTTP API (``/api``) and, in the embedded default, the built site at ``/``."""

import asyncio
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from typing import Annotated, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from .answers import SearchOutcome
from .embedding import Embedder, create_embedder
from .live_index import LiveIndex
from .settings import Settings
from .unanswered import UnansweredLog

MAX_K = 50
EMPTY_QUERY = "De vraag is leeg: typ een vraag of een paar woorden."


class HealthResponse(BaseModel):
    status: str
    sections: int
    backend: str
    model: str
    index_built_at: str


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
    kind: Literal["short_answer", "detail", "sentence", "literal", "list"]
    # the list's items ("list"), the text's lines ("literal"), or the short answer and the
    # detail after it ("detail"); else empty
    items: list[str]


class SearchResponse(BaseModel):
    query: str
    results: list[SearchResult]
    answer: AnswerModel | None
    took_ms: float


class ErrorResponse(BaseModel):
    detail: str


def error_response(status: int, message: str) -> JSONResponse:
    """The one error shape of the API: ``{"detail": "<a sentence a person understands>"}``."""
    return JSONResponse(status_code=status, content={"detail": message})


def without_control_characters(text: str) -> str:
    """Control characters carry no meaning in a question (and NUL would cut it short)."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


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
        live = LiveIndex(settings, embedder or create_embedder(settings))
        app.state.live = live
        app.state.search_slots = threading.BoundedSemaphore(settings.max_concurrent_searches)
        # One thread does all searching: the embedder runs one query at a time anyway, and
        # its OpenMP worker team stays warm on one thread instead of one team per pool thread
        # (measured: HTTP p50 28 ms on the shared pool, see README).
        app.state.search_thread = ThreadPoolExecutor(
            settings.search_threads, thread_name_prefix="search"
        )
        app.state.unanswered = UnansweredLog(settings.unanswered_log)

        async def poll_for_new_index() -> None:
            while True:
                await asyncio.sleep(settings.index_poll_seconds)
                await run_in_threadpool(live.reload_if_published)

        poller = asyncio.create_task(poll_for_new_index())
        yield
        poller.cancel()
        with suppress(asyncio.CancelledError):
            await poller
        app.state.search_thread.shutdown()

    app = FastAPI(
        title="Kennisbank Ambtelijk Vakmanschap — zoekdienst",
        description="Zoekt in gewone taal in de secties van de kennisbank.",
        version="1.0.0",
        lifespan=lifespan,
        responses={422: {"model": ErrorResponse}},
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET"]
        )

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, validation_message(exc.errors()[0], settings))

    @app.exception_handler(HTTPException)
    async def on_http_error(request: Request, exc: HTTPException) -> JSONResponse:
        response = error_response(exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    @app.get("/api/health", response_model=HealthResponse)
    def health(request: Request) -> HealthResponse:
        searcher = request.app.state.live.searcher
        manifest = searcher.index.manifest
        return HealthResponse(
            status="ok",
            sections=len(searcher.index.sections),
            backend=manifest["backend"],
            model=manifest["model"],
            index_built_at=manifest["built_at"],
        )

    @app.get(
        "/api/search",
        response_model=SearchResponse,
        responses={503: {"model": ErrorResponse, "description": "Te druk: probeer het zo opnieuw"}},
    )
    async def search(
        request: Request,
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=settings.max_query_chars,
                # At least one character that is neither white space nor a control character.
                pattern=r"[^\s\x00-\x1f\x7f]",
                description="De vraag, in gewone taal",
            ),
        ],
        k: Annotated[int, Query(ge=1, le=MAX_K, description="Aantal resultaten")] = (
            settings.default_k
        ),
    ) -> SearchResponse:
        started = time.perf_counter()
        query = without_control_characters(q).strip()
        slots: threading.BoundedSemaphore = request.app.state.search_slots
        # Past the bound, say so at once instead of letting a queue grow without limit.
        if not slots.acquire(blocking=False):
            raise HTTPException(
                503, "De zoekdienst is even te druk. Probeer het zo opnieuw.", {"Retry-After": "1"}
            )
        try:
            # Embedding runs in a worker thread, so it never blocks the event loop.
            outcome: SearchOutcome = await asyncio.get_running_loop().run_in_executor(
                request.app.state.search_thread, request.app.state.live.searcher.search, query, k
            )
        finally:
            slots.release()
        if outcome.answer is None:
            await run_in_threadpool(request.app.state.unanswered.record, query)
        return SearchResponse(
            query=query,
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
            took_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    if settings.serve_site and settings.site_dir.is_dir():
        app.mount("/", StaticFiles(directory=settings.site_dir, html=True), name="site")
    return app
