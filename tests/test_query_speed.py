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
