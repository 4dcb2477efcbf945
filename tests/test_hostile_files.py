"""A folder of hostile files next to good ones: good files indexed, bad ones reported, index intact."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from fakes import fake_components
from typer.testing import CliRunner

from indexer.pipeline import IndexBuilder
from indexer.store.reader import IndexReader

MINI = Path(__file__).resolve().parent / "data" / "mini"
GOOD_EXTRA = {"latin1.txt", "utf16.txt", "mixed endings.txt", "Cómité 2020 – notes.md", "page.html", "good.pdf"}


def _pdf(pages: list[str]) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in pages:
        if text:
            pdf.drawString(72, 720, text)
        else:
            pdf.rect(100, 100, 200, 200)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(["Secret minutes of the committee."]))))
    writer.encrypt(user_password="letmein", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_hostile_folder(folder: Path) -> set[str]:
    """Write the hostile files; return the names expected to fail."""
    shutil.copytree(MINI, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin1.txt").write_bytes("Committee minutes\n\nThe café budget was £5k for the year.\n".encode("latin-1"))
    (folder / "utf16.txt").write_bytes("Committee notes\n\nThe EHCP budget is agreed.\n".encode("utf-16"))
    (folder / "mixed endings.txt").write_bytes(b"Title line\r\n\r\nFirst paragraph about care.\nSecond line.\rThird line.\r\n")
    (folder / "huge.txt").write_bytes(b"budget care line\n" * (50 * 1024 * 1024 // 17 + 1))
    good_pdf = _pdf(["Page one about the transport budget.", "Page two about EHCP timeliness."])
    (folder / "good.pdf").write_bytes(good_pdf)
    (folder / "truncated.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])
    (folder / "encrypted.pdf").write_bytes(_encrypted_pdf())
    (folder / "scanned.pdf").write_bytes(_pdf([""]))
    script = "<script>alert('x')</script><style>p{color:red}</style>"
    data = "data:image/png;base64," + "A" * (5 * 1024 * 1024)
    (folder / "page.html").write_text(f"<html><head>{script}</head><body><h1>Care report</h1><p>The care budget rose.</p>"
                                      f"<img src='{data}'></body></html>", encoding="utf-8")
    (folder / "Cómité 2020 – notes.md").write_text("# Notes\n\nThe obesity programme continues.\n", encoding="utf-8")
    (folder / "loop").mkdir()
    os.symlink(folder / "loop", folder / "loop" / "again")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text("hidden\n")
    locked.chmod(0)
    return {"empty.txt", "binary.txt", "huge.txt", "truncated.pdf", "encrypted.pdf", "scanned.pdf"}


@pytest.fixture()
def hostile(tmp_path: Path):
    folder = tmp_path / "hostile"
    expected_failures = make_hostile_folder(folder)
    yield folder, expected_failures
    (folder / "locked").chmod(0o755)


def test_good_files_indexed_bad_files_reported(tmp_path, hostile):
    folder, expected_failures = hostile
    index = tmp_path / "index"
    IndexBuilder(index, fake_components()).run([MINI])
    report = IndexBuilder(index, fake_components()).run([folder])
    failed = {f.source_file for f in report.failures}
    assert expected_failures <= failed
    reasons = {f.source_file: f.reason for f in report.failures}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "encrypted" in reasons["encrypted.pdf"] and "text layer" in reasons["scanned.pdf"]
    assert "limit" in reasons["huge.txt"]
    indexed = set(IndexReader(index).manifest.documents)
    assert GOOD_EXTRA | {p.name for p in MINI.iterdir()} <= indexed
    assert not failed & indexed
    assert IndexReader(index).integrity_problems() == []
    conn = IndexReader(index).connection()
    html = conn.execute("SELECT text FROM documents WHERE source_file = 'page.html'").fetchone()[0]
    assert "alert" not in html and "base64" not in html and "Care report" in html
    print(f"tried {report.tried}, indexed {len(indexed)}, reported {len(report.failures)}")


def test_cli_exit_code_says_some_files_failed(tmp_path, hostile, monkeypatch):
    from indexer import factory
    from qa.cli import app

    folder, _ = hostile
    monkeypatch.setattr(factory, "create_components", lambda settings: fake_components("default"))
    result = CliRunner().invoke(app, ["index", str(folder), "--index-dir", str(tmp_path / "index")])
    assert result.exit_code == 1, result.output
    assert "could not be indexed" in result.output and "empty.txt" in result.output
    assert IndexReader(tmp_path / "index").integrity_problems() == []
