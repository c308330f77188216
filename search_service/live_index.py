"""The index a running service answers from, swapped without a restart when a build is published.

``build-index`` publishes a build by replacing the ``index_dir`` symlink. Each replica notices the
new target, loads and verifies it beside the old one, and then swaps one attribute: requests in
flight finish on the searcher they started with, new ones use the new index. A build that does
not verify is logged and ignored; the old index keeps serving.
"""

import logging
from pathlib import Path

from .answers import Searcher
from .embedding import Embedder
from .index import IndexUnavailable, load_verified_index
from .settings import Settings

log = logging.getLogger(__name__)


class LiveIndex:
    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.published: Path = settings.index_dir.resolve()
        self.searcher = self._load()

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
        if published == self.published:
            return False
        self.published = published
        try:
            searcher = self._load()
        except IndexUnavailable as error:
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
