"""The index a running service answers from, swapped without a restart when a build is published.

``build-index`` publishes a build by replacing the ``index_dir`` symlink. Each replica notices the
new target, loads and verifies it beside the old one, and then swaps one attribute: requests in
flight finish on the searcher they started with, new ones use the new index. A build that does
not verify is logged and ignored; the old index keeps serving.

Before the first index of a fresh checkout is published, keyword search (BM25) answers, and
the log and /api/health say how far the build is.
"""

import logging
import time
from pathlib import Path

from .answers import KeywordSearcher, Searcher
from .embedding import Embedder
from .index import (
    MANIFEST,
    IndexUnavailable,
    load_verified_index,
    read_listed_lines,
    read_progress,
    searchable_sections,
)
from .settings import Settings
from .silence import SilenceModelError

log = logging.getLogger(__name__)
PROGRESS_LOG_SECONDS = 10.0


class LiveIndex:
    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.searcher: Searcher | KeywordSearcher
        self._last_report = float("-inf")
        if (settings.index_dir / MANIFEST).exists():
            self.published: Path | None = settings.index_dir.resolve()
            self.searcher = self._load()
        else:
            # A fresh checkout: search by keywords until build-index publishes an index.
            self.published = None
            self.searcher = KeywordSearcher(
                searchable_sections(settings),
                read_listed_lines(settings.rijk_names),
                read_listed_lines(settings.everyday_names),
                read_listed_lines(settings.abbreviations),
            )
            log.warning(
                "no semantic index yet at %s: searching by keywords until one is published",
                settings.index_dir,
            )

    @property
    def building(self) -> bool:
        return isinstance(self.searcher, KeywordSearcher)

    def _report_progress(self) -> None:
        """While keyword search stands in, say in the log how far the build is."""
        progress = read_progress(self.settings.index_dir) if self.building else None
        now = time.monotonic()
        if progress and progress["total"] and now - self._last_report >= PROGRESS_LOG_SECONDS:
            self._last_report = now
            done, total = progress["done"], progress["total"]
            log.warning(
                "semantic index: %d%% (%d/%d texts embedded)", 100 * done // total, done, total
            )

    def _load(self) -> Searcher:
        index = load_verified_index(self.settings, dimension=self.embedder.dim)
        searcher = Searcher(index, self.embedder, self.settings)
        # The first embedding pays one-off set-up costs (~1.5 s): not on a user's question.
        searcher.search("opwarmen", 1)
        return searcher

    def reload_if_published(self) -> bool:
        """Load a newly published build, if any; True when the live index changed.

        Never raises: whatever goes wrong is logged and the old index keeps serving. A broken
        build is tried once, not on every poll; the next build published is tried again.
        """
        try:
            published = self.settings.index_dir.resolve()
        except Exception as error:  # a symlink loop, a directory that cannot be read
            log.error("cannot tell which index is published, the old one keeps serving: %s", error)
            return False
        if published == self.published or not (published / MANIFEST).exists():
            self._report_progress()
            return False
        self.published = published
        try:
            searcher = self._load()
        except (IndexUnavailable, SilenceModelError) as error:
            log.error("new index not loaded, the old one keeps serving: %s", error)
            return False
        except Exception as error:
            log.error(
                "new index at %s not loaded, the old one keeps serving: %s: %s",
                published,
                type(error).__name__,
                " ".join(str(error).split()),
                exc_info=True,
            )
            return False
        self.searcher = searcher
        log.warning(
            "now serving index built at %s (%s)", searcher.index.manifest.get("built_at"), published
        )
        return True
