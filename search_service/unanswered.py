"""Questions the knowledge base could not answer, for editors: what content is missing?

Each unanswered question is appended as one JSON line (time and question only: no address or
other data about the person asking). Appends of one short line are atomic, so replicas can share
the file.
"""

import json
import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path


class UnansweredLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, question: str) -> None:
        line = json.dumps(
            {"at": datetime.now(UTC).isoformat(timespec="seconds"), "q": question},
            ensure_ascii=False,
        )
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as log:
                log.write(line + "\n")

    def most_asked(self, limit: int) -> list[tuple[str, int]]:
        """The questions asked most often, case and spacing ignored."""
        if not self.path.exists():
            return []
        counts: Counter[str] = Counter()
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                counts[" ".join(json.loads(line)["q"].lower().split())] += 1
            except (ValueError, KeyError, AttributeError):
                continue  # a line cut short by a crash is skipped, not fatal
        return counts.most_common(limit)
