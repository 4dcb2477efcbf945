"""Figures in sentences: which period each figure takes, numbers in words, units, names and the
paragraph's periods; checked on sentences printed in the papers."""

from __future__ import annotations

import pytest

from indexer.figures.periods import Period
from indexer.figures.sentences import sentence_figures


def figures(sentence: str, reported: str = "2022-07-12", **kwargs) -> dict[str, tuple[str | None, str | None]]:
    """Each figure's text -> (period start, period end)."""
    return {f.number.text: (f.period.start if f.period else None, f.period.end if f.period else None)
            for f in sentence_figures(sentence, 0, reported, **kwargs)}


def test_a_period_printed_with_a_figure_is_that_figures_own() -> None:
    found = figures("with savings delivered in 18/19 of £0.56m (FYE £0.91m), £3.08m in 19/20, and forecast for "
                    "20/21 at £2.64m, with additional £7.9m transformation savings committed for 21/22 including "
                    "£2.4m delayed from 20/21 due to COVID", "2020-11-13")
    assert found["£0.56m"][0] == found["£0.91m"][0] == "2018-04-01"  # the aside in brackets shares its period
    assert (found["£3.08m"][0], found["£2.64m"][0], found["£7.9m"][0], found["£2.4m"][0]) == (
        "2019-04-01", "2020-04-01", "2021-04-01", "2020-04-01")


def test_a_period_in_brackets_belongs_to_what_the_brackets_hold() -> None:
    found = figures("the latest figure for March showing an increase to 33.1 days (February 25.3 days) but below "
                    "January (43 days)")
    assert (found["33.1 days"][0], found["25.3 days"][0], found["43 days"][0]) == (
        "2022-03-01", "2022-02-01", "2022-01-01")


def test_the_month_figure_of_binds_its_month() -> None:
    found = figures("there has been a slight increase from the February figure of 207 days to the March figure of "
                    "211 days")
    assert (found["207 days"][0], found["211 days"][0]) == ("2022-02-01", "2022-03-01")


def test_a_comparison_baseline_is_not_the_figures_period() -> None:
    found = figures("with a figure of 55 being an improvement and lower figures than at the start of the autumn term")
    assert found["55"] == (None, None)


def test_the_end_of_a_fall_is_not_at_its_start() -> None:
    found = figures("has fallen from 22.7% in April 17 to 20.2%", "2018-07-10")
    assert found["22.7%"][0] == "2017-04-01" and found["20.2%"] == (None, None)


def test_figures_of_one_clause_share_its_period() -> None:
    found = figures("Headline figure of 1103 increased by 33 in September, following our offer", "2020-11-13")
    assert found["1103"][0] == found["33"][0] == "2020-09-01"


def test_a_level_after_a_change_is_at_the_end_of_its_period() -> None:
    anchor = Period("30 September 2024", "2024-09-30", "2024-09-30")
    found = figures("A £29.6m net increase in covered bonds in the 6 months brings the \ntotal bond portfolio up to "
                    "£117.9m.", "2025-03-13", anchor=anchor)
    assert found["£29.6m"] == ("2024-04-01", "2024-09-30") and found["£117.9m"] == ("2024-09-30", "2024-09-30")


def test_an_amount_per_year_takes_no_period() -> None:
    [saving] = sentence_figures("The estimated avoided cost is equivalent of £9m per year, following the reduction "
                                "of LAC between Jan 2019 to Aug 2020", 0, "2020-11-13")
    assert saving.period is None and saving.annual


@pytest.mark.parametrize("sentence, counted", [
    ("Eight KPIs did not meet the floor standard (Red), and one had no data at time of publication.", [8, 1]),
    ("six were showing a negative trend (one fewer than the previous Quarter).", [6]),
    ("when there were four fewer KPIs on an improving trend and six more KPIs on a worsening trend", []),
    ("The nine indicators where the RAG rating is Red, are in:", [9]),
])
def test_numbers_written_as_words_count_where_they_count_something(sentence: str, counted: list[int]) -> None:
    assert [f.number.value for f in sentence_figures(sentence, 0, "2025-01-09")] == counted


def test_a_number_opening_a_sentence_mid_line_is_not_a_list_number() -> None:
    sentence = "40 \nKPIs were reported in Quarters 1 & 2"
    assert [f.number.value for f in sentence_figures(sentence, 0, "2025-03-04", opens_line=False)] == [40]
    assert sentence_figures("3 Members noted the report", 0, None, opens_line=True) == []


def test_brackets_in_prose_hold_an_aside_not_a_negative() -> None:
    [neighbours] = sentence_figures("and is higher than our statistical neighbours (53.4).", 0, None)
    assert neighbours.number.value == 53.4 and neighbours.geography == "statistical neighbours"


def test_rate_units_carry_through_a_list_and_from_the_name() -> None:
    found = {f.number.text: f.unit for f in sentence_figures(
        "Our number of conferences of 67.1 per 10k under 18s is only slightly higher than statistical neighbour and "
        "national averages of 63.2 and 65.3 respectively.", 0, None)}
    assert found == {"67.1 per 10k": "rate per 10,000", "63.2": "rate per 10,000", "65.3": "rate per 10,000"}
    [rate] = sentence_figures("our rate per 10k is currently 63.8 compared to", 0, None)
    assert rate.unit == "rate per 10,000"


@pytest.mark.parametrize("sentence", [
    "The percentage of plans produced within the 20-week timescale has improved",
    "an improvement on the previous 2 months.",
])
def test_parts_of_a_measures_definition_are_not_figures(sentence: str) -> None:
    assert sentence_figures(sentence, 0, "2020-11-13") == []


def test_a_bare_overspend_is_named_by_what_it_is_for() -> None:
    [overspend] = sentence_figures("An overspend of £3.375m is currently forecast for General Fund Children's "
                                   "Services.", 0, "2018-07-10")
    assert overspend.metric == "overspend for General Fund Children's Services"


def test_a_figure_going_on_a_list_takes_the_measure_the_list_named() -> None:
    found = {f.number.text: f.metric for f in sentence_figures(
        "with savings delivered in 18/19 of £0.56m (FYE £0.91m), £3.08m in 19/20, and forecast for 20/21 at "
        "£2.64m", 0, "2020-11-13")}
    assert found["£3.08m"] == found["£0.56m"] == "savings delivered"
    assert found["£0.91m"] == "FYE"  # an aside names its own figure and does not name the list's


@pytest.mark.parametrize("sentence", [
    "The Council is required under Sections 32 and 43 of the Local Government Finance Act to hold reserves.",
    "Items 4, 5 and 6 on the agenda were deferred to the next meeting of the committee.",
])
def test_every_number_of_a_list_of_references_is_a_reference(sentence: str) -> None:
    assert sentence_figures(sentence, 0, "2025-02-13") == []


def test_a_numbered_heading_a_sentence_runs_on_to_is_not_a_figure() -> None:
    # A PDF's title lines run on into its first numbered heading with no full stop between them.
    found = figures("Appendix H \nReserves Policy \n1. Background and Context\n1.1 The council holds 12 reserves.")
    assert list(found) == ["12"]
    assert list(figures("The number of children in care was\n1179 at the end of April.")) == ["1179"]
    assert figures("Chairman’s Announcements \n(Item 2) \n1.") == {}  # the sentence ends on the paragraph's number


@pytest.mark.parametrize("sentence", [
    "Contact: Jane Smith, Policy Adviser, Telephone: 03000 416833, for further details of the report.",
    "Military Liaison Adviser for the county, contact 03000 412986 or 07721 411234 for advice.",
    "For more information contact the County Council on 0344 800 8020 or by email.",
])
def test_the_rest_of_a_telephone_number_is_not_a_figure(sentence: str) -> None:
    assert figures(sentence) == {}
