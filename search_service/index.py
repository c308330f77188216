"""The index artifact: build it atomically, then load it only after verifying it.

Layout: ``<index_dir>`` is a symlink to one build in ``<index_dir>.builds/``. A build is written
completely into a new directory and published by atomically replacing the symlink, so a build
that fails or is killed leaves the previous index serving.
"""

import hashlib
import json
import os
import re
import reprlib
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import faiss
import numpy as np
import pysbd

from .embedding import Embedder, EmbeddingCache, embed_cached
from .sections import Fact, NotCovered, Section, docs_fingerprint, load_sections
from .settings import Settings

# 7: questions a section does not answer; 6: outside questions; 5: facts and the fact of each
# question
FORMAT_VERSION = 7
FIX_COMMAND = "python -m search_service build-index"
MANIFEST = "manifest.json"
SECTIONS = "sections.json"
PIECES = "pieces.json"
PIECE_VECTORS = "pieces.faiss"
SENTENCE_VECTORS = "sentences.npy"
OUTSIDE_VECTORS = "outside-topics.npy"
OUTSIDE_QUESTION_VECTORS = "outside-questions.npy"
QUESTION_VECTORS = "questions.npy"
NOT_COVERED_VECTORS = "not-covered-questions.npy"
DATA_FILES = (
    SECTIONS,
    PIECES,
    PIECE_VECTORS,
    SENTENCE_VECTORS,
    OUTSIDE_VECTORS,
    OUTSIDE_QUESTION_VECTORS,
    QUESTION_VECTORS,
    NOT_COVERED_VECTORS,
)
KEPT_BUILDS = 2
# Every key of the manifest that the service reads, with the JSON type it must have.
MANIFEST_KEYS: dict[str, type] = {
    "format_version": int,
    "backend": str,
    "model": str,
    "dimension": int,
    "sections": int,
    "pieces": int,
    "sentences": int,
    "questions": int,
    "not_covered_questions": int,
    "outside_topics": int,
    "outside_questions": int,
    "built_at": str,
    "files": dict,
}
TYPE_NAMES = {int: "a whole number", str: "a text", dict: "a JSON object"}
# pysbd's Dutch rules know "Stb.", "art.", "nr.", "bijv."; a piece that starts in lower case
# ("o.a. de minister") still continues the sentence before it. A pysbd Segmenter keeps the text
# it splits on itself, so each thread (the search threads split questions) has its own.
_SEGMENTERS = threading.local()
STARTS_LOWER = re.compile(r"^[a-zà-ÿ]")
# A piece without a letter or digit is a mark pysbd cut off: "lees je in [Wat is er veranderd?]
# (link)." gives "." alone, which a card would show as a sentence of its own.
NO_WORDS = re.compile(r"^\W+$")
T = TypeVar("T")


def progress_path(index_dir: Path) -> Path:
    """Where a running build says how far it is (read by the service's /api/health)."""
    return index_dir.with_name(index_dir.name + ".progress.json")


def read_progress(index_dir: Path) -> dict | None:
    """{"done": texts embedded, "total": texts to embed} of a build in progress, or None."""
    try:
        progress = json.loads(progress_path(index_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(progress, dict) or {"done", "total"} - set(progress):
        return None
    return {"done": int(progress["done"]), "total": int(progress["total"])}


def _write_progress(index_dir: Path, done: int, total: int) -> None:
    path = progress_path(index_dir)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
    os.replace(partial, path)


class IndexUnavailable(RuntimeError):
    """The index is missing, damaged or built for other settings; the message says the fix."""


@dataclass(frozen=True)
class Piece:
    """A retrievable text: a whole section, one of its paragraphs or its short answer.

    Each is headed by the page and section title.
    """

    section: int
    text: str
    whole: bool  # the whole section, not one paragraph or the short answer
    short_answer: bool = False


@dataclass(frozen=True)
class Question:
    """A question readers ask that a section answers (front matter); embedded as a query."""

    section: int
    text: str
    fact: int = -1  # which of the section's facts answers it; -1: the section as a whole


@dataclass(frozen=True)
class NotCoveredQuestion:
    """A question about a detail next to a section that the knowledge base does not give
    (front matter `not_covered`); embedded as a query."""

    section: int
    text: str
    entry: int  # which of the section's not_covered entries it belongs to


@dataclass(frozen=True)
class Sentence:
    section: int
    text: str
    position: int  # 0 for the first sentence of its section
    answerable: bool  # can stand as an answer: a statement outside an example


@dataclass
class LoadedIndex:
    manifest: dict
    sections: list[Section]
    pieces: list[Piece]
    piece_vectors: faiss.Index
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    outside_vectors: np.ndarray  # the outside topics, embedded as queries
    outside_question_vectors: np.ndarray  # questions the knowledge base does not answer
    questions: list[Question]
    question_vectors: np.ndarray  # embedded as queries: compared question to question
    not_covered: list[NotCoveredQuestion]
    not_covered_vectors: np.ndarray  # embedded as queries, like the questions


def segments(text: str) -> list[str]:
    """The text's sentences by pysbd's Dutch rules, stripped, empty ones left out."""
    if not hasattr(_SEGMENTERS, "segmenter"):
        _SEGMENTERS.segmenter = pysbd.Segmenter(language="nl", clean=False)
    return [piece.strip() for piece in _SEGMENTERS.segmenter.segment(text) if piece.strip()]


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph of the pages in sentences; a piece that starts in lower case continues the
    sentence before it, and a piece of marks only ends it."""
    sentences: list[str] = []
    for piece in segments(paragraph):
        if sentences and NO_WORDS.match(piece):
            sentences[-1] = f"{sentences[-1]}{piece}"
        elif sentences and STARTS_LOWER.match(piece):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def pieces_of(sections: list[Section]) -> list[Piece]:
    """Each section whole, and each of its paragraphs, headed by page and section title."""
    pieces = []
    for number, section in enumerate(sections):
        heading = f"{section.page_title} — {section.title}"
        pieces.append(Piece(number, f"{heading}\n{section.text}", whole=True))
        if len(section.paragraphs) > 1:
            pieces.extend(Piece(number, f"{heading}\n{p}", whole=False) for p in section.paragraphs)
        if section.short_answer:
            pieces.append(
                Piece(number, f"{heading}\n{section.short_answer}", whole=False, short_answer=True)
            )
    return pieces


def is_mean_of_its_parts(piece: Piece, sections: list[Section]) -> bool:
    """A whole section of several paragraphs is not embedded itself: its vector is the mean of
    its paragraphs' and short answer's. Embedding the long whole texts took 29 % of a build
    (65 of 225 s), and the mean ranks as well (README, "Index build speed")."""
    return piece.whole and len(sections[piece.section].paragraphs) > 1


def all_piece_vectors(
    pieces: list[Piece], sections: list[Section], embedded: np.ndarray
) -> np.ndarray:
    """The vectors of all pieces, in order: those embedded, in the order of ``pieces`` without
    the whole sections that are the mean of their parts, and those means, normalised."""
    vectors = np.zeros((len(pieces), embedded.shape[1]), dtype=np.float32)
    averaged = [is_mean_of_its_parts(p, sections) for p in pieces]
    vectors[[not a for a in averaged]] = embedded
    for number, piece in enumerate(pieces):
        if averaged[number]:
            parts = [i for i, p in enumerate(pieces) if p.section == piece.section and not p.whole]
            mean = vectors[parts].mean(axis=0)
            vectors[number] = mean / np.linalg.norm(mean)
    return vectors


def questions_of(sections: list[Section]) -> list[Question]:
    """The questions written for each section, then those written for each of its facts."""
    questions = []
    for number, section in enumerate(sections):
        questions.extend(Question(number, q) for q in section.questions)
        for fact_number, fact in enumerate(section.facts):
            questions.extend(Question(number, q, fact_number) for q in fact.questions)
    return questions


def not_covered_questions_of(sections: list[Section]) -> list[NotCoveredQuestion]:
    return [
        NotCoveredQuestion(number, question, entry_number)
        for number, section in enumerate(sections)
        for entry_number, entry in enumerate(section.not_covered)
        for question in entry.questions
    ]


def sentences_of(sections: list[Section]) -> list[Sentence]:
    sentences = []
    for number, section in enumerate(sections):
        texts = [
            (text, paragraph in section.example_paragraphs)
            for paragraph, body in enumerate(section.paragraphs)
            for text in split_sentences(body)
        ]
        sentences.extend(
            Sentence(number, text, position, answerable=not in_example and is_statement(text))
            for position, (text, in_example) in enumerate(texts)
        )
    return sentences


def is_statement(sentence: str) -> bool:
    """Questions and lead-ins to a list ("... drie stappen:") do not answer on their own."""
    return not sentence.rstrip().endswith(("?", ":"))


def searchable_sections(settings: Settings) -> list[Section]:
    sections = load_sections(settings.docs_dir, settings.mkdocs_config)
    return [section for section in sections if not section.is_source_list]


def read_listed_lines(path: Path) -> list[str]:
    """One entry a line (a topic, a question, a name); blank lines and lines starting with # are
    skipped."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# Changes when the way texts become vectors changes, so that `build-index --if-stale` rebuilds
# an index built the old way (cheap: the embedding cache keeps every text's vector).
BUILD_METHOD = (
    "whole sections of several paragraphs are the mean of their parts; "
    "a mark cut off ends the sentence before it"
)


def inputs_fingerprint(settings: Settings) -> str:
    """A hash over everything an index is built from, to tell when it is stale."""
    docs = docs_fingerprint(settings.docs_dir, settings.mkdocs_config)
    topics = "\n".join(read_listed_lines(settings.outside_topics))
    questions = "\n".join(read_listed_lines(settings.outside_questions))
    inputs = f"{BUILD_METHOD}\n{docs}\n{topics}\n\x1f{questions}"
    return hashlib.sha256(inputs.encode()).hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digests(paths: Iterable[Path]) -> dict[str, str]:
    """The SHA-256 of each file, by its name: what a build or a fit was made from."""
    return {path.name: _sha256(path) for path in paths}


def _builds_dir(index_dir: Path) -> Path:
    return index_dir.with_name(index_dir.name + ".builds")


def _write_build(
    build: Path, sections: list[Section], embedder: Embedder, settings: Settings, progress: bool
) -> dict:
    pieces = pieces_of(sections)
    embedded_pieces = [p for p in pieces if not is_mean_of_its_parts(p, sections)]
    sentences = sentences_of(sections)
    questions = questions_of(sections)
    not_covered = not_covered_questions_of(sections)
    topics = read_listed_lines(settings.outside_topics)
    outside_questions = read_listed_lines(settings.outside_questions)
    cache = EmbeddingCache(settings.cache_path)
    try:
        texts = [p.text for p in embedded_pieces] + [s.text for s in sentences]
        vectors, embedded = embed_cached(
            embedder,
            texts,
            cache,
            show_progress=progress,
            on_progress=lambda done, total: _write_progress(settings.index_dir, done, total),
        )
        # Questions, outside topics and outside questions are compared with the user's
        # question: embedded as one.
        as_queries, embedded_queries = embed_cached(
            embedder,
            [q.text for q in questions]
            + [q.text for q in not_covered]
            + topics
            + outside_questions,
            cache,
            as_queries=True,
            show_progress=progress,
        )
    finally:
        cache.close()
    question_vectors, not_covered_vectors, outside, outside_question_vectors = np.split(
        as_queries,
        np.cumsum([len(questions), len(not_covered), len(topics)]),
    )
    piece_index = faiss.IndexFlatIP(embedder.dim)
    piece_index.add(all_piece_vectors(pieces, sections, vectors[: len(embedded_pieces)]))
    faiss.write_index(piece_index, str(build / PIECE_VECTORS))
    np.save(build / SENTENCE_VECTORS, vectors[len(embedded_pieces) :])
    np.save(build / OUTSIDE_VECTORS, outside.reshape(len(topics), embedder.dim))
    np.save(
        build / OUTSIDE_QUESTION_VECTORS,
        outside_question_vectors.reshape(len(outside_questions), embedder.dim),
    )
    np.save(build / QUESTION_VECTORS, question_vectors.reshape(len(questions), embedder.dim))
    np.save(
        build / NOT_COVERED_VECTORS, not_covered_vectors.reshape(len(not_covered), embedder.dim)
    )
    (build / SECTIONS).write_text(
        json.dumps([asdict(s) for s in sections], ensure_ascii=False), encoding="utf-8"
    )
    (build / PIECES).write_text(
        json.dumps(
            {
                "pieces": [asdict(p) for p in pieces],
                "sentences": [asdict(s) for s in sentences],
                "questions": [asdict(q) for q in questions],
                "not_covered": [asdict(q) for q in not_covered],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    manifest = {
        "format_version": FORMAT_VERSION,
        "backend": embedder.backend,
        "model": embedder.model,
        "dimension": embedder.dim,
        "sections": len(sections),
        "pieces": len(pieces),
        "sentences": len(sentences),
        "outside_topics": len(topics),
        "outside_questions": len(outside_questions),
        "questions": len(questions),
        "not_covered_questions": len(not_covered),
        "docs_hash": inputs_fingerprint(settings),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "embedded_texts": embedded + embedded_queries,
        "files": file_digests(build / name for name in DATA_FILES),
    }
    (build / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _publish(build: Path, index_dir: Path) -> None:
    """Point index_dir at the new build in one atomic rename, then drop old builds."""
    link = index_dir.with_name(f".{index_dir.name}.{os.getpid()}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(build.resolve())
    if index_dir.exists() and not index_dir.is_symlink():
        raise IndexUnavailable(f"{index_dir} is a directory, not a published index; remove it")
    os.replace(link, index_dir)
    builds = sorted(_builds_dir(index_dir).iterdir(), key=lambda p: p.stat().st_mtime)
    for old in builds[:-KEPT_BUILDS]:
        if old.resolve() != build.resolve():
            shutil.rmtree(old, ignore_errors=True)


def build_index(settings: Settings, embedder: Embedder, progress: bool = True) -> dict:
    """Build the index from docs/ and publish it; on any failure the old index stays live."""
    sections = searchable_sections(settings)
    builds = _builds_dir(settings.index_dir)
    builds.mkdir(parents=True, exist_ok=True)
    build = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
    build.mkdir()
    try:
        manifest = _write_build(build, sections, embedder, settings, progress)
        _publish(build, settings.index_dir)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    finally:
        progress_path(settings.index_dir).unlink(missing_ok=True)
    return manifest


def _one_line(error: BaseException) -> str:
    """An exception's message on one line (faiss's messages span several)."""
    return " ".join(str(error).split()) or type(error).__name__


def read_manifest(index_dir: Path) -> dict:
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexUnavailable(f"no search index at {index_dir}; build it with: {FIX_COMMAND}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexUnavailable(
            f"the index manifest {path} is damaged ({_one_line(error)}); "
            f"rebuild it with: {FIX_COMMAND}"
        ) from error
    if not isinstance(manifest, dict):
        raise IndexUnavailable(
            f"the index manifest {path} is not a JSON object; rebuild it with: {FIX_COMMAND}"
        )
    return manifest


def _manifest_key_problem(manifest: dict) -> str | None:
    """What is wrong with the manifest's keys and their types, or None."""
    for key, kind in MANIFEST_KEYS.items():
        if key not in manifest:
            return f"lacks the key {key!r}"
        value = manifest[key]
        # JSON true/false load as bool, which Python counts as int.
        if not isinstance(value, kind) or isinstance(value, bool):
            return f"has {key} {reprlib.repr(value)}, not {TYPE_NAMES[kind]}"
        if kind is int and value < (1 if key == "dimension" else 0):
            return f"has {key} {value}, out of range"
    if set(manifest["files"]) != set(DATA_FILES):
        return f"lists the files {sorted(manifest['files'])}, not {sorted(DATA_FILES)}"
    if not all(isinstance(digest, str) for digest in manifest["files"].values()):
        return "has a checksum that is not a text"
    return None


def verify_manifest(manifest: dict, settings: Settings, index_dir: Path) -> None:
    problem = _manifest_key_problem(manifest)
    # An index of another format version is reported as such, below, whatever its keys.
    if problem and manifest.get("format_version", FORMAT_VERSION) == FORMAT_VERSION:
        raise IndexUnavailable(
            f"the index manifest {index_dir / MANIFEST} {problem}; rebuild it with: {FIX_COMMAND}"
        )
    expected = {
        "format_version": FORMAT_VERSION,
        "backend": settings.backend.value,
        "model": settings.resolved_model(),
    }
    for key, value in expected.items():
        if manifest.get(key) != value:
            raise IndexUnavailable(
                f"the index at {index_dir} has {key} {manifest.get(key)!r} but the settings "
                f"need {value!r}; rebuild it with: {FIX_COMMAND}"
            )
    for name, digest in manifest["files"].items():
        path = index_dir / name
        if not path.exists() or _sha256(path) != digest:
            raise IndexUnavailable(
                f"the index file {path} is missing or damaged; rebuild it with: {FIX_COMMAND}"
            )


def _fit_problem(index: LoadedIndex) -> str | None:
    """How the loaded files disagree with each other or with the manifest, or None."""
    manifest = index.manifest
    dimension = manifest["dimension"]
    if index.piece_vectors.d != dimension:
        return f"{PIECE_VECTORS} has dimension {index.piece_vectors.d}, the manifest {dimension}"
    if index.piece_vectors.ntotal != manifest["pieces"]:
        return (
            f"{PIECE_VECTORS} holds {index.piece_vectors.ntotal} vectors, "
            f"the manifest {manifest['pieces']} pieces"
        )
    for name, vectors, count in (
        (SENTENCE_VECTORS, index.sentence_vectors, "sentences"),
        (QUESTION_VECTORS, index.question_vectors, "questions"),
        (NOT_COVERED_VECTORS, index.not_covered_vectors, "not_covered_questions"),
        (OUTSIDE_VECTORS, index.outside_vectors, "outside_topics"),
        (OUTSIDE_QUESTION_VECTORS, index.outside_question_vectors, "outside_questions"),
    ):
        expected = (manifest[count], dimension)
        if vectors.shape != expected:
            return f"{name} has shape {vectors.shape}, the manifest says {expected}"
        if not np.issubdtype(vectors.dtype, np.floating):
            return f"{name} holds {vectors.dtype}, not floating-point numbers"
    for name, items, count in (
        (SECTIONS, index.sections, "sections"),
        (PIECES, index.pieces, "pieces"),
        (PIECES, index.sentences, "sentences"),
        (PIECES, index.questions, "questions"),
        (PIECES, index.not_covered, "not_covered_questions"),
    ):
        if len(items) != manifest[count]:
            return f"{name} has {len(items)} {count}, the manifest {manifest[count]}"
    items = (*index.pieces, *index.sentences, *index.questions, *index.not_covered)
    if any(not 0 <= item.section < len(index.sections) for item in items):
        return f"{PIECES} refers to a section that {SECTIONS} does not have"
    if any(
        not 0 <= question.entry < len(index.sections[question.section].not_covered)
        for question in index.not_covered
    ):
        return f"{PIECES} refers to a not_covered entry that {SECTIONS} does not have"
    return None


def _read(path: Path, reader: Callable[[Path], T]) -> T:
    """``reader(path)``, with whatever a damaged file makes JSON, numpy or faiss raise reported
    as IndexUnavailable."""
    try:
        return reader(path)
    except Exception as error:
        raise IndexUnavailable(
            f"the index file {path} cannot be read ({_one_line(error)}); "
            f"rebuild it with: {FIX_COMMAND}"
        ) from error


def _read_sections(path: Path) -> list[Section]:
    return [
        Section(
            **{
                **s,
                "paragraphs": tuple(s["paragraphs"]),
                "example_paragraphs": tuple(s["example_paragraphs"]),
                "quote_paragraphs": tuple(s["quote_paragraphs"]),
                "lists": tuple(tuple(group) for group in s["lists"]),
                "questions": tuple(s["questions"]),
                "facts": tuple(Fact(f["answer"], tuple(f["questions"])) for f in s["facts"]),
                "not_covered": tuple(
                    NotCovered(n["note"], tuple(n["questions"])) for n in s["not_covered"]
                ),
            }
        )
        for s in json.loads(path.read_text(encoding="utf-8"))
    ]


def _read_texts(
    path: Path,
) -> tuple[list[Piece], list[Sentence], list[Question], list[NotCoveredQuestion]]:
    texts = json.loads(path.read_text(encoding="utf-8"))
    return (
        [Piece(**p) for p in texts["pieces"]],
        [Sentence(**s) for s in texts["sentences"]],
        [Question(**q) for q in texts["questions"]],
        [NotCoveredQuestion(**q) for q in texts["not_covered"]],
    )


def load_verified_index(settings: Settings, dimension: int | None = None) -> LoadedIndex:
    """Load the published index, refusing one that does not match the settings or is damaged."""
    index_dir = settings.index_dir.resolve()
    manifest = read_manifest(index_dir)
    verify_manifest(manifest, settings, index_dir)
    if dimension is not None and manifest["dimension"] != dimension:
        raise IndexUnavailable(
            f"the index has dimension {manifest['dimension']} but the model gives "
            f"{dimension}; rebuild it with: {FIX_COMMAND}"
        )
    pieces, sentences, questions, not_covered = _read(index_dir / PIECES, _read_texts)
    index = LoadedIndex(
        manifest=manifest,
        sections=_read(index_dir / SECTIONS, _read_sections),
        pieces=pieces,
        piece_vectors=_read(index_dir / PIECE_VECTORS, lambda path: faiss.read_index(str(path))),
        sentences=sentences,
        sentence_vectors=_read(index_dir / SENTENCE_VECTORS, np.load),
        outside_vectors=_read(index_dir / OUTSIDE_VECTORS, np.load),
        outside_question_vectors=_read(index_dir / OUTSIDE_QUESTION_VECTORS, np.load),
        questions=questions,
        question_vectors=_read(index_dir / QUESTION_VECTORS, np.load),
        not_covered=not_covered,
        not_covered_vectors=_read(index_dir / NOT_COVERED_VECTORS, np.load),
    )
    problem = _fit_problem(index)
    if problem:
        raise IndexUnavailable(
            f"the index at {index_dir} does not fit together: {problem}; "
            f"rebuild it with: {FIX_COMMAND}"
        )
    return index


def index_is_current(settings: Settings) -> bool:
    """True when a valid index exists for these settings and the current docs."""
    try:
        manifest = read_manifest(settings.index_dir.resolve())
        verify_manifest(manifest, settings, settings.index_dir.resolve())
    except IndexUnavailable:
        return False
    return manifest.get("docs_hash") == inputs_fingerprint(settings)
