"""Command line: ``python -m search_service build-site | build-index | prepare | serve | search``.

Expected failures print one sentence that says what is wrong and exit non-zero.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from .embedding import create_embedder, usable_cores
from .index import (
    FIX_COMMAND,
    MANIFEST,
    IndexUnavailable,
    build_index,
    file_digests,
    index_is_current,
    read_manifest,
    verify_manifest,
)
from .sections import ContentError
from .settings import PROJECT_ROOT, Settings
from .silence import SilenceModel, SilenceModelError
from .site import SiteBuildFailed, build_site, site_is_current


def command_build_site(settings: Settings, args: argparse.Namespace) -> None:
    if args.if_stale and site_is_current(settings):
        print("Site is up to date.")
        return
    started = time.perf_counter()
    build_site(settings)
    print(f"Site built in {time.perf_counter() - started:.1f} s: {settings.site_dir}")


def command_build_index(settings: Settings, args: argparse.Namespace) -> None:
    if args.if_stale and index_is_current(settings):
        print("Search index is up to date.")
        return
    started = time.perf_counter()
    # One single-core handle per core: batches run side by side (embed_cached).
    embedder = create_embedder(settings, handles=usable_cores())
    manifest = build_index(settings, embedder, progress=not args.quiet)
    print(
        f"Index built in {time.perf_counter() - started:.1f} s: {manifest['sections']} sections, "
        f"{manifest['embedded_texts']} texts embedded (rest from cache), "
        f"backend {manifest['backend']}."
    )


def command_prepare(settings: Settings, args: argparse.Namespace) -> None:
    """Build the site and the index when they are missing or older than docs/."""
    args.if_stale = True
    command_build_site(settings, args)
    command_build_index(settings, args)


def command_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from .api import create_app

    index_dir = settings.index_dir.resolve()
    if (index_dir / MANIFEST).exists():
        verify_manifest(read_manifest(index_dir), settings, index_dir)
    else:
        print(
            f"No search index at {settings.index_dir} yet: keyword search until "
            f"'{FIX_COMMAND}' publishes one (it goes live without a restart).",
            flush=True,
        )
    SilenceModel.for_settings(settings)  # a bad model fails here in one line, before uvicorn
    where = "site and API" if settings.serve_site else "API"
    print(f"Serving {where} on http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        http=idle_timeout_protocol(),
        timeout_keep_alive=settings.keep_alive_seconds,
        limit_concurrency=settings.max_connections,
        server_header=False,
    )


def idle_timeout_protocol():
    """uvicorn's HTTP/1.1 protocol, with two changes:

    - the keep-alive timeout also starts when a connection opens: uvicorn itself never closes
      a connection that sends no request at all, so idle connections could use up the file
      descriptors (security review, F6);
    - a response's head and body leave in one write (see ``OneWritePerStep``).
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class IdleTimeoutHttpToolsProtocol(HttpToolsProtocol):
        def connection_made(self, transport) -> None:
            super().connection_made(OneWritePerStep(transport, self.loop))
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive, self.timeout_keep_alive_handler
            )

    return IdleTimeoutHttpToolsProtocol


class OneWritePerStep:
    """A connection's transport whose writes of one event-loop step go out as one write.

    uvicorn writes a response's head and its body separately. Between the two writes the
    event loop's thread may wait for the GIL while a search thread computes, so a replica
    killed then has sent nginx a head without a body: nginx has already passed the head on and
    can no longer try the other replica, and the client gets a cut-off answer (seen once in CI).
    Written together, an answer that fits the socket's buffer (every API answer does) reaches
    the kernel in one call: a kill before it leaves nothing, which nginx retries elsewhere;
    after it, the whole answer is on its way. Everything else is the transport's own.
    """

    # uvicorn's own high-water mark: past it the bytes go out at once, so that the transport's
    # flow control still holds back an app that writes much in one step.
    FLUSH_AT = 64 * 1024

    def __init__(self, transport, loop) -> None:
        self._transport = transport
        self._loop = loop
        self._waiting: list[bytes] = []
        self._waiting_size = 0

    def write(self, data: bytes) -> None:
        if not self._waiting:
            self._loop.call_soon(self._flush)
        self._waiting.append(bytes(data))
        self._waiting_size += len(data)
        if self._waiting_size >= self.FLUSH_AT:
            self._flush()

    def writelines(self, pieces) -> None:
        for data in pieces:
            self.write(data)

    def close(self) -> None:
        self._flush()  # a response written just before the close still goes out whole
        self._transport.close()

    def _flush(self) -> None:
        if self._waiting:
            pieces, self._waiting, self._waiting_size = self._waiting, [], 0
            if not self._transport.is_closing():
                self._transport.writelines(pieces)  # uvloop sends them without joining

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


def command_search(settings: Settings, args: argparse.Namespace) -> None:
    from .answers import Searcher
    from .index import load_verified_index

    embedder = create_embedder(settings, handles=1)
    searcher = Searcher(load_verified_index(settings, embedder.dim), embedder, settings)
    outcome = searcher.search(args.question, args.k)
    if outcome.answer:
        print(f"Antwoord: {outcome.answer.text}\n  {outcome.answer.url}\n")
    else:
        print("Geen zeker antwoord gevonden.\n")
    for rank, hit in enumerate(outcome.hits, 1):
        print(f"{rank:2}. {hit.score:.4f}  {hit.section.breadcrumb}\n    {hit.section.url}")
    if args.json:
        print(json.dumps([h.section.id for h in outcome.hits]))


def command_eval(settings: Settings, args: argparse.Namespace) -> None:
    from .answers import Searcher
    from .index import load_verified_index
    from .measure.evaluation import MODES, evaluate, format_report, load_questions

    questions = [question for path in args.questions for question in load_questions(path)]
    embedder = create_embedder(settings, handles=1)
    searcher = Searcher(load_verified_index(settings, embedder.dim), embedder, settings)
    for mode in MODES if args.compare else ("hybrid",):
        print(format_report(evaluate(searcher, questions, mode), questions), end="\n\n")


def command_calibrate_silence(settings: Settings, args: argparse.Namespace) -> None:
    from .answers import Searcher
    from .index import load_verified_index
    from .measure.calibration import (
        fit_measured,
        format_counts,
        left_out_counts,
        measure,
        tuning_sets,
    )
    from .silence import input_digests

    paths = tuning_sets(args.eval_dir)
    embedder = create_embedder(settings, handles=1)
    # The rules alone decide while the features are measured: the model must not judge itself.
    rules_only = settings.model_copy(update={"answer_max_outside_probability": 1.0})
    searcher = Searcher(load_verified_index(settings, embedder.dim), embedder, rules_only)
    measured = measure(searcher, paths, settings.default_k)
    print(format_counts(left_out_counts(measured), measured))
    # a model fitted before a list or a set changed is stale (tests/test_silence.py)
    inputs = input_digests(settings) | file_digests(paths)
    model = fit_measured(measured, settings.resolved_model(), inputs)
    model.save(settings.silence_model)
    print(f"Fitted on all {len(measured)} questions: {settings.silence_model}")


def command_bench(settings: Settings, args: argparse.Namespace) -> None:
    import json

    from .measure.bench import format_bench, run_bench

    result = run_bench(settings)
    print(format_bench(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


def command_eval_builtin(settings: Settings, args: argparse.Namespace) -> None:
    from .measure.builtin_search import compare_pipelines
    from .measure.evaluation import format_report, load_questions

    questions = [question for path in args.questions for question in load_questions(path)]
    in_scope = [question for question in questions if question.expect]
    for report in compare_pipelines(settings, questions, args.port):
        print(format_report(report, in_scope, show_misses=args.misses), end="\n\n")


def command_unanswered(settings: Settings, args: argparse.Namespace) -> None:
    from collections import Counter
    from datetime import UTC, datetime, timedelta

    from .signals import SignalStore

    store = SignalStore.from_settings(settings)
    since = datetime.now(UTC) - timedelta(days=args.days)
    asked = Counter(" ".join(q.lower().split()) for _, q in store.unanswered_since(since))
    store.close()
    if not asked:
        print(f"No unanswered questions in the last {args.days} days ({settings.signals_db}).")
    for question, count in asked.most_common(args.limit):
        print(f"{count:>5}  {question}")


def since_period(text: str):
    """--since: 7d, 30d, 12w."""
    from .report import parse_since

    try:
        return parse_since(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def command_report(settings: Settings, args: argparse.Namespace) -> None:
    from .index import searchable_sections
    from .report import TOPIC_THRESHOLD, build_report, render_html, report_json, write_private
    from .signals import MergedSignals, SignalStore

    started = time.perf_counter()
    # Only reads (and the retention that applies on open): the report never writes signals.
    read_only = settings.model_copy(update={"signals_enabled": False})
    paths = args.store or [settings.signals_db]
    stores = [
        SignalStore.from_settings(read_only.model_copy(update={"signals_db": path}))
        for path in paths
    ]
    store = MergedSignals(stores)
    try:
        report = build_report(
            store,
            searchable_sections(settings),
            create_embedder(settings, handles=1),
            args.since,
            threshold=TOPIC_THRESHOLD if args.threshold is None else args.threshold,
        )
    finally:
        for each in stores:
            each.close()
    write_private(args.out, render_html(report, args.site_url))
    written = [str(args.out)]
    if args.json is not None:
        data = report_json(report)
        if str(args.json) == "-":
            sys.stdout.write(data)
            return
        json_path = args.out.with_suffix(".json") if args.json == Path() else args.json
        write_private(json_path, data)
        written.append(str(json_path))
    print(
        f"Report of {report.days} days written to {' and '.join(written)} in "
        f"{time.perf_counter() - started:.1f} s: {report.unanswered_questions_kept} unanswered "
        f"questions in {len(report.topics) + report.topics_left_out} topics, "
        f"{report.helpful + report.unhelpful} answers rated ({', '.join(map(str, paths))})."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m search_service")
    commands = parser.add_subparsers(dest="command", required=True)
    site = commands.add_parser("build-site", help="build the MkDocs site (strict)")
    site.add_argument("--if-stale", action="store_true", help="only when docs/ changed")
    site.set_defaults(run=command_build_site)
    index = commands.add_parser("build-index", help="build the search index from docs/")
    index.add_argument("--if-stale", action="store_true", help="only when docs/ changed")
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.set_defaults(run=command_build_index)
    prepare = commands.add_parser("prepare", help="build site and index when stale")
    prepare.add_argument("--quiet", action="store_true", help="no progress bar")
    prepare.set_defaults(run=command_prepare)
    serve = commands.add_parser("serve", help="serve the site at / and the API at /api")
    serve.set_defaults(run=command_serve)
    search = commands.add_parser("search", help="ask one question on the command line")
    search.add_argument("question")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--json", action="store_true", help="also print the IDs as JSON")
    search.set_defaults(run=command_search)
    evaluation = commands.add_parser("eval", help="measure search quality on a question set")
    evaluation.add_argument(
        "questions", type=Path, nargs="+", help="YAML files in the format of dev.yml"
    )
    evaluation.add_argument(
        "--compare", action="store_true", help="dense-only, BM25-only and hybrid side by side"
    )
    evaluation.set_defaults(run=command_eval)
    builtin = commands.add_parser(
        "eval-builtin", help="the same measurement for Material's built-in search (Chromium)"
    )
    builtin.add_argument("questions", type=Path, nargs="+", help="YAML like dev.yml")
    builtin.add_argument("--port", type=int, default=8765, help="for the static server")
    builtin.add_argument("--misses", action="store_true", help="list every miss")
    builtin.set_defaults(run=command_eval_builtin)
    unanswered = commands.add_parser(
        "unanswered", help="the questions that got no answer, most asked first"
    )
    unanswered.add_argument("--limit", type=int, default=50)
    unanswered.add_argument("--days", type=int, default=30, help="look back this many days")
    unanswered.set_defaults(run=command_unanswered)
    report = commands.add_parser(
        "report", help="the editors' report of readers' signals, as one HTML page (and JSON)"
    )
    report.add_argument(
        "--since", type=since_period, default="30d", help="look back: 7d, 30d, 12w (30d)"
    )
    report.add_argument("--out", type=Path, default=Path("report.html"), help="the HTML file")
    report.add_argument(
        "--store",
        type=Path,
        action="append",
        help="a signal store to read (repeat for copies from several hosts; KB_SIGNALS_DB)",
    )
    report.add_argument(
        "--json",
        type=Path,
        nargs="?",
        const=Path(),
        help="also the same data as JSON: to this file, next to --out without one, - for stdout",
    )
    report.add_argument(
        "--site-url",
        default=os.environ.get("KB_SITE_URL", ""),
        help="link sections to the site at this URL (default: KB_SITE_URL; none: no links)",
    )
    report.add_argument(
        "--threshold", type=float, help="mean cosine similarity that makes one topic (0.88)"
    )
    report.set_defaults(run=command_report)
    calibrate = commands.add_parser(
        "calibrate-silence", help="fit the silence model on the tuning sets in eval/"
    )
    calibrate.add_argument(
        "--eval-dir", type=Path, default=PROJECT_ROOT / "eval", help="where the sets are (eval/)"
    )
    calibrate.set_defaults(run=command_calibrate_silence)
    bench = commands.add_parser("bench", help="measure latency, throughput, builds and memory")
    bench.add_argument("--json", type=Path, help="also write the figures to this file")
    bench.set_defaults(run=command_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
        args.run(settings, args)
    except ValidationError as error:
        first = error.errors()[0]
        name = "KB_" + str(first["loc"][0]).upper()
        print(f"error: setting {name} is invalid: {first['msg']}", file=sys.stderr)
        return 2
    except (IndexUnavailable, ContentError, SiteBuildFailed, SilenceModelError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        # bench and eval-builtin need the measurement extra, which a base install lacks.
        print(
            f"error: {args.command} needs the module {error.name!r}: "
            "pip install -e '.[measure]' (scripts/setup dev installs it)",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
