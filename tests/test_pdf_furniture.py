"""Page furniture (running headers and footers, page numbers) stays out of a PDF's text and passages."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from loader_files import write

from indexer.loaders import load_file
from indexer.loaders.furniture import furniture_lines
from indexer.structure import parse_document

KENT = Path(__file__).resolve().parent / "data" / "realworld" / "kent"
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:page\s+)?[-–—]?\s*(\d{1,3})\s*[-–—]?(?:\s+of\s+\d+)?\s*$", re.I)


TOPICS = ["school transport", "libraries", "care leavers", "highways", "adoption", "public health"]


def body(page: int) -> list[str]:
    """Six lines of a page's prose, different on every page."""
    topic = TOPICS[page - 1]
    return [f"The committee considered the report on {topic} and", "agreed the budget for the coming year.",
            f"Officers reported that {page * 17 + 40} pupils were affected by the {topic} plan.",
            f"Members asked how {topic} would be funded.", "The Director replied that a bid had been made.",
            f"RESOLVED that the {topic} report be noted."]


# --- furniture_lines on pages as lines ------------------------------------------------------


def test_page_numbers_at_the_foot_are_furniture() -> None:
    for footer in ("{n}", "Page {n}", "- {n} -", "Page {n} of 4", "page {n}"):
        pages = [body(n) + [footer.format(n=n)] for n in range(1, 5)]
        found = furniture_lines(pages, [1, 2, 3, 4])
        assert found == [{6}] * 4, footer


def test_printed_numbers_ahead_of_positions_are_found() -> None:
    # An agenda pack's pages 37-40 are the PDF's pages 1-4 (no page labels).
    pages = [[str(36 + n)] + body(n) for n in range(1, 5)]
    assert furniture_lines(pages, [1, 2, 3, 4]) == [{0}] * 4


def test_running_header_is_dropped_after_its_first_page() -> None:
    header = ["Appendix H", "Reserves Policy 2025-26"]
    pages = [header + body(n) for n in range(1, 5)]
    found = furniture_lines(pages, [1, 2, 3, 4])
    assert found[0] == set()  # on the first page it says what the paper is
    assert found[1:] == [{0, 1}] * 3
    assert furniture_lines(pages[:2], [1, 2]) == [set(), set()]  # two pages cannot tell a header from a title


def test_running_footer_with_the_page_number_is_furniture() -> None:
    pages = [body(n) + [f"Cabinet, 9 January 2025, page {n}"] for n in range(1, 6)]
    assert furniture_lines(pages, [1, 2, 3, 4, 5]) == [{6}] * 5  # on the first page too: it is no title


def test_content_that_looks_like_furniture_is_kept() -> None:
    pages = [body(n) for n in range(1, 7)]
    pages[1].append("2024")  # a table cell, not page 2's number
    pages[2].insert(0, "7")  # a figure at the top of page 3
    pages[3].append("The meeting ended at 12.30 pm.")
    pages[4].append("The meeting ended at 12.30 pm.")  # on two pages of six: content, not a footer
    pages[5].append("Page")
    assert furniture_lines(pages, [1, 2, 3, 4, 5, 6]) == [set()] * 6


def test_only_the_edges_of_a_page_are_looked_at() -> None:
    pages = [body(n)[:3] + [f"Page {n}", "Kent County Council"] + body(n)[3:] for n in range(1, 5)]
    assert furniture_lines(pages, [1, 2, 3, 4]) == [set()] * 4


# --- a generated PDF through the loader and the parser ------------------------------------------


def make_paged_pdf(pages: int) -> bytes:
    """Pages with a running header, two numbered paragraphs and a "Page n of N" footer."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n in range(1, pages + 1):
        pdf.drawString(72, 800, "Children's Services Committee - 10 July 2018")
        for row, line in enumerate(body(n)):
            pdf.drawString(72, 720 - 16 * row, line)
        pdf.drawString(280, 40, f"Page {n} of {pages}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_text_and_passages_leave_furniture_out(tmp_path: Path) -> None:
    source = load_file(write(tmp_path / "pack.pdf", make_paged_pdf(4)))
    assert "Page 2 of 4" not in source.text and "Page 1 of 4" not in source.text
    assert source.text.count("Children's Services Committee - 10 July 2018") == 1
    for span, n in zip(source.pages, range(1, 5), strict=True):
        page_text = source.text[span.char_start:span.char_end]
        assert page_text.startswith("The committee considered") or n == 1
        assert page_text.endswith(f"RESOLVED that the {TOPICS[n - 1]} report be noted.")
    for passage in parse_document(source).passages:
        assert passage.text == source.text[passage.char_start:passage.char_end]
        assert not re.search(r"Page \d of 4", passage.text)


def test_a_page_with_only_its_number_is_not_called_a_scan(tmp_path: Path) -> None:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n, text in enumerate(["Opening words of the report.", None, "Closing words of the report."], 1):
        if text:
            pdf.drawString(72, 720, text)
        pdf.drawString(280, 40, str(n))
        pdf.showPage()
    pdf.save()
    source = load_file(write(tmp_path / "blank-middle.pdf", buffer.getvalue()))
    assert [span.page for span in source.pages] == [1, 3]
    assert not any("scanned" in warning for warning in source.warnings)
    assert not re.search(r"^\d$", source.text, re.M)


# --- the Kent papers -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kent() -> dict[str, object]:
    return {path.name: parse_document(load_file(path)) for path in sorted(KENT.glob("*.pdf"))}


def test_no_kent_passage_quotes_a_page_number(kent) -> None:
    quoted = [(name, passage.ordinal, line) for name, doc in kent.items() for passage in doc.passages
              for line in passage.text.splitlines()
              if (m := PAGE_NUMBER_LINE.match(line)) and passage.page is not None
              and int(m.group(1)) in (passage.page, passage.page + 1)]
    assert quoted == []


def test_kent_running_headers_are_printed_once(kent) -> None:
    reserves = kent["kent-council-2025-02-13-reserves-policy-appendix.pdf"]
    glossary = kent["kent-council-2025-03-13-glossary-appendix.pdf"]
    assert len(reserves.source.pages) == 4 and reserves.source.text.count("Appendix H") == 1
    assert len(glossary.source.pages) == 3
    assert glossary.source.text.count("TM half-year report 2024-25 to County Council") == 1
    # The first page keeps its header, which says what the paper is.
    assert reserves.meeting.kind == "appendix" and glossary.meeting.kind == "appendix"


def test_kent_pages_keep_their_spans(kent) -> None:
    for doc in kent.values():
        text = doc.source.text
        assert all(0 <= a.char_start < a.char_end <= b.char_start for a, b in zip(doc.source.pages, doc.source.pages[1:]))
        for passage in doc.passages:
            assert passage.text == text[passage.char_start:passage.char_end]
