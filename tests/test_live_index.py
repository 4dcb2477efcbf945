"""Switching generations under a running server: opened in the background, failures remembered, held ones kept."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import pytest
from fakes import VOCABULARY, fake_components
from fastapi.testclient import TestClient

import qa.generation
from indexer.pipeline import IndexBuilder
from indexer.store.layout import CURRENT, current_generation
from indexer.store.reader import IndexReader
from models.embedder import KeywordEmbedder
from qa.api.app import create_app
from qa.generation import Generation, LiveIndex
from qa.service import QAService
from qa.settings import ServiceSettings

MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "corpus")
    return tmp_path / "corpus"


def publish(index: Path, corpus: Path, paper: str, model: str = "keyword") -> str:
    """Add a paper and build, as `qa index` would; the name of the generation published."""
    (corpus / f"{paper}.txt").write_text(f"{paper} report\n\nThe {paper} budget was agreed.\n", encoding="utf-8")
    report = IndexBuilder(index, fake_components(model)).run([corpus], rebuild=True)
    assert report.published
    return (index / CURRENT).read_text(encoding="utf-8")


def settled(live: LiveIndex, timeout: float = 30) -> None:
    """Wait for a background open to finish."""
    deadline = time.monotonic() + timeout
    while live.opening and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not live.opening


def client_for(index: Path) -> TestClient:
    settings = ServiceSettings(index_dir=index, embedding_model="keyword")
    return TestClient(create_app(settings, embedder=KeywordEmbedder(VOCABULARY)))


def test_a_request_during_a_slow_open_is_answered_by_the_old_generation(tmp_path, corpus, monkeypatch):
    index = tmp_path / "index"
    first = publish(index, corpus, "alpha")
    with client_for(index) as client:
        live = client.app.state.service.live
        second = publish(index, corpus, "beta")
        release = threading.Event()

        class SlowGeneration(Generation):
            def __init__(self, *args: object) -> None:
                assert release.wait(30)
                super().__init__(*args)

        monkeypatch.setattr(qa.generation, "Generation", SlowGeneration)
        started = time.monotonic()
        assert client.get("/health").json()["generation"] == first  # starts the open, does not wait for it
        assert live.opening == second
        hits = client.get("/search", params={"q": "budget"}).json()["results"]
        assert hits and all(h["document"]["source_file"] != "beta.txt" for h in hits)
        assert time.monotonic() - started < 5
        release.set()
        settled(live)
        assert client.get("/health").json()["generation"] == second
        hits = client.get("/search", params={"q": "beta budget"}).json()["results"]
        assert any(h["document"]["source_file"] == "beta.txt" for h in hits)


def test_a_generation_that_fails_to_open_is_remembered_and_reported(tmp_path, corpus, caplog):
    index = tmp_path / "index"
    first = publish(index, corpus, "alpha")
    with client_for(index) as client, caplog.at_level(logging.INFO, logger="qa.generation"):
        live = client.app.state.service.live
        wrong = publish(index, corpus, "beta", model="other")
        for _ in range(5):
            assert client.get("/health").status_code == 200
            settled(live)
        health = client.get("/health").json()
        assert health["generation"] == first and health["status"] == "degraded" and "rebuild" in health["problem"]
        assert client.get("/search", params={"q": "budget"}).json()["results"]
        failures = [r for r in caplog.records if wrong in r.getMessage()]
        assert len(failures) == 1 and failures[0].exc_info is None and "\n" not in failures[0].getMessage()
        fixed = publish(index, corpus, "gamma")
        client.get("/health")
        settled(live)
        health = client.get("/health").json()
        assert health["generation"] == fixed and health["status"] == "ok" and "problem" not in health


def test_a_held_generation_stays_on_disk_until_its_server_lets_it_go(tmp_path, corpus):
    index = tmp_path / "index"
    publish(index, corpus, "alpha")
    settings, embedder = ServiceSettings(index_dir=index, embedding_model="keyword"), KeywordEmbedder(VOCABULARY)
    gate = threading.Event()
    gate.set()

    def open_when_let() -> Generation:
        assert gate.wait(30)
        return Generation(index, embedder, settings)

    live = LiveIndex(settings, embedder, open_when_let)
    gate.clear()
    held = current_generation(index)
    publish(index, corpus, "beta")
    third = publish(index, corpus, "gamma")  # two builds while the server had no request
    assert held.is_dir()
    assert live.current.engine.search("budget", 5, None, "hybrid", True, True).hits
    with live.use() as generation:  # a request in flight on the held generation while the server switches
        assert generation.reader.generation == held and live.opening == third
        gate.set()
        settled(live)
        assert live.current is generation and live.newest.pointer == third
        publish(index, corpus, "delta")
        assert held.is_dir() and generation.reader.documents()
    publish(index, corpus, "epsilon")  # the server let go of alpha when its last request ended
    assert not held.exists()
    live.close()


def test_an_open_reader_keeps_its_generation_and_close_lets_it_go(tmp_path, corpus):
    index = tmp_path / "index"
    publish(index, corpus, "alpha")
    with IndexReader(index) as reader:
        for paper in ("beta", "gamma", "delta"):
            publish(index, corpus, paper)
        assert reader.generation.is_dir() and reader.integrity_problems() == []
    publish(index, corpus, "epsilon")
    assert not reader.generation.exists()
    assert len(list(index.glob("gen-*"))) == 2


def test_a_request_in_flight_keeps_its_generation_open_across_a_switch(tmp_path, corpus, monkeypatch):
    index = tmp_path / "index"
    publish(index, corpus, "alpha")
    first = current_generation(index)
    entered, go = threading.Event(), threading.Event()
    health = QAService.health

    def slow_health(service: QAService) -> dict:
        if not entered.is_set():
            entered.set()
            assert go.wait(30)
        return health(service) | {"papers": len(service.current.reader.documents())}

    monkeypatch.setattr(QAService, "health", slow_health)
    with client_for(index) as client:
        live = client.app.state.service.live
        responses: list[dict] = []
        request = threading.Thread(target=lambda: responses.append(client.get("/health").json()))
        request.start()
        assert entered.wait(30)
        publish(index, corpus, "beta")
        client.get("/health")  # starts opening beta
        settled(live)
        publish(index, corpus, "gamma")
        assert first.is_dir()  # the request in flight still holds alpha
        go.set()
        request.join(30)
        assert responses[0]["generation"] == first.name and responses[0]["papers"] == 3
        publish(index, corpus, "delta")
        assert not first.exists()


def test_a_server_that_started_without_a_usable_index_retries_only_a_new_publish(tmp_path, corpus, caplog):
    index = tmp_path / "index"
    with client_for(index) as client, caplog.at_level(logging.WARNING, logger="qa.api.app"):
        assert client.get("/health").status_code == 503
        publish(index, corpus, "alpha", model="other")
        for _ in range(3):
            response = client.get("/health")
            assert response.status_code == 503 and "rebuild" in response.json()["detail"]
        assert len([r for r in caplog.records if "rebuild" in r.getMessage()]) == 1
        fixed = publish(index, corpus, "beta")
        assert client.get("/health").json()["generation"] == fixed
