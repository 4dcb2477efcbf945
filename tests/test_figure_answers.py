"""Figure answers without an index: what a question asks for, how a period is said, and how the figure
questions are judged (evaluation.figure_questions)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from evaluation.figure_questions import first_sentence, period_in, value_in
from indexer.figures.periods import find_periods
from indexer.store.rows import StoredFigure
from qa.figure_text import say_period
from qa.figure_asks import asks_for_figure, units_asked
from qa.figures import metric_text


def stored(start: str | None, end: str | None, **values) -> StoredFigure:
    blank = {f.name: None for f in fields(StoredFigure)}
    return StoredFigure(**{**blank, "period": "printed", "period_start": start, "period_end": end, **values})


@pytest.mark.parametrize("start, end, said", [
    ("2024-09-30", "2024-09-30", "at 30 September 2024"),
    ("2018-04-01", "2018-04-30", "in April 2018"),
    ("2021-01-01", "2021-12-31", "in 2021"),
    ("2018-04-01", "2019-03-31", "in 2018-19"),
    ("2017-09-01", "2018-08-31", "in 2017-18 school year"),
    ("2024-07-01", "2024-09-30", "in Q2 2024-25"),
    ("2022-01-01", "2022-03-31", "in Q4 2021-22"),
    ("2024-04-01", "2024-09-30", "from April 2024 to September 2024"),
    ("2017-05-15", "2018-04-30", "from 15 May 2017 to 30 April 2018"),
])
def test_a_period_is_said_in_words_that_read_back_to_its_dates(start: str, end: str, said: str) -> None:
    assert say_period(stored(start, end)) == said
    assert (find_periods(said, context=said)[-1].start, find_periods(said, context=said)[-1].end) == (start, end)


@pytest.mark.parametrize("question, units", [
    ("What would a 1% rise in interest rates cost the revenue budget over a year?", "£"),
    ("What was the value-weighted average life of the LOBO bank loans?", "days"),
    ("What is the top of the target range as a share of the net revenue budget?", "%"),
    ("What was the rate of children subject to child protection plans per 10,000 under-18s?", "rate per 10,000"),
    ("How many KPIs were rated Red?", "count"),
])
def test_the_unit_a_question_asks_for(question: str, units: str) -> None:
    assert units in units_asked(question)


@pytest.mark.parametrize("question, asks", [
    ("What was the council's total borrowing at 30 September 2024?", True),
    ("How many looked after children were there in April 2018?", True),
    ("What did the committee decide about the budget?", False),
    ("Who chaired the meeting?", False),
])
def test_a_what_was_question_about_a_measure_asks_for_a_figure(question: str, asks: bool) -> None:
    assert asks_for_figure(question) is asks


def test_the_measure_a_question_names_keeps_total_and_drops_the_period() -> None:
    assert metric_text("What was the council's total borrowing at 30 September 2024?") == "council's total borrowing"
    assert metric_text("total return in the six months to September 2024?") == "total return"


def test_a_figure_answer_is_judged_on_value_and_period_not_on_its_citation() -> None:
    answer = {"answer": [{"text": "£746.8m at 30 September 2024 (County Council, 13 March 2025, para 5.5, p 5). "
                                  "Papers disagree: also reported as £771.9m."}],
              "citations": [{"document": {"meeting_date": "2025-03-13"}}]}
    sentence, reported = first_sentence(answer)
    assert "13 March 2025" not in sentence and "771.9" not in sentence and reported == "2025-03-13"
    assert value_in(sentence, 746.8, "£m") and not value_in(sentence, 746.8, "%")
    assert period_in(sentence, "2024-09-30", "2024-09-30", reported)
    assert not period_in(sentence, "2025-03-13", "2025-03-13", reported)


def test_a_value_counts_at_the_precision_the_label_prints() -> None:
    assert value_in("64.1% in January 2015", 64, "%") and not value_in("64.1% in January 2015", 64.0 + 0.2, "%")
    assert value_in("nine indicators", 9, "count") and value_in("£269,183.9k in 2025-26", 269183.9, "£k")


class _Printed:
    """A reader whose passages print the given figures."""

    def __init__(self, *figures: StoredFigure) -> None:
        self.printed = figures

    def figures_in_passages(self, passage_ids):
        return [f for f in self.printed if f.passage_id in passage_ids]


def test_a_figure_asked_for_a_period_needs_a_passage_printing_one() -> None:
    from qa.figure_asks import lacks_asked_figure

    fosters = stored("2017-04-01", "2018-03-31", unit="count", passage_id=1)
    question = "How many new foster carer households did the council approve in 2020-21?"
    assert lacks_asked_figure(_Printed(fosters), question, [1]) == "a count"
    assert lacks_asked_figure(_Printed(fosters, stored("2020-04-01", "2021-03-31", unit="count", passage_id=2)),
                              question, [1, 2]) is None
    # a figure of another kind for the period does not answer; one with no period of its own might
    assert lacks_asked_figure(_Printed(stored("2020-04-01", "2021-03-31", unit="%", passage_id=1)), question, [1])
    assert lacks_asked_figure(_Printed(stored(None, None, unit="count", passage_id=1)), question, [1]) is None
    # no period asked, or no figure asked: nothing to check
    assert lacks_asked_figure(_Printed(fosters), "How many foster carer households are there?", [1]) is None
    assert lacks_asked_figure(_Printed(fosters), "What did the committee say about fostering in 2020-21?", [1]) is None


class _OneSeries:
    """A reader holding one series of figures."""

    def __init__(self, *figures: StoredFigure) -> None:
        import numpy as np

        from indexer.store.rows import StoredMetric

        self.metric = StoredMetric(1, "business rates funding", "£k", ("business rates funding",), len(figures), 1,
                                   "2025-04-01", "2026-03-31")
        self.printed = figures
        self.vector = np.ones(4) / 2.0

    def metrics(self):
        return [self.metric]

    def metric_matrix(self):
        import numpy as np

        return np.array([1]), self.vector.reshape(1, -1)

    def documents(self):
        return []

    def figures(self, metric_ids, date_from=None, date_to=None, council=None):
        return list(self.printed)


def test_a_nil_entry_answers_only_when_nothing_else_is_printed_for_the_period() -> None:
    from qa.figures import FigureIndex, answer_from_figures

    def money(value: float, row: int) -> StoredFigure:
        return stored("2025-04-01", "2026-03-31", id=row, value=value, value_text=f"{value:,}", unit="£k",
                      role="value", geography=None, meeting_date="2025-03-04", passage_id=row, title="Budget report",
                      body="Cabinet", item_number=None, paragraph="2.4", page=3, table=None, row=None, column=None,
                      kind="table", source_file="budget.pdf", metric="business rates funding")

    question = "What is the business rates funding for 2025-26?"
    reader = _OneSeries(money(0.0, 1), money(269183.9, 2))
    found = answer_from_figures(FigureIndex(reader), question, reader.vector)
    assert found is not None and found.figure.value == 269183.9
    reader = _OneSeries(money(0.0, 1))
    found = answer_from_figures(FigureIndex(reader), question, reader.vector)
    assert found is not None and found.figure.value == 0.0
