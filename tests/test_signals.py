"""SignalStore (search_service/signals.py) on a real SQLite file: privacy, limits, failures,
and two processes writing at once."""

import contextlib
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from search_service import signals
from search_service.settings import PROJECT_ROOT, Settings
from search_service.signals import SignalStore

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
PERSONAL = "mijn BSN is 123456782, mail jan.jansen@example.nl of bel 06-12345678"
IP = "203.0.113.77"


def store_at(path: Path, **overrides) -> SignalStore:
    options = {"retention_days": 180, "max_rows": 1000, "writes_per_client_per_minute": 10_000}
    return SignalStore(path, **{**options, **overrides})


def questions(path: Path) -> list[str]:
    """The questions in the file, read with sqlite3 itself."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [q for (q,) in conn.execute("SELECT question FROM unanswered ORDER BY id")]


def raw_bytes(path: Path) -> bytes:
    """The database file and its -wal and -shm files, as bytes."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_personal_data_and_client_are_never_written(tmp_path: Path) -> None:
    path = tmp_path / "signals.sqlite3"
    store = store_at(path)
    assert store.record_unanswered(PERSONAL, client=IP)
    assert store.record_feedback(PERSONAL, "geschenken", False, "bel 070-1234567", client=IP)

    def check_file() -> None:
        data = raw_bytes(path)
        for secret in ["123456782", "jan.jansen", "example.nl", "12345678", "1234567", IP]:
            assert secret.encode() not in data

    check_file()  # the rows are in the -wal file now
    store.close()
    check_file()  # and in the database file after the checkpoint
    assert questions(path) == ["mijn BSN is [BSN], mail [e-mail] of bel [telefoon]"]
    with contextlib.closing(sqlite3.connect(path)) as conn:
        feedback = conn.execute("SELECT question, section_id, helpful, comment FROM feedback")
        assert feedback.fetchall() == [
            (questions(path)[0], "geschenken", 0, "bel [telefoon]"),
        ]
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_times_are_kept_to_the_hour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signals, "_now", lambda: datetime(2026, 3, 4, 15, 47, 12, tzinfo=UTC))
    with store_at(tmp_path / "s.sqlite3") as store:
        store.record_unanswered("Wie is mijn vertrouwenspersoon?", client=IP)
        store.record_feedback("Mag ik een cadeau aannemen?", None, True, None, client=IP)
        hour = datetime(2026, 3, 4, 15, tzinfo=UTC)
        assert store.unanswered_since(LONG_AGO) == [(hour, "Wie is mijn vertrouwenspersoon?")]
        assert store.feedback_since(LONG_AGO) == [
            signals.Feedback(hour, "Mag ik een cadeau aannemen?", None, True, None)
        ]


def test_searches_are_counted_per_day(tmp_path: Path) -> None:
    with store_at(tmp_path / "s.sqlite3") as store:
        for answered in [True, True, False, True]:
            store.record_search(answered)
        today = datetime.now(UTC).date()
        assert store.searches_per_day(date(2000, 1, 1)) == [(today, 4, 1)]
        store.record_search(False)
        assert store.searches_per_day(today) == [(today, 5, 2)]
        assert store.searches_per_day(today + timedelta(days=1)) == []


def test_top_sections_are_counted_per_day_with_the_searches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    monday = datetime(2026, 3, 2, 9, tzinfo=UTC)
    monkeypatch.setattr(signals, "_now", lambda: monday)
    with store_at(path) as store:
        store.record_search(True, ["geschenken", "uitnodigingen", "lobby", "vierde-telt-niet"])
        store.record_search(False, ("geschenken", "geschenken", "eed"))  # once per search
        store.record_search(True)  # no sections: only the search is counted
        monkeypatch.setattr(signals, "_now", lambda: monday + timedelta(days=1))
        store.record_search(True, ["eed"])
        assert store.top_sections_since(monday.date()) == {
            "geschenken": 2,
            "eed": 2,
            "lobby": 1,
            "uitnodigingen": 1,
        }
        assert store.top_sections_since(monday.date() + timedelta(days=1)) == {"eed": 1}
        assert store.searches_per_day(monday.date()) == [
            (monday.date(), 3, 1),
            (monday.date() + timedelta(days=1), 1, 0),
        ]
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT day, section_id, shown FROM top_sections ORDER BY 1, 2")
        assert rows.fetchall() == [
            ("2026-03-02", "eed", 1),
            ("2026-03-02", "geschenken", 2),
            ("2026-03-02", "lobby", 1),
            ("2026-03-02", "uitnodigingen", 1),
            ("2026-03-03", "eed", 1),
        ]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == signals.SCHEMA_VERSION


def test_top_sections_survive_a_locked_flush_and_old_files_get_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn:  # a file of schema version 1
        conn.execute(
            "CREATE TABLE searches (day TEXT PRIMARY KEY, searches INTEGER NOT NULL,"
            " unanswered INTEGER NOT NULL)"
        )
        conn.execute("INSERT INTO searches VALUES ('2026-03-01', 7, 2)")
        conn.commit()
    today = datetime(2026, 3, 2, 9, tzinfo=UTC)
    monkeypatch.setattr(signals, "_now", lambda: today)
    with store_at(path, busy_timeout=0.05) as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        store.record_search(True, ["eed"])
        assert not store.flush()
        other.execute("COMMIT")
        other.close()
        store.record_search(False, ["eed", "lobby"])
        assert store.top_sections_since(LONG_AGO.date()) == {"eed": 2, "lobby": 1}
        assert store.searches_per_day(LONG_AGO.date())[-1] == (today.date(), 2, 1)
    # Retention applies to them too; a disabled store counts nothing.
    monkeypatch.setattr(signals, "_now", lambda: today + timedelta(days=181))
    with store_at(path) as store:
        assert store.top_sections_since(LONG_AGO.date()) == {}
    with store_at(path, enabled=False) as store:
        store.record_search(True, ["eed"])
        assert store.top_sections_since(LONG_AGO.date()) == {}


def test_retention_deletes_old_rows_on_open_and_on_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    now = datetime.now(UTC)
    monkeypatch.setattr(signals, "_now", lambda: now - timedelta(days=200))
    with store_at(path) as store:
        store.record_unanswered("oude vraag", client=IP)
        store.record_feedback("oude vraag", None, True, None, client=IP)
        store.record_search(True)
    monkeypatch.setattr(signals, "_now", lambda: now - timedelta(days=100))
    with store_at(path) as store:
        store.record_unanswered("minder oude vraag", client=IP)
    monkeypatch.setattr(signals, "_now", lambda: now)

    with store_at(path) as store:  # on open
        assert [q for _, q in store.unanswered_since(LONG_AGO)] == ["minder oude vraag"]
        assert store.feedback_since(LONG_AGO) == []
        assert store.searches_per_day(LONG_AGO) == []

    with store_at(path, retention_days=30) as store:  # on a write, once the hour has passed
        monkeypatch.setattr(signals, "PRUNE_SECONDS", 0.0)
        store.record_unanswered("nieuwe vraag", client=IP)
        assert [q for _, q in store.unanswered_since(LONG_AGO)] == ["nieuwe vraag"]


def test_cap_keeps_the_newest_rows(tmp_path: Path) -> None:
    with store_at(tmp_path / "s.sqlite3", max_rows=5) as store:
        for n in range(12):
            assert store.record_unanswered(f"vraag {n}", client=IP)
            assert store.record_feedback(f"vraag {n}", None, True, None, client=IP)
        newest = [f"vraag {n}" for n in range(7, 12)]
        assert [q for _, q in store.unanswered_since(LONG_AGO)] == newest
        assert [f.question for f in store.feedback_since(LONG_AGO)] == newest


def test_rate_limit_per_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    minute = datetime(2026, 3, 4, 15, 47, tzinfo=UTC)
    monkeypatch.setattr(signals, "_now", lambda: minute)
    with store_at(tmp_path / "s.sqlite3", writes_per_client_per_minute=3) as store:
        assert store.record_unanswered("een", client="192.0.2.1")
        assert store.record_feedback("twee", None, True, None, client="192.0.2.1")
        assert store.record_unanswered("drie", client="192.0.2.1")
        assert not store.record_unanswered("vier", client="192.0.2.1")
        assert not store.record_feedback("vier", None, True, None, client="192.0.2.1")
        assert store.record_unanswered("ander", client="192.0.2.2")
        monkeypatch.setattr(signals, "_now", lambda: minute + timedelta(minutes=1))
        assert store.record_unanswered("vijf", client="192.0.2.1")
        assert [q for _, q in store.unanswered_since(LONG_AGO)] == ["een", "drie", "ander", "vijf"]


def test_disabled_store_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "var" / "s.sqlite3"
    jsonl = tmp_path / "unanswered.jsonl"
    jsonl.write_text(json.dumps({"at": datetime.now(UTC).isoformat(), "q": "vraag"}) + "\n")
    with store_at(path, enabled=False) as store:
        store.record_search(False)
        assert not store.record_unanswered("vraag", client=IP)
        assert not store.record_feedback("vraag", None, True, "opmerking", client=IP)
        assert store.migrate_jsonl(jsonl) == 0
        assert store.unanswered_since(LONG_AGO) == []
        assert store.searches_per_day(LONG_AGO) == []
    assert not path.parent.exists()
    assert jsonl.exists()


def test_empty_question_is_not_kept(tmp_path: Path) -> None:
    with store_at(tmp_path / "s.sqlite3") as store:
        assert not store.record_unanswered(" \n\t ", client=IP)
        assert store.unanswered_since(LONG_AGO) == []


def test_unwritable_path_does_not_raise(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "not-a-directory").write_text("")
    with caplog.at_level(logging.WARNING, logger="search_service.signals"):
        store = store_at(tmp_path / "not-a-directory" / "s.sqlite3")
        assert not store.record_unanswered("vraag", client=IP)
        assert not store.record_feedback("vraag", None, True, None, client=IP)
        store.record_search(True)
        assert not store.flush()
        store.close()
    assert "signal dropped" in caplog.text


def test_corrupt_file_does_not_raise(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"dit is geen database\n" * 500)
    store = store_at(path)
    assert not store.record_unanswered("vraag", client=IP)
    store.record_search(False)
    store.close()
    with pytest.raises(sqlite3.DatabaseError):  # the report, unlike a write, says so
        store.unanswered_since(LONG_AGO)


def test_locked_database_does_not_raise(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with store_at(path, busy_timeout=0.05) as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
        started = time.monotonic()
        assert not store.record_unanswered("eerste vraag", client=IP)
        store.record_search(True)
        assert not store.flush()
        assert time.monotonic() - started < 1.0
        other.execute("COMMIT")
        other.close()
        assert store.record_unanswered("tweede vraag", client=IP)
        assert [q for _, q in store.unanswered_since(LONG_AGO)] == ["tweede vraag"]
        today = datetime.now(UTC).date()
        assert store.searches_per_day(today) == [(today, 1, 0)]  # kept in memory meanwhile


def test_full_disk_does_not_raise(tmp_path: Path) -> None:
    with store_at(tmp_path / "s.sqlite3") as store:
        assert store._conn is not None
        # SQLite's own limit on the file size: SQLITE_FULL, like a full disk.
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        results = [store.record_unanswered("vraag " + "x" * 400, client=IP) for _ in range(40)]
        assert not all(results)
        store.record_search(True)
        store.flush()


WRITER = """
import sys, time
from pathlib import Path
from search_service.signals import SignalStore

path, name, count, start_at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
while time.time() < start_at:
    time.sleep(0.005)
# A longer wait than the default 1 s: this test is about losing nothing to concurrency, not
# about timing on a machine that may be busy with other work.
store = SignalStore(path, 180, 1_000_000, 1_000_000, busy_timeout=5.0)
kept = 0
for n in range(count):
    kept += store.record_unanswered(f"{name} vraag {n}", client=name)
    store.record_search(False)
    if n == 0:
        print("started", flush=True)
store.close()
print(kept, flush=True)
"""


def start_writer(path: Path, name: str, count: int, start_at: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(count), str(start_at)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"  # both create it: the schema is made concurrently too
    start_at = time.time() + 0.8
    writers = [start_writer(path, name, 500, start_at) for name in ["a", "b"]]
    outputs = [writer.communicate(timeout=60)[0].split() for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0]
    assert outputs == [["started", "500"], ["started", "500"]]
    stored = questions(path)
    assert len(stored) == 1000
    for name in ["a", "b"]:  # each process's rows, all of them, in its own order
        expected = [f"{name} vraag {n}" for n in range(500)]
        assert [q for q in stored if q.startswith(name)] == expected
    with store_at(path) as store:
        assert store.searches_per_day(LONG_AGO)[0][1:] == (1000, 1000)


def test_writer_killed_mid_way_leaves_a_sound_file(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    writer = start_writer(path, "a", 10_000_000, 0.0)
    assert writer.stdout is not None
    assert writer.stdout.readline() == "started\n"
    time.sleep(0.3)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM unanswered").fetchone()[0] > 1
    with store_at(path) as store:
        assert store.record_unanswered("na de crash", client=IP)
        assert store.unanswered_since(LONG_AGO)[-1][1] == "na de crash"


def test_migrate_jsonl_imports_redacted_once_and_renames(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    jsonl = tmp_path / "unanswered.jsonl"
    lines = [
        json.dumps({"at": (now - timedelta(days=3)).isoformat(), "q": PERSONAL}),
        json.dumps({"at": (now - timedelta(days=2)).isoformat(), "q": "Wat is de Beleidskompas?"}),
        json.dumps({"at": (now - timedelta(days=400)).isoformat(), "q": "te oud"}),
        json.dumps([1, 2]),
        json.dumps({"at": "gisteren", "q": "geen tijd"}),
        '{"at": "2026-11-29T19:0',  # cut short by a crash
    ]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "s.sqlite3"
    with store_at(path) as store:
        assert store.migrate_jsonl(jsonl) == 2
        assert not jsonl.exists()
        migrated = tmp_path / "unanswered.jsonl.migrated"
        assert migrated.read_text(encoding="utf-8") == "\n".join(lines) + "\n"
        assert os.stat(migrated).st_mode & 0o777 == 0o600
        assert store.migrate_jsonl(jsonl) == 0  # gone: nothing to do
    assert questions(path) == [
        "mijn BSN is [BSN], mail [e-mail] of bel [telefoon]",
        "Wat is de Beleidskompas?",
    ]
    # A replica that still sees the file (it renamed too late) does not import it again.
    migrated.rename(jsonl)
    with store_at(path) as replica:
        assert replica.migrate_jsonl(jsonl) == 0
    assert not jsonl.exists()
    assert len(questions(path)) == 2


def test_settings_have_working_defaults(tmp_path: Path) -> None:
    settings = Settings(signals_db=tmp_path / "s.sqlite3")
    assert settings.signals_enabled
    assert settings.signals_db.parent == tmp_path
    with SignalStore(
        settings.signals_db,
        settings.signals_retention_days,
        settings.signals_max_rows,
        settings.signals_writes_per_client_per_minute,
        settings.signals_enabled,
    ) as store:
        assert store.record_unanswered("vraag", client=IP)
    assert Settings().signals_db == PROJECT_ROOT / "var" / "signals.sqlite3"


def test_stores_of_several_hosts_are_copied_with_backup_and_reported_as_one(tmp_path):
    """The README's way to collect replicas' signals from several hosts: SQLite's online
    backup of each host's file, then one report over the copies."""
    copies = []
    for host, question in (("a", "Hoe vraag ik verlof aan?"), ("b", "Wat is mijn salaris?")):
        with store_at(tmp_path / f"{host}.sqlite3") as store:
            store.record_unanswered(question, client="192.0.2.1")
            store.record_search(answered=False, top_sections=["geschenken-aannemen"])
            store.record_feedback("vraag", "geschenken-aannemen", True, None, client="192.0.2.1")
            store.flush()
            copy = tmp_path / f"copy-{host}.sqlite3"
            with sqlite3.connect(store.path) as live, sqlite3.connect(copy) as target:
                live.backup(target)
            copies.append(copy)
    stores = [store_at(path) for path in copies]
    merged = signals.MergedSignals(stores)
    since = datetime.now(UTC) - timedelta(days=1)
    questions_asked = sorted(q for _, q in merged.unanswered_since(since))
    assert questions_asked == ["Hoe vraag ik verlof aan?", "Wat is mijn salaris?"]
    assert len(merged.feedback_since(since)) == 2
    assert merged.searches_per_day(since.date())[-1][1:] == (2, 2)
    assert merged.top_sections_since(since.date()) == {"geschenken-aannemen": 2}
    for store in stores:
        store.close()
