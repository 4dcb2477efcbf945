"""Figures as data: numbers, periods, table cells and sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.figures import extract_figures
from indexer.figures.numbers import numbers_in, parse_cell
from indexer.figures.periods import find_periods
from indexer.loaders import load_file
from indexer.structure import parse_document
from models.metrics import metric_key, metric_name
from models.tokens import approximate_token_count

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
KENT = Path(__file__).resolve().parent / "data" / "realworld" / "kent"


@pytest.mark.parametrize("text, value, unit", [
    ("1,179", 1179, None), ("8.5%", 8.5, "%"), ("£16.8m", 16.8, "£m"), ("(3.2)", -3.2, None),
    ("-23.9", -23.9, None), ("£1,234k", 1234, "£k"), ("62 per 10k", 62, "rate per 10,000"),
    ("45 working days", 45, "days"),
])
def test_numbers_keep_their_value_and_unit(text: str, value: float, unit: str | None) -> None:
    [number] = numbers_in(text)
    assert (number.value, number.unit) == (value, unit)


def test_references_are_not_cells() -> None:
    assert parse_cell("Apr-18") is None and parse_cell("24 / 163") is None and parse_cell("1,090").value == 1090


@pytest.mark.parametrize("text, start, end", [
    ("April 2018", "2018-04-01", "2018-04-30"), ("Apr-18", "2018-04-01", "2018-04-30"),
    ("2017-18", "2017-04-01", "2018-03-31"), ("18/19", "2018-04-01", "2019-03-31"),
    ("Q3 2024-25", "2024-10-01", "2024-12-31"), ("as at 31 March 2024", "2024-03-31", "2024-03-31"),
    ("30/09/2024", "2024-09-30", "2024-09-30"), ("attainment in 2017/18", "2017-09-01", "2018-08-31"),
])
def test_periods_are_normalised(text: str, start: str, end: str) -> None:
    period = find_periods(text, "2018-07-10")[-1]
    assert (period.start, period.end) == (start, end)


def test_a_month_without_a_year_takes_the_papers_year() -> None:
    [period] = find_periods("72% in April", "2018-07-10")
    assert period.start == "2018-04-01"


def _figures(root: Path, name: str):
    source = load_file(root / name, root=root)
    return source, extract_figures(parse_document(source, approximate_token_count))


def test_a_sentence_figure_has_its_metric_period_and_citation() -> None:
    source, figures = _figures(CORPUS, "003_6730343735bd187f.txt")
    [lac] = [f for f in figures if f.value == 1179 and f.kind == "sentence"]
    assert lac.unit == "count" and lac.period_start == "2018-04-01"
    assert "looked after children" in lac.metric and lac.paragraph == "4.4.1"
    assert source.text[lac.char_start:lac.char_end] == "1179"


def test_a_performance_table_cell_takes_its_column_period_and_row_label() -> None:
    source, figures = _figures(CORPUS, "003_6730343735bd187f.txt")
    cells = [f for f in figures if f.kind == "table" and f.value == 1179 and f.period_start == "2018-04-01"]
    assert cells and all(f.unit == "count" for f in cells)
    assert any("looked after children" in f.metric for f in cells)
    for figure in figures:
        assert source.text[figure.char_start:figure.char_end].strip("()") == figure.value_text.strip("()")


def test_a_pdf_table_printed_with_spaces_takes_its_date_and_unit_headers() -> None:
    _, figures = _figures(KENT, "kent-council-2025-03-13-treasury-midyear-report.pdf")
    [pwlb] = [f for f in figures if f.value == 456.3]
    assert (pwlb.unit, pwlb.period_start, pwlb.row) == ("£m", "2024-03-31", "PWLB Loan")
    assert pwlb.page is not None


def test_metric_names_group_across_spellings() -> None:
    assert metric_key("No. Looked-After Children") == metric_key("number of looked after children")
    assert metric_name("7.2 LAC - Rate per 10K Under-18s") .startswith("looked after children - rate per 10000")
