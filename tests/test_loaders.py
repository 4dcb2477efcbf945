"""Tests for indexer.loaders: decoding, the text loaders and folder discovery."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from indexer.errors import LoadError
from indexer.loaders import LOADERS, SUPPORTED_SUFFIXES, load_file, load_paths
from indexer.records import PageSpan
from loader_files import PAGES, finishes_within, make_pdf, write

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
UNSUPPORTED_DOCX = (
    "unsupported file type '.docx'; supported: .txt, .md, .markdown, .pdf, .html, .htm"
)


# --- text and decoding -------------------------------------------------------------


def test_utf8_text_loads_as_is_with_digest_and_name(tmp_path: Path) -> None:
    text = "Cabinet – 13 November 2020\n\n1. Apologies\nCllr Müller sent £0 apologies.\n"
    path = write(tmp_path / "papers" / "cabinet.txt", text.encode("utf-8"))
    source = load_file(path, root=tmp_path)
    assert source.text == text
    assert source.source_file == "papers/cabinet.txt"
    assert source.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert (source.media_type, source.encoding, source.warnings, source.pages) == (
        "text",
        "utf-8",
        (),
        (),
    )
    assert load_file(path).source_file == "cabinet.txt"


def test_markdown_media_type(tmp_path: Path) -> None:
    for name in ("notes.md", "notes.markdown"):
        source = load_file(write(tmp_path / name, b"# Minutes\n\nAgreed.\n"))
        assert source.media_type == "markdown"
        assert source.text == "# Minutes\n\nAgreed.\n"


def test_cp1252_fallback_is_recorded_with_a_warning(tmp_path: Path) -> None:
    text = "Café budget £100 – naïve résumé of the Council’s “plan”"
    source = load_file(write(tmp_path / "legacy.txt", text.encode("cp1252")))
    assert source.text == text
    assert source.encoding == "cp1252"
    assert "decoded as cp1252 (not UTF-8)" in source.warnings


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_mark_decides_and_is_not_in_the_text(tmp_path: Path, codec: str) -> None:
    text = "Agenda item 4: Schools’ budget £2.5m\r\n"
    raw = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode(codec)
    source = load_file(write(tmp_path / "bom.txt", raw))
    assert source.text == text
    assert source.warnings == ()


def test_mixed_line_endings_are_kept_byte_for_byte(tmp_path: Path) -> None:
    raw = b"one\r\ntwo\rthree\nfour\r\n\r\n  five\t \n"
    source = load_file(write(tmp_path / "mixed.txt", raw))
    assert source.text == raw.decode("ascii")
    assert source.text.encode("ascii") == raw


@pytest.mark.parametrize("raw", [b"", b"   \r\n\t\n  "], ids=["empty", "whitespace"])
def test_empty_and_whitespace_only_files_are_refused(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(LoadError, match="empty file"):
        load_file(write(tmp_path / "blank.txt", raw))


@pytest.mark.parametrize(
    "raw",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, bytes(range(1, 32)) * 40],
    ids=["nul-bytes", "control-characters"],
)
def test_binary_content_named_txt_is_refused(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(LoadError, match="binary content, not text"):
        load_file(write(tmp_path / "image.txt", raw))


def test_replacement_characters_are_kept_and_counted(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbfabc\xff def\xfe ghi\xff"
    source = load_file(write(tmp_path / "damaged.txt", raw))
    assert source.text.count("\ufffd") == 3
    assert "3 undecodable characters replaced with U+FFFD" in source.warnings


def test_file_over_max_bytes_is_refused_with_sizes(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"x" * 100)
    with pytest.raises(LoadError, match=r"100 bytes.*10-byte limit"):
        load_file(path, max_bytes=10)
    assert load_file(path, max_bytes=100).text == "x" * 100


def test_unsupported_suffix_is_named_with_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as error:
        load_file(write(tmp_path / "report.docx", b"PK\x03\x04"))
    assert str(error.value) == UNSUPPORTED_DOCX
    # Exact suffix only: no substring matching on ".txt".
    with pytest.raises(LoadError, match="unsupported file type '.bak'"):
        load_file(write(tmp_path / "notes.txt.bak", b"text"))
    assert set(LOADERS) == set(SUPPORTED_SUFFIXES)


def test_upper_case_suffix_is_supported(tmp_path: Path) -> None:
    assert load_file(write(tmp_path / "MINUTES.TXT", b"Minutes")).media_type == "text"


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        finishes_within(10, lambda: load_file(fifo))


# --- folders --------------------------------------------------------------------------


def test_load_paths_loads_good_files_and_reports_each_bad_one(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write(folder / "a_minutes.txt", b"Minutes of the meeting")
    write(folder / "b_notes.md", b"# Notes\n")
    write(folder / "c_agenda.html", b"<h1>Agenda</h1>")
    write(folder / "d_pack.pdf", make_pdf(PAGES))
    write(folder / "sub" / "e_report.txt", b"Report")
    write(folder / "empty.txt", b"")
    write(folder / "image.txt", b"\x00\x01\x02binary")
    write(folder / "report.docx", b"PK\x03\x04")
    write(folder / "sub" / "cut.pdf", make_pdf(PAGES)[:300])
    write(folder / ".hidden.txt", b"hidden")
    write(folder / ".git" / "HEAD.txt", b"hidden folder")
    sources, failures = load_paths([folder])
    assert [source.source_file for source in sources] == [
        "a_minutes.txt",
        "b_notes.md",
        "c_agenda.html",
        "d_pack.pdf",
        "sub/e_report.txt",
    ]
    reasons = {failure.source_file: failure.reason for failure in failures}
    assert list(reasons) == ["empty.txt", "image.txt", "report.docx", "sub/cut.pdf"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["image.txt"] == "binary content, not text"
    assert reasons["report.docx"] == UNSUPPORTED_DOCX
    assert reasons["sub/cut.pdf"].startswith("corrupt or truncated PDF")
    assert load_paths([folder]) == (sources, failures)


def test_symlink_loops_and_broken_links_are_reported_not_followed_forever(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "corpus"
    write(folder / "good.txt", b"Good paper")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "broken.txt").symlink_to(tmp_path / "missing.txt")
    sources, failures = finishes_within(30, lambda: load_paths([folder], root=folder))
    assert [source.source_file for source in sources] == ["good.txt"]
    reasons = {failure.source_file: failure.reason for failure in failures}
    assert set(reasons) == {"broken.txt", "loop", "self.txt"}
    assert "broken symbolic link" in reasons["broken.txt"]
    assert "loop" in reasons["loop"]
    assert "loop" in reasons["self.txt"]


def test_unreadable_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write(folder / "good.txt", b"Good paper")
    locked = folder / "locked"
    write(locked / "secret.txt", b"Secret paper")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("permissions are not enforced for this user (root?)")
        sources, failures = load_paths([folder])
    finally:
        locked.chmod(0o755)
    assert [source.source_file for source in sources] == ["good.txt"]
    assert [failure.source_file for failure in failures] == ["locked"]
    assert "cannot read folder" in failures[0].reason


def test_unreadable_folder_is_reported_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    write(folder / "good.txt", b"Good paper")
    write(folder / "locked" / "secret.txt", b"Secret paper")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    sources, failures = load_paths([folder])
    assert [source.source_file for source in sources] == ["good.txt"]
    assert [(f.source_file, f.reason) for f in failures] == [
        ("locked", "cannot read folder: Permission denied; check its permissions")
    ]


def test_names_with_spaces_and_non_ascii_characters(tmp_path: Path) -> None:
    name = "Cabinet papers – Café 2021 ü.txt"
    write(tmp_path / "Meeting 1" / name, "Décision".encode())
    sources, failures = load_paths([tmp_path / "Meeting 1"], root=tmp_path)
    assert failures == []
    assert [source.source_file for source in sources] == [f"Meeting 1/{name}"]
    assert sources[0].text == "Décision"


def test_default_corpus_loads_without_failures() -> None:
    sources, failures = load_paths([CORPUS])
    assert failures == []
    assert len(sources) == 5
    assert [source.source_file for source in sources] == sorted(p.name for p in CORPUS.iterdir())
    for source in sources:
        raw = (CORPUS / source.source_file).read_bytes()
        assert source.text.strip() and source.media_type == "text"
        assert source.sha256 == hashlib.sha256(raw).hexdigest()


def test_page_span_record_is_the_shared_one(tmp_path: Path) -> None:
    source = load_file(write(tmp_path / "one.pdf", make_pdf(["Only page"])))
    assert source.pages == (PageSpan(1, 0, len("Only page")),)
