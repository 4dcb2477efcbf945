"""The fast query path: the ONNX query encoder agrees with torch, and the CLI uses a running server."""

from __future__ import annotations

import socket
import threading
import time

import numpy as np
import pytest

TEXTS = ["EHCP timeliness", "how many looked after children were there in April 2018",
         "what did the Director of Learning and Inclusion say about boys' attainment",
         "The Committee AGREED the Carers Charter Task and Finish Group be made a working group. " * 20, "x"]


def test_onnx_query_vectors_match_torch(tmp_path):
    from models.embedder import SentenceTransformerEmbedder
    from models.onnx_embedder import OnnxEmbedder

    onnx = OnnxEmbedder(root=tmp_path)  # exported here, from the bundled model
    torch_vectors = SentenceTransformerEmbedder(precision="fp32").encode_queries(TEXTS)
    onnx_vectors = onnx.encode_queries(TEXTS)
    assert onnx_vectors.shape == torch_vectors.shape
    assert np.min(np.sum(onnx_vectors * torch_vectors, axis=1)) >= 0.9999
    assert onnx.name == "sentence-transformers/all-MiniLM-L6-v2" and onnx.dim == 384
    # Encoding one query at a time gives the vectors a batch gives (padding changes nothing).
    single = np.vstack([onnx.encode_queries([t]) for t in TEXTS])
    assert np.min(np.sum(single * onnx_vectors, axis=1)) >= 0.9999


def test_a_build_encodes_passages_with_onnx_one_at_a_time_and_gets_torch_s_vectors(monkeypatch):
    from indexer.components import create_passage_embedder
    from indexer.settings import IndexSettings
    from models import onnx_embedder
    from models.embedder import SentenceTransformerEmbedder
    from models.onnx_embedder import OnnxEmbedder

    monkeypatch.setattr(onnx_embedder, "native_bf16_cpu", lambda: False)
    settings = IndexSettings(embedding_model="default")
    embedder = create_passage_embedder(settings)
    assert isinstance(embedder, OnnxEmbedder) and embedder._passage_batch_size == 1
    torch_vectors = SentenceTransformerEmbedder(precision="fp32").encode_passages(TEXTS)
    assert np.min(np.sum(embedder.encode_passages(TEXTS) * torch_vectors, axis=1)) >= 0.9999
    # Asked for torch, or on a CPU with native bf16 asked for bf16, a build keeps sentence-transformers.
    assert isinstance(create_passage_embedder(settings.model_copy(update={"passage_backend": "torch"})),
                      SentenceTransformerEmbedder)
    monkeypatch.setattr(onnx_embedder, "native_bf16_cpu", lambda: True)
    assert isinstance(create_passage_embedder(settings), SentenceTransformerEmbedder)


def test_each_distinct_passage_text_is_encoded_once():
    from indexer.runner import encode_distinct
    from models.embedder import KeywordEmbedder

    seen: list[str] = []

    class Counting(KeywordEmbedder):
        def encode_passages(self, texts, show_progress=False):
            seen.extend(texts)
            return super().encode_passages(texts)

    embedder = Counting(("carers", "school"))
    steps: list[tuple[int, int]] = []
    inputs = ["carers charter", "school places", "carers charter", "nothing", "school places"]
    vectors = encode_distinct(embedder, inputs, lambda stage, done, total: steps.append((done, total)), step=2)
    assert seen == ["carers charter", "school places", "nothing"]
    assert np.array_equal(vectors, embedder.encode_passages(inputs))
    assert steps == [(0, 3), (2, 3), (3, 3)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def running_server(real_index):
    import uvicorn

    from qa.api.app import create_app
    from qa.settings import ServiceSettings

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ServiceSettings(index_dir=real_index)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_cli_answers_through_a_running_server_of_the_same_index(running_server, real_index, monkeypatch):
    from typer.testing import CliRunner

    import qa.cli

    def no_local_models(*args, **kwargs):
        raise AssertionError("the CLI loaded models although a server of this index was running")

    monkeypatch.setattr(qa.cli, "_service", no_local_models)
    monkeypatch.setenv("QA_PORT", str(running_server))
    monkeypatch.delenv("QA_NO_SERVER", raising=False)
    result = CliRunner().invoke(qa.cli.app, ["search", "carers charter working group", "-k", "2",
                                             "--index-dir", str(real_index)])
    assert result.exit_code == 0, result.output
    assert "Carers Charter" in result.output
    result = CliRunner().invoke(qa.cli.app, ["ask", "how many looked after children were there in April 2018",
                                             "--index-dir", str(real_index)])
    assert result.exit_code == 0 and "1179" in result.output, result.output


def test_cli_works_alone_when_no_server_serves_the_index(real_index, monkeypatch):
    from typer.testing import CliRunner

    import qa.cli

    monkeypatch.setenv("QA_PORT", str(_free_port()))  # nothing listens there
    result = CliRunner().invoke(qa.cli.app, ["search", "carers charter working group", "-k", "1", "--json",
                                             "--index-dir", str(real_index)])
    assert result.exit_code == 0, result.output
    assert '"citation"' in result.output and "Carers Charter" in result.output
