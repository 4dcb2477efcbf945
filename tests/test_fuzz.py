"""Fuzz the API against its own OpenAPI schema with schemathesis: no input may cause a 5xx."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import VOCABULARY, fake_components
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from indexer.pipeline import IndexBuilder
from qa.settings import ServiceSettings
from models.embedder import KeywordEmbedder
from qa.api.app import create_app

schemathesis = pytest.importorskip("schemathesis")

MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINI, root / "corpus")
    IndexBuilder(root / "index", fake_components()).run([root / "corpus"])
    app = create_app(ServiceSettings(index_dir=root / "index", embedding_model="keyword"), embedder=KeywordEmbedder(VOCABULARY))
    with TestClient(app):  # runs the lifespan, which loads the index into app.state
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_server_errors(api_schema):
    tried: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            response = case.call()
            tried[label] = tried.get(label, 0) + 1
            assert response.status_code < 500, f"{label} -> {response.status_code}: {response.text[:300]}"
            assert "Traceback" not in response.text

        call()
    print("fuzzed requests per operation:", tried)
    assert len(tried) >= 11
