"""The (heading, text) pairs a paper gives for adapting the embedder, on a few lines of text."""

from __future__ import annotations

from conftest import make_source

from indexer.pairs import describing_text, heading_key, training_pairs, without_heading
from indexer.structure import parse_document

REPORT = """\
Children's Services Committee

Report title: Early Help Review

Date of meeting: 10 July 2018

1. Background

1.1 The council has provided early help through locality teams since 2014, working with schools, health visitors and the police to reach families before their needs escalate into statutory social care.

2. Impact of the new locality model on school attendance

2.1 Persistent absence among pupils supported by the locality teams fell from 14 per cent to 9 per cent over the year, with the largest falls among pupils in their first year of secondary school.

3. Financial implications and risks

3.1 There are no new financial implications arising from this report, as the locality teams are funded from the existing early help budget agreed by the council for this year and next year.
"""

OTHER = REPORT.replace("Early Help Review", "Youth Justice Plan").replace(
    "2. Impact of the new locality model on school attendance", "2. Reoffending by young people in the county")


def test_heading_numbering_and_case_do_not_count() -> None:
    assert heading_key("2. Impact of the NEW model") == heading_key("Impact of the new model")
    assert heading_key("4.4.1 Looked after children") == "looked after children"
    assert describing_text("2. Impact of the new model") == "Impact of the new model"
    assert describing_text("1. Background") is None  # one word describes nothing


def test_a_first_line_printing_the_heading_is_left_out() -> None:
    assert without_heading("2. Impact of the model\n2.1 Absence fell", "Impact of the model") == "2.1 Absence fell"
    assert without_heading("2.1 Absence fell", "Impact of the model") == "2.1 Absence fell"


def test_only_headings_one_paper_prints_become_pairs() -> None:
    docs = [parse_document(make_source(REPORT, "a.txt")), parse_document(make_source(OTHER, "b.txt"))]
    pairs = training_pairs(docs)
    queries = {p.query for p in pairs}
    assert "Impact of the new locality model on school attendance" in queries
    assert "Reoffending by young people in the county" in queries
    # Both papers print "Financial implications and risks": a heading that says nothing of either text.
    assert not any("Financial" in q for q in queries)
    attendance = next(p for p in pairs if p.query.startswith("Impact"))
    assert attendance.source_file == "a.txt"
    assert "Persistent absence" in attendance.passage
    assert "Impact of the new locality model" not in attendance.passage
