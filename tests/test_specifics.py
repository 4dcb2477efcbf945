"""A query's period and names: hits must speak of the period, and a name no paper prints gets no hits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer.store.rows import StoredPassage
from qa.retrieval.rerank import passage_features
from qa.retrieval.specifics import query_periods, speaks_of, unknown_names


def passage(text: str, meeting_date: str | None = "2020-09-18", header: str = "") -> StoredPassage:
    fields = {name: None for name in StoredPassage.__dataclass_fields__}
    return replace(StoredPassage(**fields), text=text, header=header, meeting_date=meeting_date, context="")


def speaks(stored: StoredPassage, wanted) -> bool:
    """The check as the engine makes it: over the periods the passage's features hold."""
    return speaks_of(passage_features(stored).periods, stored.meeting_date, wanted)


def test_query_periods_are_dated_and_a_month_without_a_year_is_left_out():
    assert [(p.start, p.end) for p in query_periods("SEN transport spend 2021-22")] == [("2021-04-01", "2022-03-31")]
    assert [(p.start, p.end) for p in query_periods("How many LAC did Norfolk have in April 2018?")] == [
        ("2018-04-01", "2018-04-30")]
    assert [p.start for p in query_periods("EHCPs issued in Quarter 3 2024/25")] == ["2024-10-01"]
    assert query_periods("what did the committee agree in May") == ()
    assert query_periods("looked after children numbers") == ()


@pytest.mark.parametrize("text, meeting, expected", [
    ("Spend in 2021/22 was £12.3m against a budget of £11m.", "2022-07-01", True),  # the period printed
    ("The forecast for 2022-23 is an overspend.", "2022-07-01", False),  # the next year, met after 2021-22
    ("Spend in 2019-20 was £10.1m.", "2020-07-01", False),  # another year, meeting outside it
    ("The committee agreed the charter group.", "2021-11-12", True),  # a meeting inside 2021-22
])
def test_a_passage_speaks_of_a_period_it_prints_or_meets_in(text, meeting, expected):
    wanted = query_periods("SEN transport spend 2021-22")
    assert speaks(passage(text, meeting), wanted) is expected


def test_a_month_printed_without_its_year_takes_the_meetings():
    wanted = query_periods("children missing education in September 2020")
    assert speaks(passage("In September there were 94 children missing education.", "2020-11-02"), wanted)
    assert not speaks(passage("In September there were 94 children missing education.", "2021-11-02"), wanted)


def test_no_period_asked_keeps_every_passage():
    assert speaks(passage("Anything at all.", None), ())


def counts_from(vocabulary: dict[str, int]):
    return lambda stems: {s: vocabulary[s] for s in stems if s in vocabulary}


def test_names_no_passage_holds_are_reported_as_typed():
    counts = counts_from({"a47": 0, "norfolk": 600, "hs2": 0, "pothol": 2, "pwlb": 4})
    assert unknown_names("How many potholes on the A47 were repaired?", counts) == ["A47"]
    assert unknown_names("HS2 rail link impact on Norfolk", counts) == ["HS2"]
    assert unknown_names("PWLB rates in Norfolk", counts) == []


def test_ordinary_words_and_sentence_starts_are_not_names():
    counts = counts_from({})  # an index that holds nothing: only names could be unknown
    assert unknown_names("How many children were in care?", counts) == []
    assert unknown_names("what did the committee say. Then what?", counts) == []
    assert unknown_names("Bins collected in Smalltown", counts) == ["Smalltown"]


def test_a_possessive_is_checked_without_its_s_and_glossary_acronyms_are_known():
    counts = counts_from({"kent": 140})
    assert unknown_names("What is Kent's reserves policy?", counts) == []
    assert unknown_names("SEMH places", counts, known={"SEMH"}) == []
    assert unknown_names("SEMH places", counts) == ["SEMH"]


def test_search_refuses_a_name_no_paper_prints_and_says_so(real_client):
    body = real_client.get("/search", params={"q": "potholes repaired on the A47 trunk road"}).json()
    assert body["results"] == []
    assert "never mention 'A47'" in body["message"]


def test_search_keeps_to_the_period_a_query_names(real_client):
    body = real_client.get("/search", params={"q": "How many LAC did Norfolk have in April 2018?", "k": 10}).json()
    assert body["results"], body["message"]
    assert body["date_hint"] == "April 2018"
    for hit in body["results"]:
        text = hit["text"] + " " + (hit["document"]["meeting_date"] or "")
        assert "2018" in text or "18" in text, hit["text"][:200]


def test_a_period_no_close_passage_speaks_of_gets_nothing_and_says_so(real_client):
    body = real_client.get("/search", params={"q": "How many LAC did Norfolk have in April 2031?"}).json()
    assert body["results"] == []
    assert "April 2031" in body["message"]
