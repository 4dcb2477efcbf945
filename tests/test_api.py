"""The HTTP API through TestClient: every endpoint and every error case, on a small index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import VOCABULARY, fake_components
from fastapi.testclient import TestClient

from indexer.pipeline import IndexBuilder
from qa.settings import ServiceSettings
from models.embedder import KeywordEmbedder
from qa.api.app import create_app

MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("api")
    shutil.copytree(MINI, root / "corpus")
    IndexBuilder(root / "index", fake_components()).run([root / "corpus"])
    return root / "index"


def make_client(index_dir: Path, **settings) -> TestClient:
    app = create_app(ServiceSettings(index_dir=index_dir, embedding_model="keyword", **settings),
                     embedder=KeywordEmbedder(VOCABULARY))
    return TestClient(app)


@pytest.fixture(scope="module")
def client(index_dir):
    with make_client(index_dir) as client:
        yield client


def test_health(client):
    body = client.get("/health").json()
    assert body["documents"] == 2 and body["passages"] > 3 and body["model"] == "keyword" and body["built_at"]


def test_search_returns_cited_passages(client):
    body = client.get("/search", params={"q": "EHCP budget", "k": 5}).json()
    assert body["query"] == "EHCP budget" and body["took_ms"] >= 0
    first = body["results"][0]
    for key in ("passage_id", "text", "highlights", "score", "document", "item", "section_path", "paragraph",
                "page", "char_start", "char_end", "also_at"):
        assert key in first
    assert first["document"]["source_file"] in {"2021-03-children.txt", "2019-06-health.md"}
    assert any(h["kind"] == "figure" for r in body["results"] for h in r["highlights"])


def test_citation_spans_point_into_the_source(client):
    for result in client.get("/search", params={"q": "EHCP timeliness budget care", "k": 10}).json()["results"]:
        source = (MINI / result["document"]["source_file"]).read_text(encoding="utf-8")
        assert source[result["char_start"]:result["char_end"]] == result["text"]


def test_minutes_paragraph_cited_with_item_and_number(client):
    results = client.get("/search", params={"q": "budget", "k": 10}).json()["results"]
    agreed = next(r for r in results if "AGREED" in r["text"])
    assert agreed["paragraph"] == "2.1" and agreed["item"]["number"] == "2"
    assert agreed["document"]["meeting_date"] == "2021-01-12"


def test_duplicates_collapse_into_one_hit(client):
    results = client.get("/search", params={"q": "EHCP timeliness", "k": 10}).json()["results"]
    copies = [r for r in results if "timeliness improved to 53%" in r["text"]]
    assert len(copies) == 1
    assert len(copies[0]["also_at"]) == 1


def test_filters_apply_before_ranking(client):
    only_health = client.get("/search", params={"q": "care budget", "body": "Wellbeing"}).json()["results"]
    assert only_health and all(r["document"]["body"] == "Norfolk Health and Wellbeing Board" for r in only_health)
    dated = client.get("/search", params={"q": "EHCP budget", "date_from": "2020-01-01"}).json()["results"]
    assert dated and all(r["document"]["meeting_date"] >= "2020-01-01" for r in dated)
    nothing = client.get("/search", params={"q": "care budget", "body": "Planning Committee"}).json()
    assert nothing["results"] == []
    assert client.get("/search", params={"q": "budget", "person": "Nobody Atall"}).json()["results"] == []


@pytest.mark.parametrize("params, fragment", [
    ({"q": ""}, "empty"), ({"q": "   "}, "empty"), ({"q": "x" * 1001}, "1000"),
    ({"q": "budget", "k": 0}, "k"), ({"q": "budget", "k": 101}, "k"),
    ({"q": "budget", "date_from": "2020-13-45"}, "YYYY-MM-DD"), ({"q": "budget", "mode": "magic"}, "mode"),
])
def test_bad_queries_get_422_with_a_message(client, params, fragment):
    response = client.get("/search", params=params)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_ask_returns_answer_with_citations(client):
    body = client.post("/ask", json={"question": "what was the EHCP budget?", "k": 3}).json()
    assert body["answer"] and body["citations"]
    assert all(1 <= n <= len(body["citations"]) for s in body["answer"] for n in s["citations"])


def test_ask_what_was_said_adds_digest(client):
    body = client.post("/ask", json={"question": "what was said about the budget", "k": 5}).json()
    assert body["digest"]
    dates = [m["meeting_date"] for m in body["digest"]]
    assert dates == sorted(dates)


def test_ask_rejects_bad_bodies(client):
    assert client.post("/ask", json={"question": ""}).status_code == 422
    assert client.post("/ask", json={"question": "budget", "unknown": 1}).status_code == 422
    assert client.post("/ask", content=b"not json", headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/ask", content=b"x" * 70000, headers={"content-type": "application/json"}).status_code == 413


def test_documents_and_outline(client):
    documents = client.get("/documents").json()
    assert {d["source_file"] for d in documents} == {"2021-03-children.txt", "2019-06-health.md"}
    children = next(d for d in documents if d["source_file"] == "2021-03-children.txt")
    outline = client.get(f"/documents/{children['id']}").json()
    assert [p["kind"] for p in outline["parts"]][:4] == ["cover", "agenda", "minutes", "report"]
    assert outline["parts"][3]["item_number"] == "3" and outline["parts"][3]["start_page"] == 10


def test_passage_with_neighbours(client):
    hit = client.get("/search", params={"q": "budget"}).json()["results"][0]
    body = client.get(f"/passages/{hit['passage_id']}").json()
    assert body["passage"]["passage_id"] == hit["passage_id"]
    assert body["before"] or body["after"]


@pytest.mark.parametrize("path", ["/documents/999999", "/passages/999999", "/entities/999999"])
def test_unknown_ids_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize("path", ["/documents/abc", "/passages/..%2F..%2Fetc%2Fpasswd", "/passages/-1",
                                  "/documents/%00", "/passages/1.5"])
def test_ids_are_numbers_only(client, path):
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert "root:" not in response.text and "Traceback" not in response.text


def test_entities_people_glossary_timeline(client):
    money = client.get("/entities", params={"type": "MONEY"}).json()
    assert any(e["name"] == "£3.142m" for e in money)
    entity = client.get(f"/entities/{money[0]['id']}").json()
    assert entity["mentions"] and entity["mentions"][0]["document"]["source_file"]
    assert client.get("/people").json()[0]["name"] == "Fabian Eagle"
    assert any(g["acronym"] == "LAC" for g in client.get("/glossary").json())
    timeline = client.get("/timeline", params={"q": "budget"}).json()
    assert timeline["points"] and all(p["count"] >= 1 for p in timeline["points"])


def test_openapi_has_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/health", "/search", "/ask", "/documents", "/documents/{document_id}", "/passages/{passage_id}",
                 "/entities", "/entities/{entity_id}", "/people", "/glossary", "/timeline"):
        assert path in paths


def test_missing_index_is_503(tmp_path):
    with make_client(tmp_path / "none") as client:
        response = client.get("/search", params={"q": "budget"})
        assert response.status_code == 503 and "qa index" in response.json()["detail"]


def test_model_mismatch_is_503(index_dir):
    app = create_app(ServiceSettings(index_dir=index_dir, embedding_model="other"), embedder=KeywordEmbedder(VOCABULARY))
    with TestClient(app) as client:
        response = client.get("/health")
        assert response.status_code == 503 and "rebuild" in response.json()["detail"]


def test_token_guard(index_dir):
    with make_client(index_dir, api_token="s3cret") as client:
        assert client.get("/search", params={"q": "budget"}).status_code == 401
        assert client.get("/search", params={"q": "budget"}, headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert client.get("/health", headers={"X-API-Token": "s3cret"}).status_code == 200


def test_cors_closed_by_default(client):
    response = client.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("path", ["/documents/%2Fetc%2Fpasswd", "/passages/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                  "/passages/1%00", "/documents/..%5C..%5Cwindows", "/passages/file:%2F%2F%2Fetc%2Fpasswd"])
def test_no_path_reaches_the_file_system(client, path):
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert "root:" not in response.text and "Traceback" not in response.text


def test_request_body_and_query_limits(client):
    big = {"question": "budget " * 200_000}
    response = client.post("/ask", json=big)
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    assert client.get("/search", params={"q": "x" * 1001}).status_code == 422
    assert client.get("/search", params={"q": "budget", "k": 101}).status_code == 422
    assert client.get("/search", params={"q": "budget", "body": "x" * 1000}).status_code == 422


def test_default_bind_is_local_and_a_public_bind_without_token_warns(monkeypatch, index_dir, caplog):
    import uvicorn
    from typer.testing import CliRunner

    from qa.cli import app

    assert ServiceSettings().host == "127.0.0.1"
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append(k))
    monkeypatch.setattr("qa.api.app.create_app", lambda settings: object())
    with caplog.at_level("WARNING", logger="qa"):
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert calls and calls[0]["host"] == "0.0.0.0"
    assert any("without QA_API_TOKEN" in r.getMessage() for r in caplog.records)


def test_serve_with_workers_starts_each_from_the_app_factory(monkeypatch, index_dir):
    import os

    import uvicorn
    from typer.testing import CliRunner

    from qa.cli import app

    for name, value in (("QA_INDEX_DIR", "index"), ("QA_HOST", "127.0.0.1"), ("QA_PORT", "8000")):
        monkeypatch.setenv(name, value)  # restored after the test: run() sets them
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append((a, k)))
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--port", "8123", "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    (target,), options = calls[0]
    assert target == "qa.api.app:create_app" and options["factory"] and options["workers"] == 2
    # each worker builds its settings from the environment: the same index and address
    assert os.environ["QA_INDEX_DIR"] == str(index_dir) and os.environ["QA_PORT"] == "8123"
    assert ServiceSettings().index_dir == index_dir


def test_api_docs_work_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "http://" not in page.text and "https://" not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        response = client.get(f"/docs-assets/{asset}")
        assert response.status_code == 200 and len(response.content) > 10_000


def test_expansions_highlight_their_content_words_not_their_stop_words(client):
    body = client.get("/search", params={"q": "EHCP timeliness"}).json()
    assert any("Health and Care" in e for e in body["expansions"])
    marked = {r["display_text"][h["start"]:h["end"]].lower() for r in body["results"] for h in r["highlights"]
              if h["kind"] == "term"}
    assert {"ehcp", "health"} <= marked and not marked & {"and", "of", "the"}
