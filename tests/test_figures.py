"""Figures as data: numbers, periods, table cells and sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.figures import extract_figures
from indexer.figures.numbers import numbers_in, parse_cell
from indexer.figures.periods import Period, find_periods
from indexer.figures.ranges import relative_ranges
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


# Periods and ranges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, reported, start, end", [
    ("During the 6 months to 30 September, the Council loaned", "2025-03-13", "2024-04-01", "2024-09-30"),
    ("over the 6 months since 31 March 2024 is", "2025-03-13", "2024-04-01", "2024-09-30"),
    ("a rate on a rolling basis over the 12 months to April 2018", "2018-07-10", "2017-05-01", "2018-04-30"),
    ("an increase of 13 children from April 17 to April 18", "2018-07-10", "2017-04-01", "2018-04-30"),
    ("the reduction of LAC between Jan 2019 and Aug 2020", "2020-11-13", "2019-01-01", "2020-08-31"),
    ("from around 80% in November and December", "2015-04-29", "2014-11-01", "2014-12-31"),
    ("40 KPIs were reported in Quarters 1 & 2 (2024/25)", "2025-03-04", "2024-04-01", "2024-09-30"),
    ("2022 Norfolk Quarter 1 actual = 55%", "2022-07-12", "2022-01-01", "2022-03-31"),
    ("performance in Q1 2022", "2022-07-12", "2022-01-01", "2022-03-31"),
    ("62% noted throughout the spring term months", "2022-07-12", "2022-01-01", "2022-03-31"),
    ("when we started monitoring two years ago", "2022-07-12", "2020-07-01", "2020-07-31"),
    ("numbers have increased year on year since 2015", "2018-07-10", "2015-01-01", "2015-12-31"),
    ("the 6 months to 30 September", "2025-03-13", "2024-04-01", "2024-09-30"),
])
def test_ranges_and_relative_periods_are_dated(text: str, reported: str, start: str, end: str) -> None:
    assert [(p.start, p.end) for p in find_periods(text, reported)][-1] == (start, end)


def test_a_decimal_after_a_month_is_not_its_year() -> None:
    [february, january] = find_periods("33.1 days (February 25.3 days) but below January (43 days)", "2022-07-12")
    assert (february.start, january.start) == ("2022-02-01", "2022-01-01")


def test_the_half_year_ends_on_the_date_the_paragraph_gave() -> None:
    [half] = relative_ranges("No net new borrowing was undertaken in the half-year", Period("30 September 2024",
                                                                                            "2024-09-30", "2024-09-30"))
    assert (half.start, half.end) == ("2024-04-01", "2024-09-30")
    assert relative_ranges("in the half-year", None) == []


# Periods a paper implies ------------------------------------------------------------------------------------


def test_a_paragraph_carries_its_period_to_later_sentences() -> None:
    _, figures = _figures(KENT, "kent-council-2025-03-13-treasury-midyear-report.pdf")
    matured = next(f for f in figures if f.value == 25.1 and f.kind == "sentence")
    assert (matured.period_start, matured.period_end) == ("2024-04-01", "2024-09-30")  # "in the half-year"
    _, figures = _figures(KENT, "kent-cabinet-2025-01-09-minutes.pdf")
    red = next(f for f in figures if f.value_text == "Eight")
    assert (red.period_start, red.period_end) == ("2024-07-01", "2024-09-30")  # "Quarter 2 (Q2, 2024/25)" before it


def test_a_benchmark_does_not_take_the_reports_period() -> None:
    _, figures = _figures(CORPUS, "003_6730343735bd187f.txt")
    neighbours = next(f for f in figures if f.value == 63.2 and f.kind == "sentence")  # "averages of 63.2 and 65.3"
    assert neighbours.geography is not None and neighbours.period_start is None


def test_a_budget_monitoring_report_is_of_its_financial_year() -> None:
    _, figures = _figures(CORPUS, "003_6730343735bd187f.txt")
    overspend = next(f for f in figures if f.value == 3.375 and f.kind == "sentence" and "overspend" in f.metric)
    assert (overspend.period_start, overspend.period_end) == ("2018-04-01", "2019-03-31")
    assert overspend.metric == "overspend for general fund children's services"


def test_a_rolling_measure_covers_the_twelve_months_to_its_month() -> None:
    _, figures = _figures(CORPUS, "003_6730343735bd187f.txt")
    [rolling] = [f for f in figures if f.value == 67.1 and f.kind == "table" and f.column.endswith("Apr-18")]
    assert (rolling.period_start, rolling.period_end) == ("2017-05-01", "2018-04-30")


def test_a_pdf_table_keeps_wrapped_labels_and_reads_each_row_once() -> None:
    _, figures = _figures(KENT, "kent-cabinet-2025-03-04-budget-report.pdf")
    assert len([f for f in figures if f.value == 149107.7]) == 2
    [share] = [f for f in figures if f.value == 67238.1]
    assert share.row == "Retained business rates - baseline & local share"
    total = next(f for f in figures if f.value == 269183.9)
    assert total.row == "Total" and total.metric == "total business rates"


def test_a_table_of_places_by_month_is_named_by_its_caption() -> None:
    # Rows are places (the council, England, statistical neighbours), columns are months: the caption
    # above says what is measured, and each row says where.
    from indexer.figures.tables import separated_table, split_row

    lines = ["\tJan-14\tFeb-14\tMar-14", "Norfolk (Current)\t354.6\t336.8\t316.7", "England 12/13\t\t332.2\t",
             "Statistical Neighbours 12/13\t\t304.0\t"]
    rows, at = [], 0
    for line in lines:
        rows.append(split_row(line, at))
        at += len(line) + 1
    caption = "Rate of Children in Need per 10,000 Under-18 Population"
    figures = {f.number.value: f for f in separated_table(rows, caption, "2014-04-07")}
    assert {f.row_label for f in figures.values()} == {caption}  # the name the figure is given
    assert figures[354.6].geography is None and figures[354.6].period.start == "2014-01-01"
    assert (figures[332.2].geography, figures[304.0].geography) == ("England", "statistical neighbours")
    assert all(f.unit == "rate per 10,000" for f in figures.values())


def test_a_pdf_table_header_printed_over_several_lines_gives_each_column_its_unit() -> None:
    # "£m £m £m Rate" with "%" printed under "Rate": the last column is a percentage, the others £m.
    from indexer.figures.tables import spaced_table

    lines = ["31-Mar-24 2024-25 30-Sep-24 30-Sep-24 ", "Balance Movement Balance Average ", "£m £m £m Rate   ",
             "      % ", "Total borrowing 771.9 -25.1 746.8 4.35 ", "Net borrowing  318.5 -74.4 244.1   "]
    rows, at = [], 0
    for line in lines:
        rows.append((line, at))
        at += len(line) + 1
    units = {f.number.text: f.unit for f in spaced_table(rows, "", "2025-03-13")}
    assert units == {"771.9": "£m", "-25.1": "£m", "746.8": "£m", "4.35": "%", "318.5": "£m", "-74.4": "£m",
                     "244.1": "£m"}
