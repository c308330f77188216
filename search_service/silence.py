"""The silence model: how likely it is that the knowledge base does not answer a question.

Each answer rule in answers.py weighs one number against one threshold. A question can pass
every rule by a little and still be one the pages do not answer ("Is er een dresscode voor de
beëdigingsceremonie?" comes close enough to the ceremony's questions, a little close to an
outside question and to a detail not covered, and uses words the section never uses). This
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
    """The model file is missing, unreadable or made for other features."""


@dataclass(frozen=True)
class SilenceModel:
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]  # per standardised feature; positive: more likely outside
    bias: float
    fitted_on: tuple[str, ...]  # the question sets, for the record
    questions: int  # how many questions the fit saw
    out_of_scope: int  # ... of which out of scope

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
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "SilenceModel":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(**{key: tuple(v) if isinstance(v, list) else v for key, v in data.items()})
        except (OSError, ValueError, TypeError) as error:
            raise SilenceModelError(
                f"the silence model {path} cannot be read ({error}): run python -m "
                "search_service calibrate-silence, or set KB_ANSWER_MAX_OUTSIDE_PROBABILITY=1 "
                "to answer without it"
            ) from error
        if model.features != SILENCE_FEATURES:
            raise SilenceModelError(
                f"{path} weighs {model.features}, the code computes {SILENCE_FEATURES}: run "
                "python -m search_service calibrate-silence"
            )
        return model


def fit(
    rows: np.ndarray, outside: np.ndarray, fitted_on: tuple[str, ...], penalty: float = PENALTY
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
        predicted = 1.0 / (1.0 + np.exp(-design @ weights))
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
    )
