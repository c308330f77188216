"""The silence model: its fit, its file, and how calibration counts (fast, no model)."""

import dataclasses
import json
import math

import numpy as np
import pytest

from search_service.cli import main
from search_service.index import file_digests
from search_service.measure.calibration import (
    Measured,
    left_out_counts,
    tuning_sets,
)
from search_service.measure.evaluation import load_questions
from search_service.settings import PROJECT_ROOT, Settings
from search_service.silence import (
    SILENCE_FEATURES,
    SilenceModel,
    SilenceModelError,
    fit,
    input_digests,
)

EVAL = PROJECT_ROOT / "eval"


def two_groups(count: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Questions whose first feature says which side they are on (with some overlap)."""
    generator = np.random.default_rng(7)
    rows = generator.normal(size=(count, len(SILENCE_FEATURES)))
    outside = (np.arange(count) % 2).astype(float)
    rows[:, 0] += 2.0 * outside
    return rows, outside


def fitted(*sets: str) -> SilenceModel:
    return fit(*two_groups(), sets or ("a.yml",), "model", {"list.txt": "0" * 64})


def test_the_fit_finds_the_feature_that_separates_the_groups():
    rows, outside = two_groups()
    model = fit(rows, outside, ("a.yml",), "model", {})
    probabilities = np.array(
        [model.probability(dict(zip(SILENCE_FEATURES, row, strict=True))) for row in rows]
    )
    assert probabilities[outside == 1].mean() > 0.7
    assert probabilities[outside == 0].mean() < 0.3
    assert max(model.weights, key=abs) == model.weights[0] > 0
    assert (model.questions, model.out_of_scope) == (40, 20)


def test_the_probability_is_the_logistic_of_the_standardised_weighted_sum():
    model = SilenceModel(
        features=SILENCE_FEATURES,
        means=(1.0,) + (0.0,) * 7,
        scales=(2.0,) + (1.0,) * 7,
        weights=(3.0,) + (0.0,) * 7,
        bias=-1.0,
        fitted_on=("a.yml",),
        questions=2,
        out_of_scope=1,
        embedder="model",
        inputs={},
    )
    values = dict.fromkeys(SILENCE_FEATURES, 5.0)  # (5 - 1) / 2 * 3 - 1 = 5
    assert model.probability(values) == pytest.approx(1 / (1 + math.exp(-5)))
    # far out on either side: 0 and 1, no overflow
    assert model.probability(dict.fromkeys(SILENCE_FEATURES, 1e6)) == 1.0
    assert model.probability(dict.fromkeys(SILENCE_FEATURES, -1e6)) == 0.0


def test_a_saved_model_loads_as_it_was(tmp_path):
    model = fitted("a.yml", "b.yml")
    model.save(tmp_path / "model.json")
    assert SilenceModel.load(tmp_path / "model.json") == model


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"features": ["question"]}, "weighs"),
        ({"weights": [1.0]}, "one mean, scale and weight per feature"),
        ({"bias": "hoog"}, "not a finite number"),
        ({"scales": [0.0] * 8}, "a scale of 0"),
        ({"unknown": 1}, "cannot be read"),
    ],
)
def test_a_broken_model_says_how_to_make_one(tmp_path, change, problem):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(dataclasses.asdict(fitted()) | change))
    with pytest.raises(SilenceModelError, match=f"{problem}.*calibrate-silence"):
        SilenceModel.load(path)


@pytest.mark.parametrize("content", ["", "[1, 2]", "null", "{"])
def test_a_model_file_that_is_no_model_says_how_to_make_one(tmp_path, content):
    path = tmp_path / "model.json"
    path.write_text(content)
    with pytest.raises(SilenceModelError, match="cannot be read"):
        SilenceModel.load(path)
    with pytest.raises(SilenceModelError, match=r"missing/model\.json"):
        SilenceModel.load(tmp_path / "missing" / "model.json")


def test_the_settings_turn_the_model_off_or_check_its_embedder(tmp_path):
    missing = Settings(silence_model=tmp_path / "none.json", answer_max_outside_probability=1.0)
    assert SilenceModel.for_settings(missing) is None  # off: the file is not read
    fitted().save(tmp_path / "model.json")
    other = Settings(silence_model=tmp_path / "model.json")
    with pytest.raises(SilenceModelError, match="fitted on the similarities of model"):
        SilenceModel.for_settings(other)


def test_serve_with_a_bad_model_stops_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KB_ANSWER_MAX_OUTSIDE_PROBABILITY", "0.85")
    monkeypatch.setenv("KB_SILENCE_MODEL", str(tmp_path / "none.json"))
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "index"))
    assert main(["serve"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: the silence model") and error.count("\n") == 1


def test_the_shipped_model_was_fitted_on_todays_tuning_sets_lists_and_model():
    """Adding a tuning set (or questions to one), or changing an outside list, means running
    calibrate-silence again; never a held-out set."""
    settings = Settings()
    model = SilenceModel.for_settings(settings)
    assert model is not None
    sets = tuning_sets(EVAL)
    assert model.inputs == input_digests(settings) | file_digests(sets)
    assert model.fitted_on == tuple(sorted(path.name for path in sets))
    assert model.questions == sum(len(load_questions(path)) for path in sets)
    assert model.out_of_scope == sum(
        not question.expect for path in sets for question in load_questions(path)
    )


def measured(
    question_set: str,
    value: float,
    outside: bool,
    right: bool = False,
    judged: bool = True,
    answered: bool = True,
) -> Measured:
    return Measured(question_set, (value,) + (0.0,) * 7, outside, answered, right, judged)


def test_calibration_leaves_each_set_out_of_its_own_fit():
    # Sets a and b put outside questions high, set c the other way round. Fitted on a and b
    # only, the model silences none of c's outside questions and takes all five of its right
    # cards; fitted with c in it, it would be unsure of everything.
    def questions(name: str, outside_at: float) -> list[Measured]:
        return [
            *(measured(name, outside_at + i / 10, outside=True) for i in range(5)),
            *(measured(name, -outside_at - i / 10, outside=False, right=True) for i in range(5)),
        ]

    items = questions("a.yml", 3.0) + questions("b.yml", 3.0) + questions("c.yml", -3.0)
    assert left_out_counts(items)[0.75] == (0, 5)


def test_calibration_counts_per_left_out_set_what_the_model_silences_and_loses():
    # Per set: outside questions far on one side, inside ones on the other, and one outside
    # question that looks inside: fitted on the other sets, the model silences the first kind.
    # Among the inside ones, one right card it would lose; what it counts of the rest is none.
    items = [
        item
        for name in ("a.yml", "b.yml", "c.yml")
        for item in (
            *(measured(name, 3.0 + i / 10, outside=True) for i in range(5)),
            *(measured(name, -3.0 - i / 10, outside=False, right=True) for i in range(5)),
            measured(name, -3.0, outside=True),
            measured(name, 2.5, outside=False, right=True),  # a right card lost
            measured(name, 2.5, outside=False),  # a wrong card: no loss
            measured(name, 2.5, outside=True, answered=False),  # the rules already withhold
            measured(name, 4.0, outside=True, judged=False),  # too short: the rules decide
        )
    ]
    counts = left_out_counts(items)
    assert counts[0.6] == (15, 3)
    assert counts[0.75] == (15, 0)


@pytest.mark.parametrize(
    ("question", "judged"),
    [
        ("bijbaan melden", False),
        ("kerstpakket leverancier 50 euro", False),
        ("Mag ik als rijksambtenaar in cryptovaluta beleggen?", True),
    ],
)
def test_the_model_judges_questions_not_keyword_searches(question, judged):
    assert SilenceModel.judges(question) is judged


def test_calibration_needs_two_tuning_sets(tmp_path):
    (tmp_path / "tuning-2.yml").write_text("[]")
    with pytest.raises(SilenceModelError, match="at least two tuning sets"):
        tuning_sets(tmp_path)


def test_a_saved_model_replaces_the_old_one_whole(tmp_path):
    path = tmp_path / "model.json"
    fitted("old.yml").save(path)
    fitted("new.yml").save(path)
    assert SilenceModel.load(path).fitted_on == ("new.yml",)
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
