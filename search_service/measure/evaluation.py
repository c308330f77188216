"""Search quality on a question set: hit@k, MRR@10, answer cards, out-of-scope handling, and
every miss."""

from dataclasses import dataclass, field
from pathlib import Path

from ..answers import Searcher
from ..sections import looks_english, safe_yaml

CUTOFFS = (1, 3, 5, 10)
MODES = ("dense", "lexical", "hybrid")


@dataclass
class Question:
    id: str
    q: str
    expect: list[str]  # empty: the knowledge base does not cover it (out of scope)
    kind: str | None = None  # optional label in the file: nl, en, keywords, typo
    answer_has: list[str] = field(default_factory=list)  # one must be in a useful answer

    @property
    def language(self) -> str:
        if self.kind:
            return "en" if self.kind == "en" else "nl"
        # Questions in English are reported separately: BM25 cannot help them.
        return "en" if looks_english(self.q) else "nl"


@dataclass
class Report:
    mode: str
    ranks: dict[str, int | None] = field(default_factory=dict)  # rank of first hit, or None
    answered: dict[str, bool] = field(default_factory=dict)
    first_instead: dict[str, str] = field(default_factory=dict)
    answer_ids: dict[str, str | None] = field(default_factory=dict)  # section of the card
    answer_texts: dict[str, str] = field(default_factory=dict)

    def hit_at(self, k: int, ids: list[str]) -> float:
        return sum(1 for i in ids if (self.ranks[i] or 99) <= k) / len(ids) if ids else 0.0

    def mrr(self, ids: list[str]) -> float:
        return sum(1 / r for i in ids if (r := self.ranks[i]) and r <= 10) / len(ids) if ids else 0


def load_questions(path: Path) -> list[Question]:
    return [
        Question(
            id=str(item["id"]),
            q=item["q"],
            expect=list(item.get("expect") or []),
            kind=item.get("kind"),
            answer_has=list(item.get("answer_has") or []),
        )
        for item in safe_yaml(path.read_text(encoding="utf-8"))
    ]


def evaluate(searcher: Searcher, questions: list[Question], mode: str = "hybrid") -> Report:
    report = Report(mode)
    for question in questions:
        outcome = searcher.search(question.q, k=10, mode=mode)
        ids = [hit.section.id for hit in outcome.hits]
        report.answered[question.id] = outcome.answer is not None
        report.answer_ids[question.id] = outcome.answer.id if outcome.answer else None
        report.answer_texts[question.id] = outcome.answer.text if outcome.answer else ""
        if not question.expect:
            continue
        rank = next((n for n, i in enumerate(ids, 1) if i in question.expect), None)
        report.ranks[question.id] = rank
        if rank != 1:
            report.first_instead[question.id] = ids[0]
    return report


def summary_rows(report: Report, questions: list[Question]) -> list[tuple[str, int, list]]:
    """(label, count, [hit@1, hit@3, hit@5, hit@10, MRR@10]) for all, Dutch and English."""
    in_scope = [q for q in questions if q.expect]
    groups = {
        "all": [q.id for q in in_scope],
        "nl": [q.id for q in in_scope if q.language == "nl"],
        "en": [q.id for q in in_scope if q.language == "en"],
    }
    return [
        (label, len(ids), [report.hit_at(k, ids) for k in CUTOFFS] + [report.mrr(ids)])
        for label, ids in groups.items()
        if ids
    ]


def has_key_fact(report: Report, question: Question) -> bool:
    text = report.answer_texts[question.id].lower()
    return any(key.lower() in text for key in question.answer_has)


def answer_rates(report: Report, questions: list[Question]) -> dict[str, tuple[float, int]]:
    """Share and count: in-scope cards from an expected section, keyed cards with the key fact,
    out-of-scope questions without a card, in-scope questions with one."""
    inside = [q for q in questions if q.expect]
    keyed = [q for q in inside if q.answer_has]
    outside = [q for q in questions if not q.expect]

    def share(hits: int, total: int) -> tuple[float, int]:
        return (hits / total if total else 0.0, total)

    return {
        "answer from expected section": share(
            sum(report.answer_ids[q.id] in q.expect for q in inside), len(inside)
        ),
        "answer has key fact": share(sum(has_key_fact(report, q) for q in keyed), len(keyed)),
        "out of scope withheld": share(
            sum(not report.answered[q.id] for q in outside), len(outside)
        ),
        "in scope answered": share(sum(report.answered[q.id] for q in inside), len(inside)),
    }


def format_report(report: Report, questions: list[Question], show_misses: bool = True) -> str:
    lines = [f"== {report.mode} ==", "set   n    hit@1  hit@3  hit@5  hit@10  MRR@10"]
    for label, count, values in summary_rows(report, questions):
        lines.append(f"{label:<4} {count:>3}   " + "  ".join(f"{v:.3f}" for v in values))
    for label, (value, count) in answer_rates(report, questions).items():
        if count:
            lines.append(f"{label}: {value:.3f} (n={count})")
    if show_misses:
        by_id = {q.id: q for q in questions}
        for question_id, first in report.first_instead.items():
            question = by_id[question_id]
            rank = report.ranks[question_id] or "-"
            lines.append(
                f"  miss {question_id} (rank {rank}): {question.q!r} wants "
                f"{', '.join(question.expect)}; first: {first}"
            )
        for question in questions:
            answer_id = report.answer_ids[question.id]
            if not question.expect and answer_id:
                lines.append(f"  answered out of scope {question.id}: {question.q!r} → {answer_id}")
            elif question.expect and answer_id is None:
                lines.append(f"  withheld {question.id}: {question.q!r}")
            elif question.answer_has and not has_key_fact(report, question):
                lines.append(
                    f"  no key fact {question.id}: {question.q!r} → "
                    f"{report.answer_texts[question.id][:120]!r}"
                )
    return "\n".join(lines)
