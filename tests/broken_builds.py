"""Ways to break a copy of a published index build, and to publish it as build-index does.

Each break updates the checksums in the manifest where it changes a data file, so that only the
check it is aimed at can catch it.
"""

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

from search_service.index import (
    DATA_FILES,
    MANIFEST,
    OUTSIDE_QUESTION_VECTORS,
    OUTSIDE_VECTORS,
    PIECE_VECTORS,
    QUESTION_VECTORS,
    SENTENCE_VECTORS,
)

VECTOR_FILES = (
    PIECE_VECTORS,
    SENTENCE_VECTORS,
    QUESTION_VECTORS,
    OUTSIDE_VECTORS,
    OUTSIDE_QUESTION_VECTORS,
)


def read_manifest(build: Path):
    return json.loads((build / MANIFEST).read_text(encoding="utf-8"))


def write_manifest(build: Path, manifest) -> None:
    (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def update_checksums(build: Path) -> None:
    manifest = read_manifest(build)
    manifest["files"] = {
        name: hashlib.sha256((build / name).read_bytes()).hexdigest() for name in DATA_FILES
    }
    write_manifest(build, manifest)


def change_manifest(**changes) -> Callable[[Path], None]:
    def change(build: Path) -> None:
        write_manifest(build, {**read_manifest(build), **changes})

    return change


def without_key(key: str) -> Callable[[Path], None]:
    def remove(build: Path) -> None:
        manifest = read_manifest(build)
        del manifest[key]
        write_manifest(build, manifest)

    return remove


def manifest_is(value) -> Callable[[Path], None]:
    return lambda build: write_manifest(build, value)


def read_vectors(build: Path, name: str) -> np.ndarray:
    if name == PIECE_VECTORS:
        index = faiss.read_index(str(build / name))
        return index.reconstruct_n(0, index.ntotal)
    return np.load(build / name)


def write_vectors(build: Path, name: str, vectors: np.ndarray) -> None:
    if name == PIECE_VECTORS:
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(index, str(build / name))
    else:
        np.save(build / name, vectors)


def reshaped(name: str, change: Callable[[np.ndarray], np.ndarray]) -> Callable[[Path], None]:
    """Replace one vector file by ``change`` of its vectors; the checksums still match."""

    def reshape(build: Path) -> None:
        write_vectors(build, name, change(read_vectors(build, name)))
        update_checksums(build)

    return reshape


def truncated(name: str) -> Callable[[Path], None]:
    """Cut one data file in half, as a full disk would; the checksums still match."""

    def truncate(build: Path) -> None:
        path = build / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        update_checksums(build)

    return truncate


def other_dimension(build: Path) -> None:
    """A build that fits together, but for a model with half the dimension."""
    manifest = read_manifest(build)
    dimension = manifest["dimension"] // 2
    for name in VECTOR_FILES:
        write_vectors(build, name, read_vectors(build, name)[:, :dimension])
    write_manifest(build, {**manifest, "dimension": dimension})
    update_checksums(build)


def rewritten(name: str, change: Callable) -> Callable[[Path], None]:
    """Replace a JSON data file by ``change`` of its content; the checksums still match."""

    def rewrite(build: Path) -> None:
        path = build / name
        path.write_text(json.dumps(change(json.loads(path.read_text(encoding="utf-8")))))
        update_checksums(build)

    return rewrite


# One of each kind, for the tests that publish broken builds to a running service.
BROKEN_BUILDS: dict[str, Callable[[Path], None]] = {
    "manifest-is-a-list": manifest_is([]),
    "manifest-without-built_at": without_key("built_at"),
    "wrong-shape": reshaped(SENTENCE_VECTORS, lambda vectors: vectors[:, :200]),
    "truncated-file": truncated(PIECE_VECTORS),
    "wrong-dimension": other_dimension,
}


def broken_copy(good: Path, kind: str, into: Path) -> Path:
    """A copy of a good build, broken in one way."""
    build = into / kind
    shutil.copytree(good.resolve(), build)
    BROKEN_BUILDS[kind](build)
    return build


def publish(build: Path, index_dir: Path) -> None:
    """Point index_dir at build in one atomic rename, as build-index publishes."""
    link = index_dir.with_name(f".{index_dir.name}.test.link")
    link.unlink(missing_ok=True)
    link.symlink_to(build.resolve())
    os.replace(link, index_dir)
