"""/docs works with no network: Swagger UI's files come from the app itself, not a CDN."""

from __future__ import annotations

import re

from fakes import VOCABULARY
from fastapi.testclient import TestClient

from models.embedder import KeywordEmbedder
from qa.api.app import create_app
from qa.settings import ServiceSettings


def test_docs_page_and_everything_it_loads_are_served_locally(tmp_path):
    app = create_app(ServiceSettings(index_dir=tmp_path / "none", embedding_model="keyword"),
                     embedder=KeywordEmbedder(VOCABULARY))
    with TestClient(app) as client:
        page = client.get("/docs")
        assert page.status_code == 200 and not re.search(r"https?://", page.text)
        assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
        assert {a.rsplit("/", 1)[-1] for a in assets} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
        for asset in assets:
            response = client.get(asset)
            assert response.status_code == 200 and response.content, asset
        assert "oauth2" in client.get(app.swagger_ui_oauth2_redirect_url).text
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN, so it is off
