"""The silence model: how likely it is that the knowledge base does not answer a question.

Each answer rule in answers.py weighs one number against one threshold. A question can pass
every rule by a little and still be one the pages do not answer ("Mag ik als rijksambtenaar een
dubbele nationaliteit houden?" comes close enough to the questions on political work, a little
close to an outside question and to a detail not covered, and uses words that section never
uses). This
model weighs those numbers together: a logistic regression fitted on the tuning sets in eval/
(never on a held-out set) by ``python -m search_service calibrate-silence``, stored as JSON
beside the other lists the answer rules read. answers.py withholds the card when the
probability passes the threshold in the settings.
"""

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .index import file_digests
from .settings import Settings

# What the model weighs, in this order (answers.Searcher.silence_features computes them):
SILENCE_FEATURES = (
    "question",  # similarity of the top section's closest written question
    "outside_topic",  # ... of the closest line of outside-topics.txt
    "outside_question",  # ... of the closest line of outside-questions.txt
    "not_covered",  # ... of the closest question after a detail the pages do not give
    "score",  # the top section's fused ranking score
    "unmatched_words",  # content words of the asking clause the top section never uses (Dutch)
    "english",  # 1 for a question in English, whose similarities run differently
    "length",  # log(1 + words): short keyword queries come less close to whole questions
)
# The model judges questions of at least this many words. A search of a few words ("bijbaan
# melden") comes close to many short outside and not-covered questions whatever it asks: there
# the rules alone decide. (When the model came, leaving each tuning set out in turn: judging
# keyword searches too silenced 2 more out-of-scope questions for 2 more right cards lost.)
MIN_WORDS = 5
# The L2 penalty of the fit: the features are standardised, so one number suits them all.
PENALTY = 1.0
NEWTON_STEPS = 50


class SilenceModelError(ValueError):
    """The model file is missing or unreadable, made for other features or fitted on another
    embedding model; or there is too little to fit it on."""


@dataclass(frozen=True)
class SilenceModel:
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]  # per standardised feature; positive: more likely outside
    bias: float
    fitted_on: tuple[str, ...]  # the question sets
    questions: int  # how many questions the fit saw
    out_of_scope: int  # ... of which out of scope
    embedder: str  # the model whose similarities it weighs
    # the SHA-256 of the outside lists (input_digests) and of each tuning set
    inputs: dict[str, str]

    @classmethod
    def for_settings(cls, settings: Settings) -> "SilenceModel | None":
        """The model the settings ask for, fitted on their embedder's similarities: None when the
        threshold is 1 (off; its file is not read, as calibrate-silence measures the rules
        alone)."""
        if settings.answer_max_outside_probability >= 1:
            return None
        model = cls.load(settings.silence_model)
        model.check_embedder(settings.resolved_model())
        return model

    @staticmethod
    def judges(question: str) -> bool:
        """Whether the question is long enough for the model to judge (MIN_WORDS)."""
        return len(question.split()) >= MIN_WORDS

    def probability(self, values: dict[str, float]) -> float:
        """The probability that the question is one the knowledge base does not answer."""
        z = self.bias + sum(
            weight * (values[name] - mean) / scale
            for name, mean, scale, weight in zip(
                self.features, self.means, self.scales, self.weights, strict=True
            )
        )
        return float(logistic(z))

    def save(self, path: Path) -> None:
        """Write the model in one step: a reader never sees half a file."""
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> "SilenceModel":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(**{key: tuple(v) if isinstance(v, list) else v for key, v in data.items()})
            problem = model._problem()
        except (OSError, ValueError, TypeError, AttributeError) as error:
            problem = f"cannot be read ({error})"
        if problem:
            raise SilenceModelError(
                f"the silence model {path} {problem}: run python -m search_service "
                "calibrate-silence, or set KB_ANSWER_MAX_OUTSIDE_PROBABILITY=1 to answer without it"
            )
        return model

    def _problem(self) -> str | None:
        """What makes the model unusable, or None."""
        if self.features != SILENCE_FEATURES:
            return f"weighs {self.features}, the code computes {SILENCE_FEATURES}"
        numbers = (*self.means, *self.scales, *self.weights, self.bias)
        if not all(isinstance(n, int | float) and math.isfinite(n) for n in numbers):
            return "holds a value that is not a finite number"
        if not len(self.means) == len(self.scales) == len(self.weights) == len(self.features):
            return "has not one mean, scale and weight per feature"
        if not all(self.scales):
            return "has a scale of 0"
        return None

    def check_embedder(self, embedder: str) -> None:
        """Refuse to weigh the similarities of another model than the fit's."""
        if embedder != self.embedder:
            raise SilenceModelError(
                f"the silence model was fitted on the similarities of {self.embedder}, the "
                f"settings use {embedder}: run python -m search_service calibrate-silence, or "
                "set KB_ANSWER_MAX_OUTSIDE_PROBABILITY=1 to answer without it"
            )


def logistic(z: float | np.ndarray) -> float | np.ndarray:
    """The logistic function, of a number or an array, without overflow for large |z|."""
    return 0.5 * (1.0 + np.tanh(z / 2))


def input_digests(settings: Settings) -> dict[str, str]:
    """The SHA-256 of the outside lists, whose lines the similarities are to: a model fitted
    before they changed is stale (tests/test_silence.py says so). The pages change more often
    and each change moves the numbers less; the README says when to fit again."""
    return file_digests((settings.outside_topics, settings.outside_questions))


def fit(
    rows: np.ndarray,
    outside: np.ndarray,
    fitted_on: tuple[str, ...],
    embedder: str,
    inputs: dict[str, str],
    penalty: float = PENALTY,
) -> SilenceModel:
    """Logistic regression by Newton's method on standardised features: rows holds one row of
    SILENCE_FEATURES per question, outside is 1 for an out-of-scope question, 0 otherwise."""
    means = rows.mean(axis=0)
    scales = rows.std(axis=0)
    scales[scales == 0] = 1.0  # a feature that never varies weighs nothing
    design = np.hstack([(rows - means) / scales, np.ones((len(rows), 1))])
    weights = np.zeros(design.shape[1])
    ridge = penalty * np.diag([1.0] * (design.shape[1] - 1) + [0.0])  # not on the bias
    for _ in range(NEWTON_STEPS):
        predicted = logistic(design @ weights)
        gradient = design.T @ (predicted - outside) + ridge @ weights
        hessian = (design * (predicted * (1 - predicted))[:, None]).T @ design + ridge
        weights -= np.linalg.solve(hessian, gradient)
    return SilenceModel(
        features=SILENCE_FEATURES,
        means=tuple(float(v) for v in means),
        scales=tuple(float(v) for v in scales),
        weights=tuple(float(v) for v in weights[:-1]),
        bias=float(weights[-1]),
        fitted_on=fitted_on,
        questions=len(rows),
        out_of_scope=int(outside.sum()),
        embedder=embedder,
        inputs=inputs,
    )
