"""Search quality over the real content with the real model (targets from the issues)."""

import pytest

from search_service.answers import Searcher
from search_service.evaluation import Question, evaluate, load_questions
from search_service.index import load_verified_index
from search_service.settings import PROJECT_ROOT

from .conftest import DEV_SET

OWN_SETS = [PROJECT_ROOT / "eval" / f"{name}.yml" for name in ("questions", "held-out")]
OUT_OF_SCOPE = PROJECT_ROOT / "eval" / "out-of-scope.yml"


@pytest.fixture(scope="module")
def real_searcher(real_index, real_embedder):
    return Searcher(load_verified_index(real_index, real_embedder.dim), real_embedder, real_index)


@pytest.fixture(scope="module")
def dev() -> list[Question]:
    return load_questions(DEV_SET)


@pytest.fixture(scope="module")
def own() -> list[Question]:
    return [q for path in OWN_SETS for q in load_questions(path) if q.expect]


def ids(questions: list[Question]) -> list[str]:
    return [q.id for q in questions]


def test_dev_set_targets(real_searcher, dev):
    report = evaluate(real_searcher, dev)
    assert report.hit_at(1, ids(dev)) >= 0.80, report.first_instead
    assert report.hit_at(5, ids(dev)) >= 0.95, report.first_instead
    assert report.mrr(ids(dev)) >= 0.85, report.first_instead


def test_english_questions_hit_at_5(real_searcher, dev, own):
    english = [q for q in dev + own if q.language == "en"]
    assert len(english) >= 20
    report = evaluate(real_searcher, english)
    assert report.hit_at(5, ids(english)) >= 0.90, report.first_instead


def test_fusion_is_not_worse_than_dense_on_english_or_paraphrases(real_searcher, own):
    for group in (
        [q for q in own if q.language == "en"],
        [q for q in own if q.kind == "nl"],
    ):
        hybrid = evaluate(real_searcher, group, "hybrid").mrr(ids(group))
        dense = evaluate(real_searcher, group, "dense").mrr(ids(group))
        assert hybrid >= dense


def test_typos_still_find_their_section(real_searcher, own):
    typos = [q for q in own if q.kind == "typo"]
    assert len(typos) >= 10
    assert evaluate(real_searcher, typos).hit_at(5, ids(typos)) >= 0.90


def test_out_of_scope_questions_get_no_answer_while_in_scope_ones_do(real_searcher, dev, own):
    outside = load_questions(OUT_OF_SCOPE)
    outside += [q for path in OWN_SETS for q in load_questions(path) if not q.expect]
    report = evaluate(real_searcher, outside + dev + own)
    assert sum(not report.answered[q.id] for q in outside) / len(outside) >= 0.80
    inside = dev + own
    assert sum(report.answered[q.id] for q in inside) / len(inside) >= 0.95
