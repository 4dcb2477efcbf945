"""Shared fixtures: paths to the checked-in corpus and parsed packs, built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer.records import ParsedDocument, SourceText
from indexer.structure import parse_document

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
PACKS = sorted(p.name for p in CORPUS.glob("*.txt"))


def source_of(name: str) -> SourceText:
    """The corpus file as a SourceText, read directly (the loaders have their own tests)."""
    return SourceText(source_file=name, text=(CORPUS / name).read_text(encoding="utf-8"), sha256="", media_type="text")


@pytest.fixture(scope="session")
def parsed_corpus() -> dict[str, ParsedDocument]:
    """Every corpus pack parsed with the model-free token counter."""
    return {name: parse_document(source_of(name)) for name in PACKS}


def make_source(text: str, name: str = "paper.txt") -> SourceText:
    """A SourceText for a string, for unit tests."""
    return SourceText(source_file=name, text=text, sha256="", media_type="text")


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The whole corpus indexed with the real bundled models, once per test session (~1-2 minutes)."""
    from indexer.factory import build_index
    from indexer.settings import IndexSettings

    reuse = os.environ.get("QA_TEST_INDEX")
    if reuse:  # a prebuilt index of corpus/ (e.g. from `make index`), to iterate without a rebuild
        return Path(reuse)
    index_dir = tmp_path_factory.mktemp("real") / "index"
    report = build_index([CORPUS], IndexSettings(index_dir=index_dir))
    assert report.failures == [] and report.published
    return index_dir


@pytest.fixture(scope="session")
def real_client(real_index):
    """A TestClient over the real index, lifespan run once."""
    from fastapi.testclient import TestClient

    from qa.api.app import create_app
    from qa.settings import ServiceSettings

    with TestClient(create_app(ServiceSettings(index_dir=real_index))) as client:
        yield client
