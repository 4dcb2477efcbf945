"""Tests for indexer.loaders: decoding, the txt/md/pdf/html loaders and folder discovery."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from indexer.errors import LoadError
from indexer.loaders import LOADERS, SUPPORTED_SUFFIXES, load_file, load_paths
from indexer.records import PageSpan

T = TypeVar("T")
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
UNSUPPORTED_DOCX = (
    "unsupported file type '.docx'; supported: .txt, .md, .markdown, .pdf, .html, .htm"
)


def write(path: Path, raw: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def make_pdf(
    pages: Sequence[str | None],
    label_start: int | None = None,
    roman_front_pages: int = 0,
) -> bytes:
    """Make a PDF with one page per entry: the text, or a filled rectangle only for None."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in pages:
        if text is None:
            pdf.rect(100, 100, 200, 200, fill=1)
        else:
            pdf.drawString(72, 720, text)
        pdf.showPage()
    if label_start is not None:
        pdf.addPageLabel(0, style="ARABIC", start=label_start)
    if roman_front_pages:
        pdf.addPageLabel(0, style="ROMAN_LOWER")
        pdf.addPageLabel(roman_front_pages, style="ARABIC")
    pdf.save()
    return buffer.getvalue()


def encrypt_pdf(raw: bytes, user_password: str) -> bytes:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def finishes_within(seconds: float, call: Callable[[], T]) -> T:
    """Run ``call`` in a daemon thread; fail (rather than hang) if it does not return.

    An exception raised by ``call`` is raised again here.
    """
    outcome: list[tuple[T | None, BaseException | None]] = []

    def run() -> None:
        try:
            outcome.append((call(), None))
        except BaseException as exc:  # handed back to the test's thread
            outcome.append((None, exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"did not finish within {seconds}s"
    value, error = outcome[0]
    if error is not None:
        raise error
    return value  # type: ignore[return-value]  # None only when call raised


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


# --- HTML -----------------------------------------------------------------------------

HOSTILE_HTML = (
    b"<!DOCTYPE html><html><head><title>Cabinet</title>"
    b"<style>.secret-style { color: red }</style>"
    b"<script>var secretScript = 1;</script></head><body>"
    b"<noscript>enable javascript</noscript><template><p>template text</p></template>"
    b"<svg><text>svg label</text></svg><!-- a comment -->"
    b"<h1>Agenda</h1><p>The committee   noted\nthe report.<br>Next line.</p>"
    b"<h2>Item 4: Budget</h2><ul><li>Roads</li><li>Schools <b>and</b> libraries</li></ul>"
    b'<img alt="chart" src="data:image/png;base64,' + b"QUFB" * 2_500_000 + b'">'
    b'<a href="data:text/plain,hello">link text</a>'
    b"<p>Pasted: data:image/gif;base64," + b"R0lG" * 1000 + b" end of paste.</p>"
    b"<div hidden>hidden text</div><p>End.</p></body></html>"
)


def test_html_drops_scripts_styles_and_data_uris_and_marks_headings(tmp_path: Path) -> None:
    source = load_file(write(tmp_path / "agenda.html", HOSTILE_HTML))
    text = source.text
    for dropped in (
        "secret",
        "javascript",
        "template text",
        "svg label",
        "comment",
        "QUFB",
        "R0lG",
        "data:",
        "hidden text",
    ):
        assert dropped not in text
    lines = text.split("\n")
    assert "# Agenda" in lines
    assert "## Item 4: Budget" in lines
    assert "- Roads" in lines and "- Schools and libraries" in lines
    assert "The committee noted the report." in lines and "Next line." in lines
    assert "Pasted: end of paste." in lines
    assert "\n\n\n" not in text
    assert len(text) < 1000
    assert source.media_type == "html"


def test_html_table_rows_become_tab_separated_lines(tmp_path: Path) -> None:
    html = (
        "<table><caption>Capital programme</caption>"
        "<tr><th>Scheme</th><th>Cost</th><th>Year</th></tr>\n"
        "<tr><td>Roads <p>resurfacing</p></td><td>£1.2m</td><td>2021</td></tr>\n"
        "<tr><td>Libraries</td><td></td><td>2022</td></tr></table>"
    )
    source = load_file(write(tmp_path / "table.htm", html.encode("utf-8")))
    lines = source.text.split("\n")
    assert "Scheme\tCost\tYear" in lines
    assert "Roads resurfacing\t£1.2m\t2021" in lines
    assert "Libraries\t\t2022" in lines


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Café – £5</p></body></html>'
    source = load_file(write(tmp_path / "legacy.html", html.encode("cp1252")))
    assert source.text == "Café – £5"
    assert source.encoding == "cp1252"
    assert source.warnings == ()


def test_deeply_nested_html_does_not_overflow(tmp_path: Path) -> None:
    raw = b"<div>" * 20_000 + b"deep text" + b"</div>" * 20_000
    assert load_file(write(tmp_path / "deep.html", raw)).text == "deep text"


def test_html_without_visible_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no visible text"):
        load_file(write(tmp_path / "empty.html", b"<html><script>x()</script></html>"))


# --- PDF ------------------------------------------------------------------------------

PAGES = ["Alpha apologies page one", "Bravo budget page two", "Charlie closure page three"]


def test_pdf_pages_have_spans_over_their_own_text(tmp_path: Path) -> None:
    source = load_file(write(tmp_path / "pack.pdf", make_pdf(PAGES)))
    assert source.media_type == "pdf"
    assert [span.page for span in source.pages] == [1, 2, 3]
    for span, page_text in zip(source.pages, PAGES, strict=True):
        assert source.text[span.char_start : span.char_end].strip() == page_text
    second = source.pages[1]
    assert "Bravo budget page two" in source.text[second.char_start : second.char_end]
    assert "Alpha" not in source.text[second.char_start : second.char_end]
    assert source.pages[0].char_end + 2 == source.pages[1].char_start
    assert source.text[source.pages[0].char_end : source.pages[1].char_start] == "\n\n"


def test_pdf_uses_integer_page_labels(tmp_path: Path) -> None:
    source = load_file(write(tmp_path / "labelled.pdf", make_pdf(PAGES, label_start=7)))
    assert [span.page for span in source.pages] == [7, 8, 9]


def test_pdf_mixed_page_labels_fall_back_to_positions(tmp_path: Path) -> None:
    raw = make_pdf(PAGES, roman_front_pages=1)  # labels i, 1, 2: numbers would repeat
    source = load_file(write(tmp_path / "front-matter.pdf", raw))
    assert [span.page for span in source.pages] == [1, 2, 3]
    assert any("'i'" in warning for warning in source.warnings)


def test_pdf_pages_without_text_are_listed(tmp_path: Path) -> None:
    source = load_file(write(tmp_path / "scan.pdf", make_pdf(["Text page", None, None, "End"])))
    assert [span.page for span in source.pages] == [1, 4]
    assert any("no text on pages 2-3" in warning for warning in source.warnings)


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    raw = make_pdf(PAGES)
    with pytest.raises(LoadError, match="corrupt or truncated PDF"):
        load_file(write(tmp_path / "cut.pdf", raw[: len(raw) // 2]))


def test_pdf_encrypted_with_a_user_password_is_refused(tmp_path: Path) -> None:
    raw = encrypt_pdf(make_pdf(PAGES), user_password="secret")
    with pytest.raises(LoadError, match="encrypted PDF"):
        load_file(write(tmp_path / "locked.pdf", raw))


def test_pdf_encrypted_with_an_empty_user_password_loads(tmp_path: Path) -> None:
    source = load_file(write(tmp_path / "owner-only.pdf", encrypt_pdf(make_pdf(PAGES), "")))
    assert "Bravo budget page two" in source.text


def test_pdf_without_a_text_layer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"no text layer \(scanned image\?\); run OCR first"):
        load_file(write(tmp_path / "scanned.pdf", make_pdf([None])))


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
