"""Fitting the silence model (silence.py) on the tuning sets, and choosing its threshold.

The fit sees every question of the tuning sets: the features of silence.SILENCE_FEATURES and
whether the question is out of scope. The threshold is chosen by leaving each set out of the
fit in turn and counting, among that set's questions that the rules answer, the out-of-scope
ones the model would silence and the right cards it would lose. The numbered held-out sets
(held-out-N.yml) are never read; held-out.yml, of the first round, has been a tuning set since.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..answers import Searcher, searched_text
from ..silence import SILENCE_FEATURES, SilenceModel, SilenceModelError, fit
from .evaluation import load_questions

# The sets written for tuning, and the older ones now used for it (README, "Question sets").
TUNING_SETS = ("tuning-*.yml", "dev.yml", "questions.yml", "out-of-scope.yml", "held-out.yml")
THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass(frozen=True)
class Measured:
    """One tuning question: its features, and how the rules alone answer it."""

    question_set: str
    features: tuple[float, ...]
    outside: bool  # out of scope
    answered: bool  # the rules give a card
    right: bool  # ... from an expected section
    judged: bool  # long enough for the model to judge (SilenceModel.judges)


def tuning_sets(eval_dir: Path) -> list[Path]:
    """The tuning sets in eval_dir; at least two, as each is left out of the fit in turn."""
    paths = sorted({path for pattern in TUNING_SETS for path in eval_dir.glob(pattern)})
    if len(paths) < 2:
        raise SilenceModelError(
            f"calibrate-silence needs at least two tuning sets ({', '.join(TUNING_SETS)}) in "
            f"{eval_dir}, found {len(paths)}"
        )
    return paths


def measure(searcher: Searcher, paths: Sequence[Path], k: int) -> list[Measured]:
    """The features of every question, and the card the rules give (the searcher's silence
    threshold should be 1 so that the model itself does not decide). Each question is embedded
    twice, for the features and for the search: four minutes, for a command run now and then."""
    measured = []
    for path in paths:
        for question in load_questions(path):
            values = searcher.silence_features(question.q, k)
            if values is None:
                continue
            answer = searcher.search(question.q, k).answer
            measured.append(
                Measured(
                    path.name,
                    tuple(values[name] for name in SILENCE_FEATURES),
                    not question.expect,
                    answer is not None,
                    answer is not None and answer.id in question.expect,
                    SilenceModel.judges(searched_text(question.q, searcher.abbreviations)),
                )
            )
    return measured


def fit_measured(
    measured: Sequence[Measured], embedder: str, inputs: dict[str, str]
) -> SilenceModel:
    """The model fitted on every measured question. Not only on those it will judge (long
    enough, answered by the rules): the tuning sets hold some 60 such out-of-scope questions,
    too few to fit on; on all questions it learns what out of scope looks like in general."""
    rows = np.array([item.features for item in measured])
    outside = np.array([float(item.outside) for item in measured])
    sets = tuple(sorted({item.question_set for item in measured}))
    return fit(rows, outside, sets, embedder, inputs)


def left_out_counts(measured: Sequence[Measured]) -> dict[float, tuple[int, int]]:
    """Per threshold: with each set left out of the fit in turn, how many of its out-of-scope
    questions that the rules answer the model silences, and how many right cards it loses
    (of the questions long enough for it to judge)."""
    counts = {threshold: [0, 0] for threshold in THRESHOLDS}
    for left_out in sorted({item.question_set for item in measured}):
        model = fit_measured([item for item in measured if item.question_set != left_out], "", {})
        for item in measured:
            if item.question_set != left_out or not (item.answered and item.judged):
                continue
            probability = model.probability(dict(zip(SILENCE_FEATURES, item.features, strict=True)))
            for threshold in THRESHOLDS:
                if probability <= threshold:
                    continue
                if item.outside:
                    counts[threshold][0] += 1
                elif item.right:
                    counts[threshold][1] += 1
    return {threshold: (silenced, lost) for threshold, (silenced, lost) in counts.items()}


def format_counts(counts: dict[float, tuple[int, int]], measured: Sequence[Measured]) -> str:
    answered_outside = sum(item.answered and item.outside for item in measured)
    right = sum(item.right for item in measured)
    lines = [
        f"{len(measured)} questions; the rules answer {answered_outside} out-of-scope ones and "
        f"give {right} right cards. Each set left out of the fit in turn:",
        "threshold  out-of-scope silenced  right cards lost",
    ]
    lines += [
        f"{threshold:>9}  {silenced:>21}  {lost:>16}"
        for threshold, (silenced, lost) in counts.items()
    ]
    return "\n".join(lines)
