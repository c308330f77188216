"""Search quality over the real content with the real model, on the shared dev set."""

import pytest

from search_service.evaluation import evaluate, load_questions
from search_service.index import load_verified_index
from search_service.retrieval import Searcher

from .conftest import DEV_SET


@pytest.fixture(scope="module")
def real_searcher(real_index, real_embedder):
    return Searcher(load_verified_index(real_index, real_embedder.dim), real_embedder, real_index)


def test_dev_set_hit_at_5(real_searcher):
    questions = load_questions(DEV_SET)
    report = evaluate(real_searcher, questions)
    ids = [q.id for q in questions]
    assert report.hit_at(5, ids) >= 0.80, report.first_instead
