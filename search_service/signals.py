"""Readers' signals for editors, in one SQLite file: questions that got no answer, feedback on
answers, the number of searches per day, and per day how often each section was among a search's
top 3 (security review F2 and F3).

Privacy is built in:

- text is redacted (``redaction.py``) before it is written, and cut to ``MAX_TEXT_CHARS``;
- times are kept to the hour (UTC), so a row cannot be matched to a line of a web-server log;
- the ``client`` of a write (an IP address, say) is only used in memory, as a hash with a
  random per-process salt, for the rate limit; it is never written anywhere;
- rows older than ``retention_days`` are deleted (on open and at most once an hour on a write),
  and each table keeps at most ``max_rows`` rows, the newest;
- the file is created readable and writable by its owner only (0600).

Safe for several replicas on one host: WAL mode, a busy timeout, and every write its own short
``BEGIN IMMEDIATE`` transaction (a deferred one that turns into a write can fail at once with
"database is locked" instead of waiting its turn).

A write never raises: a full disk, a locked, unwritable or corrupt file is logged (at most once a
minute) and the signal is dropped, so a search never fails because of this store. Search counts
and top-3 counts are added up in memory and written at most every ``FLUSH_SECONDS`` (and on
``flush()`` and ``close()``), so a search does not touch the disk; a crash loses at most those
seconds of counts. Reads are for the editors' report (``report.py``) and do raise; no API
endpoint reads signals back.
"""

import contextlib
import functools
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .redaction import redact
from .settings import Settings

log = logging.getLogger(__name__)

# Longest question, comment or section ID kept (after redaction): the API allows 500 characters.
MAX_TEXT_CHARS = 500
MAX_SECTION_ID_CHARS = 100
# A search's first this many sections are counted as shown (the report lists the sections that
# never were).
TOP_SECTIONS = 3
# Distinct (day, section) counts kept in memory between flushes; more are dropped (section IDs
# come from the index, so this is only a bound in case a caller passes something else).
MAX_PENDING_SHOWN = 10_000
# Search counts are written at most this often.
FLUSH_SECONDS = 5.0
# Retention is applied on open and then at most this often, on a write.
PRUNE_SECONDS = 3600.0
# After a failed open (unwritable directory, corrupt file), the next try waits this long.
REOPEN_SECONDS = 10.0
# The same kind of error is logged at most this often; the others are counted.
ERROR_LOG_SECONDS = 60.0
# Distinct clients in one minute before new ones are refused (bounds the memory of the limit).
MAX_CLIENTS_PER_MINUTE = 10_000
# A write waits this long for another process's write before the signal is dropped.
BUSY_TIMEOUT_SECONDS = 1.0
SCHEMA_VERSION = 2

_SCHEMA = [
    # at: UTC, to the hour ("2026-11-29T19:00:00+00:00"); question and comment: redacted.
    """CREATE TABLE IF NOT EXISTS unanswered (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, question TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS unanswered_at ON unanswered (at)",
    """CREATE TABLE IF NOT EXISTS feedback (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, question TEXT NOT NULL, section_id TEXT,
        helpful INTEGER NOT NULL, comment TEXT)""",
    "CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at)",
    # One row per UTC day: nothing about who searched.
    """CREATE TABLE IF NOT EXISTS searches (
        day TEXT PRIMARY KEY, searches INTEGER NOT NULL, unanswered INTEGER NOT NULL)""",
    # Per UTC day, how many searches had the section among their top TOP_SECTIONS (version 2).
    """CREATE TABLE IF NOT EXISTS top_sections (
        day TEXT NOT NULL, section_id TEXT NOT NULL, shown INTEGER NOT NULL,
        PRIMARY KEY (day, section_id))""",
    # JSONL files imported by migrate_jsonl, so that no replica imports one twice.
    """CREATE TABLE IF NOT EXISTS migrated (
        path TEXT PRIMARY KEY, at TEXT NOT NULL, count INTEGER NOT NULL)""",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
]
_COUNT_SEARCHES = """INSERT INTO searches (day, searches, unanswered) VALUES (?, ?, ?)
    ON CONFLICT (day) DO UPDATE SET searches = searches + excluded.searches,
    unanswered = unanswered + excluded.unanswered"""
_COUNT_SHOWN = """INSERT INTO top_sections (day, section_id, shown) VALUES (?, ?, ?)
    ON CONFLICT (day, section_id) DO UPDATE SET shown = shown + excluded.shown"""


@dataclass(frozen=True)
class Feedback:
    at: datetime
    question: str
    section_id: str | None
    helpful: bool
    comment: str | None


def _never_raises(default: object) -> Callable:
    """Make a writing method return default instead of raising: the sqlite3 and OS errors are
    handled inside; this catches the rest (a bug must not fail a search either)."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: "SignalStore", *args: object, **kwargs: object) -> object:
            try:
                return method(self, *args, **kwargs)
            except Exception as error:
                self._log_error(method.__name__, error, exc_info=True)
                return default

        return wrapper

    return decorate


def _now() -> datetime:
    """The current time (tests replace this)."""
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    """moment in UTC; a naive datetime is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _hour(moment: datetime) -> str:
    """How a time is stored: UTC, to the hour, in a form that sorts as text."""
    return _utc(moment).replace(minute=0, second=0, microsecond=0).isoformat()


def _day(moment: date) -> str:
    return (_utc(moment).date() if isinstance(moment, datetime) else moment).isoformat()


def _clean(text: str | None, limit: int) -> str | None:
    """Whitespace collapsed, redacted, then cut to limit (cutting first could leave half an
    e-mail address that no pattern recognises); None when nothing is left."""
    if text is None:
        return None
    # The patterns are linear, but there is no reason to scan more than could be kept.
    collapsed = " ".join(text[: 4 * limit].split())
    return redact(collapsed)[:limit].strip() or None


class SignalStore:
    """Readers' signals in the SQLite file at path; see the module docstring."""

    def __init__(
        self,
        path: Path,
        retention_days: int,
        max_rows: int,
        writes_per_client_per_minute: int,
        enabled: bool = True,
        *,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ) -> None:
        if retention_days < 1 or max_rows < 1 or writes_per_client_per_minute < 1:
            raise ValueError("retention, row cap and rate limit must be at least 1")
        self.path = Path(path)
        self.retention_days = retention_days
        self.max_rows = max_rows
        self.writes_per_client_per_minute = writes_per_client_per_minute
        self.enabled = enabled
        self.busy_timeout = busy_timeout

        self._db_lock = threading.Lock()  # the connection, one thread at a time
        self._conn: sqlite3.Connection | None = None
        self._next_open = 0.0
        self._last_prune = float("-inf")
        self._last_error_logged: dict[str, float] = {}
        self._errors_not_logged = 0

        self._memory_lock = threading.Lock()  # the counters below
        self._salt = secrets.token_bytes(16)  # never stored: a restart forgets every client
        self._minute = -1
        self._writes_this_minute: dict[bytes, int] = {}
        self._pending_searches: dict[str, list[int]] = {}  # day -> [searches, unanswered]
        self._pending_shown: dict[tuple[str, str], int] = {}  # (day, section ID) -> searches
        self._last_flush = time.monotonic()

        if enabled:
            with self._db_lock:
                self._connection()  # creates the file and applies retention now

    @classmethod
    def from_settings(cls, settings: Settings) -> "SignalStore":
        return cls(
            settings.signals_db,
            retention_days=settings.signals_retention_days,
            max_rows=settings.signals_max_rows,
            writes_per_client_per_minute=settings.signals_writes_per_client_per_minute,
            enabled=settings.signals_enabled,
        )

    # -- writing ---------------------------------------------------------------------------

    @_never_raises(None)
    def record_search(self, answered: bool, top_sections: Sequence[str] = ()) -> None:
        """Count one search for today, and once each of the section IDs it showed first (the
        first TOP_SECTIONS of top_sections, best first). In memory; written every FLUSH_SECONDS."""
        if not self.enabled:
            return
        day = _day(_now())
        if isinstance(top_sections, str):
            top_sections = (top_sections,)
        shown = [str(s)[:MAX_SECTION_ID_CHARS] for s in list(top_sections)[:TOP_SECTIONS] if s]
        with self._memory_lock:
            counts = self._pending_searches.setdefault(day, [0, 0])
            counts[0] += 1
            counts[1] += 0 if answered else 1
            for section in dict.fromkeys(s for s in shown if s.strip()):
                self._count_shown(day, section, 1)
            due = time.monotonic() - self._last_flush >= FLUSH_SECONDS
        if due:
            self.flush()

    @_never_raises(False)
    def record_unanswered(self, question: str, client: str) -> bool:
        """Keep a question that got no answer, redacted. False when not kept: the store is off,
        client wrote too often this minute, the question is empty, or the write failed."""
        if not self.enabled or not self._allowed(client):
            return False
        text = _clean(question, MAX_TEXT_CHARS)
        if text is None:
            return False
        at = _hour(_now())

        def insert(conn: sqlite3.Connection) -> None:
            row = conn.execute("INSERT INTO unanswered (at, question) VALUES (?, ?)", (at, text))
            self._cap(conn, "unanswered", row.lastrowid)

        return self._write(insert)

    @_never_raises(False)
    def record_feedback(
        self, question: str, section_id: str | None, helpful: bool, comment: str | None, client: str
    ) -> bool:
        """Keep a reader's verdict on an answer; question, section ID and comment redacted.
        False when not kept (see record_unanswered)."""
        if not self.enabled or not self._allowed(client):
            return False
        text = _clean(question, MAX_TEXT_CHARS)
        if text is None:
            return False
        row_values = (
            _hour(_now()),
            text,
            _clean(section_id, MAX_SECTION_ID_CHARS),
            int(bool(helpful)),
            _clean(comment, MAX_TEXT_CHARS),
        )

        def insert(conn: sqlite3.Connection) -> None:
            row = conn.execute(
                "INSERT INTO feedback (at, question, section_id, helpful, comment)"
                " VALUES (?, ?, ?, ?, ?)",
                row_values,
            )
            self._cap(conn, "feedback", row.lastrowid)

        return self._write(insert)

    @_never_raises(False)
    def flush(self) -> bool:
        """Write the search and top-3 counts kept in memory, in one transaction. False (and
        kept for the next try) on error."""
        with self._memory_lock:
            pending, self._pending_searches = self._pending_searches, {}
            shown, self._pending_shown = self._pending_shown, {}
            self._last_flush = time.monotonic()
        if not (pending or shown) or not self.enabled:
            return True
        rows = [(day, searches, unanswered) for day, (searches, unanswered) in pending.items()]
        shown_rows = [(day, section, count) for (day, section), count in shown.items()]

        def count(conn: sqlite3.Connection) -> None:
            conn.executemany(_COUNT_SEARCHES, rows)
            conn.executemany(_COUNT_SHOWN, shown_rows)

        if self._write(count):
            return True
        with self._memory_lock:  # a locked file now and then must not lose the day's counts
            for day, (searches, unanswered) in pending.items():
                counts = self._pending_searches.setdefault(day, [0, 0])
                counts[0] += searches
                counts[1] += unanswered
            for (day, section), times in shown.items():
                self._count_shown(day, section, times)
        return False

    @_never_raises(0)
    def migrate_jsonl(self, path: Path) -> int:
        """Import an unanswered.jsonl of UnansweredLog ({"at": …, "q": …} per line) once,
        redacted, skipping lines past retention or broken; then rename it to <name>.migrated
        (mode 0600: it still holds the questions as typed). Returns the rows imported; 0 when
        the store is off, the file is missing, another replica imported it, or on an error."""
        path = Path(path)
        if not self.enabled or not path.is_file():
            return 0
        key = str(path.resolve())
        cutoff = _utc(_now()) - timedelta(days=self.retention_days)
        imported = 0

        def insert_all(conn: sqlite3.Connection) -> None:
            nonlocal imported
            if conn.execute("SELECT 1 FROM migrated WHERE path = ?", (key,)).fetchone():
                return  # another replica did it, and has (or will have) renamed the file
            last_id = None
            with path.open(encoding="utf-8", errors="replace") as lines:
                for line in lines:
                    try:
                        entry = json.loads(line)
                        at, text = _utc(datetime.fromisoformat(entry["at"])), entry["q"]
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short by a crash
                    text = _clean(text, MAX_TEXT_CHARS) if isinstance(text, str) else None
                    if text is None or at < cutoff:
                        continue
                    last_id = conn.execute(
                        "INSERT INTO unanswered (at, question) VALUES (?, ?)", (_hour(at), text)
                    ).lastrowid
                    imported += 1
                    if imported % 10_000 == 0:  # a huge file never makes a huge database
                        self._cap(conn, "unanswered", last_id)
            if last_id is not None:
                self._cap(conn, "unanswered", last_id)
            conn.execute(
                "INSERT INTO migrated (path, at, count) VALUES (?, ?, ?)",
                (key, _hour(_now()), imported),
            )

        # One transaction: a crash half-way imports nothing, and the next start tries again.
        if not self._write(insert_all):
            return 0
        done = path.with_name(path.name + ".migrated")
        try:
            path.rename(done)
            done.chmod(0o600)
        except FileNotFoundError:
            pass  # another replica renamed it first
        except OSError as error:
            self._log_error("rename after import", error)
        else:
            log.warning(
                "imported %d questions from %s; %s still holds them unredacted: delete it",
                imported,
                path,
                done,
            )
        return imported

    def close(self) -> None:
        """Write the pending search counts and close the file."""
        self.flush()
        with self._db_lock:
            self._close_connection()

    def __enter__(self) -> "SignalStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reading, for the editors' report (raises on errors) -------------------------------

    def unanswered_since(self, since: datetime) -> list[tuple[datetime, str]]:
        """(hour, question) of the unanswered questions from since on, oldest first."""
        rows = self._read(
            "SELECT at, question FROM unanswered WHERE at >= ? ORDER BY at, id", (_hour(since),)
        )
        return [(datetime.fromisoformat(at), question) for at, question in rows]

    def feedback_since(self, since: datetime) -> list[Feedback]:
        """The feedback from since on, oldest first."""
        rows = self._read(
            "SELECT at, question, section_id, helpful, comment FROM feedback WHERE at >= ?"
            " ORDER BY at, id",
            (_hour(since),),
        )
        return [
            Feedback(datetime.fromisoformat(at), question, section_id, bool(helpful), comment)
            for at, question, section_id, helpful, comment in rows
        ]

    def searches_per_day(self, since: date) -> list[tuple[date, int, int]]:
        """(UTC day, searches, unanswered searches) from since on, oldest first."""
        self.flush()
        rows = self._read(
            "SELECT day, searches, unanswered FROM searches WHERE day >= ? ORDER BY day",
            (_day(since),),
        )
        return [(date.fromisoformat(day), count, unanswered) for day, count, unanswered in rows]

    def top_sections_since(self, since: date) -> dict[str, int]:
        """Section ID -> how many searches from since (a UTC day) on had it among their top
        TOP_SECTIONS, most shown first. A section that was never shown is absent."""
        self.flush()
        rows = self._read(
            "SELECT section_id, SUM(shown) FROM top_sections WHERE day >= ?"
            " GROUP BY section_id ORDER BY SUM(shown) DESC, section_id",
            (_day(since),),
        )
        return {section: int(shown) for section, shown in rows}

    def _read(self, sql: str, parameters: tuple) -> list[tuple]:
        if not self.path.exists():
            return []
        with self._db_lock:
            if self._conn is None:
                self._conn = self._open()
            return self._conn.execute(sql, parameters).fetchall()

    # -- inside ----------------------------------------------------------------------------

    def _count_shown(self, day: str, section: str, times: int) -> None:
        """Add to a pending top-3 count; the caller holds _memory_lock."""
        key = (day, section)
        if key in self._pending_shown or len(self._pending_shown) < MAX_PENDING_SHOWN:
            self._pending_shown[key] = self._pending_shown.get(key, 0) + times

    def _allowed(self, client: str) -> bool:
        """Whether client may write once more this minute (fixed one-minute windows)."""
        minute = int(_now().timestamp() // 60)
        key = hashlib.blake2b(
            client.encode("utf-8", "surrogatepass"), key=self._salt, digest_size=16
        ).digest()
        with self._memory_lock:
            if minute != self._minute:
                self._minute = minute
                self._writes_this_minute.clear()
            writes = self._writes_this_minute.get(key, 0)
            if writes >= self.writes_per_client_per_minute:
                return False
            if writes == 0 and len(self._writes_this_minute) >= MAX_CLIENTS_PER_MINUTE:
                return False
            self._writes_this_minute[key] = writes + 1
            return True

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Owner only; SQLite gives the -wal and -shm files the same mode.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            mode = self._switch_to_wal(conn)
            if mode != "wal":
                log.warning("%s: journal mode %s instead of wal", self.path, mode)
            # In WAL mode NORMAL survives a crash of the process; only a power cut may lose
            # the last writes (never the file).
            conn.execute("PRAGMA synchronous = NORMAL")
            # Give the disk back after a burst instead of keeping a large -wal file.
            conn.execute("PRAGMA journal_size_limit = 4194304")
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA:
                    conn.execute(statement)
                self._prune(conn)
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        except BaseException:
            conn.close()
            raise
        self._last_prune = time.monotonic()
        return conn

    def _switch_to_wal(self, conn: sqlite3.Connection) -> str:
        """PRAGMA journal_mode = WAL, retried while another process holds the lock: SQLite does
        not wait for its busy timeout here, and two replicas that start together both try."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def _connection(self) -> sqlite3.Connection | None:
        """The open connection, opened now if need be; None (logged) if it cannot be."""
        if self._conn is None and time.monotonic() >= self._next_open:
            try:
                self._conn = self._open()
            except (sqlite3.Error, OSError) as error:
                self._next_open = time.monotonic() + REOPEN_SECONDS
                self._log_error("open", error)
        return self._conn

    def _close_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> bool:
        """work in one short write transaction, with retention when due. False on any error,
        which is logged and swallowed."""
        with self._db_lock:
            conn = self._connection()
            if conn is None:
                return False
            prune = time.monotonic() - self._last_prune >= PRUNE_SECONDS
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    work(conn)
                    if prune:
                        self._prune(conn)
                    conn.execute("COMMIT")
                finally:
                    if conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            conn.execute("ROLLBACK")
            except (sqlite3.Error, OSError) as error:
                self._log_error("write", error)
                if not isinstance(error, sqlite3.OperationalError):
                    # Not "locked" or "full" but, say, "file is not a database": open it anew
                    # later, in case it has been repaired or replaced.
                    self._close_connection()
                    self._next_open = time.monotonic() + REOPEN_SECONDS
                return False
            if prune:
                self._last_prune = time.monotonic()
            return True

    def _prune(self, conn: sqlite3.Connection) -> None:
        """Delete what is older than the retention period."""
        cutoff = _utc(_now()) - timedelta(days=self.retention_days)
        conn.execute("DELETE FROM unanswered WHERE at < ?", (_hour(cutoff),))
        conn.execute("DELETE FROM feedback WHERE at < ?", (_hour(cutoff),))
        conn.execute("DELETE FROM searches WHERE day < ?", (_day(cutoff),))
        conn.execute("DELETE FROM top_sections WHERE day < ?", (_day(cutoff),))

    def _cap(self, conn: sqlite3.Connection, table: str, last_id: int | None) -> None:
        """Keep the newest max_rows rows of table. Rows are only added at the end and removed
        from the start, so their IDs are consecutive and this needs no count."""
        if last_id is not None:
            conn.execute(f"DELETE FROM {table} WHERE id <= ?", (last_id - self.max_rows,))

    def _log_error(self, action: str, error: Exception, exc_info: bool = False) -> None:
        """Log error, at most once a minute per kind; the rest are counted in the next line."""
        kind = f"{action}: {type(error).__name__}: {error}"
        now = time.monotonic()
        if now - self._last_error_logged.get(kind, float("-inf")) < ERROR_LOG_SECONDS:
            self._errors_not_logged += 1
            return
        if len(self._last_error_logged) > 100:  # the message may hold varying text
            self._last_error_logged.clear()
        self._last_error_logged[kind] = now
        suppressed, self._errors_not_logged = self._errors_not_logged, 0
        log.warning(
            "signals %s: %s failed, signal dropped (%s: %s; %d similar errors not logged)",
            self.path,
            action,
            type(error).__name__,
            error,
            suppressed,
            exc_info=exc_info,
        )


class MergedSignals:
    """The read side of several stores as one, for the report.

    Replicas on several hosts each keep their own file. Copy them to one place while they run
    with SQLite's online backup (`sqlite3 var/signals.sqlite3 ".backup host-a.sqlite3"`) and
    report on all of them: `report --store host-a.sqlite3 --store host-b.sqlite3`.
    """

    def __init__(self, stores: Sequence["SignalStore"]) -> None:
        self.stores = list(stores)

    def unanswered_since(self, since: datetime) -> list[tuple[datetime, str]]:
        rows = [row for store in self.stores for row in store.unanswered_since(since)]
        return sorted(rows, key=lambda row: row[0])

    def feedback_since(self, since: datetime) -> list[Feedback]:
        rows = [row for store in self.stores for row in store.feedback_since(since)]
        return sorted(rows, key=lambda row: row.at)

    def searches_per_day(self, since: date) -> list[tuple[date, int, int]]:
        totals: dict[date, list[int]] = {}
        for store in self.stores:
            for day, searches, unanswered in store.searches_per_day(since):
                counts = totals.setdefault(day, [0, 0])
                counts[0] += searches
                counts[1] += unanswered
        return [(day, *totals[day]) for day in sorted(totals)]

    def top_sections_since(self, since: date) -> dict[str, int]:
        shown: dict[str, int] = {}
        for store in self.stores:
            for section_id, count in store.top_sections_since(since).items():
                shown[section_id] = shown.get(section_id, 0) + count
        return dict(sorted(shown.items(), key=lambda item: -item[1]))
