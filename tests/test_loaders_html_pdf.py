"""Tests for the HTML and PDF loaders: what is kept, what is dropped, pages and their labels, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import LoadError
from indexer.loaders import load_file
from loader_files import PAGES, encrypt_pdf, make_pdf, write

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


