"""The structure parser on the real corpus: items pinned to each agenda, spans, nothing lost."""

from __future__ import annotations

import re

import pytest
from conftest import PACKS

from indexer.structure.passages import PassageBudget

# (kind, item number, title prefix) of every minutes/report part, pinned per pack.
EXPECTED_ITEMS = {
    "000_2015e9705d707e29.txt": [
        ("minutes", "2", "Minutes of the meeting held on 18 September 2020"),
        ("report", "7", "Children's Services Transformation"),
        ("report", "8", "Children & Young People's Mental Health Transformation"),
        ("report", "9", "Special Educational Needs (SEND): Performance Framework"),
        ("report", "10", "Carers Charter Progress Report"),
        ("report", "11", "People and Communities Forward Work Programme"),
    ],
    "001_e6f95b43717deeaf.txt": [
        ("minutes", "2", "Minutes of the meeting held on 27 May 2022"),
        ("report", "7", "The Schools White Paper"),
        ("report", "8", "Post 16 Transport Policy"),
        ("report", "9", "Special Educational Needs (SEND): Performance Framework & DfE SEND Review Green Paper"),
        ("report", "10", "Delivering a social care quality framework for Norfolk"),
        ("report", "11", "Market Position Statement"),
        ("report", "12", "People and Communities Forward Work Programme"),
    ],
    "003_6730343735bd187f.txt": [
        ("minutes", "3", "Minutes of the meeting held on 22 May 2018"),
        ("report", "8", "Performance Monitoring 2017-18"),
        ("report", "9", "Revenue Budget Monitoring Month 2"),
        ("report", "10", "Risk Management"),
        ("report", "11", "Norfolk Youth Justice Plan 2018-21"),
        ("report", "12", "Meeting Special Educational Needs & Disabilities (SEND)"),
        ("report", "13", "School Organisation in Winterton and Hemsby"),
        ("report", "14", "Recruitment and Retention"),
        ("report", "15", "Review of Children's Services MASH"),
        ("report", "16", "Children Centre Service Re-Design Update"),
        ("report", "17", "Committee Forward Plan"),
    ],
    "004_a82431731a549fbe.txt": [
        ("minutes", "2", "Minutes of the meeting held on 4 February 2015"),
        ("report", "5", "Clinical Commissioning Groups: Operational plans 2015-16"),
        ("report", "6", "Norfolk Better Care Fund – Delivering the Plan"),
        ("report", "7", "Annual Report of the Independent Chair of Norfolk Safeguarding"),
        ("report", "8", "Children's Services Performance Monitoring Report"),
        ("report", "9", "Voluntary Sector Engagement Project"),
        ("report", "10", "Healthy Communities Report"),
        ("report", "11", "Clinical Commissioning Groups: Extracts from Draft Annual Re"),
        ("report", "12", "NHS Five Year Forward View"),
        ("minutes", "13", "Healthwatch Norfolk minutes of the meeting held on 19 January 2015"),
        ("minutes", "14", "Norfolk Health & Overview Scrutiny Committee minutes"),
    ],
}
MEETINGS = {
    "000_2015e9705d707e29.txt": ("People and Communities Select Committee", "2020-11-13", "agenda_pack"),
    "001_e6f95b43717deeaf.txt": ("People and Communities Select Committee", "2022-07-12", "agenda_pack"),
    "002_66e6f918fce42da5.txt": ("People and Communities Select Committee", "2020-11-13", "presentation"),
    "003_6730343735bd187f.txt": ("Children's Services Committee", "2018-07-10", "agenda_pack"),
    "004_a82431731a549fbe.txt": ("Norfolk Health and Wellbeing Board", "2015-04-29", "agenda_pack"),
}


@pytest.mark.parametrize("name", PACKS)
def test_meeting_metadata(parsed_corpus, name):
    meeting = parsed_corpus[name].meeting
    assert (meeting.body, meeting.meeting_date, meeting.kind) == MEETINGS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_ITEMS))
def test_items_match_the_agenda(parsed_corpus, name):
    doc = parsed_corpus[name]
    found = [(p.kind, p.item_number, p.title) for p in doc.parts if p.kind in ("minutes", "report")]
    assert len(found) == len(EXPECTED_ITEMS[name])
    for (kind, number, title), expected in zip(found, EXPECTED_ITEMS[name]):
        assert (kind, number) == expected[:2]
        assert title.startswith(expected[2]), title
    agenda_pages = {e.number: e.page for e in doc.agenda}
    for part in doc.parts:
        if part.kind in ("minutes", "report") and part.item_number:
            assert part.start_page == agenda_pages[part.item_number]


def test_slides_are_one_presentation(parsed_corpus):
    doc = parsed_corpus["002_66e6f918fce42da5.txt"]
    assert [p.kind for p in doc.parts] == ["presentation"]


@pytest.mark.parametrize("name", PACKS)
def test_spans_round_trip(parsed_corpus, name):
    doc = parsed_corpus[name]
    raw = doc.source.text
    for passage in doc.passages:
        assert raw[passage.char_start:passage.char_end] == passage.text


@pytest.mark.parametrize("name", PACKS)
def test_nothing_is_lost(parsed_corpus, name):
    doc = parsed_corpus[name]
    covered = bytearray(len(doc.source.text))
    for passage in doc.passages:
        covered[passage.char_start:passage.char_end] = b"\x01" * (passage.char_end - passage.char_start)
    lost, offset = [], 0
    for line in doc.source.text.split("\n"):
        if any(not ch.isspace() and not covered[offset + i] for i, ch in enumerate(line)):
            lost.append(line)
        offset += len(line) + 1
    assert lost == []


@pytest.mark.parametrize("name", PACKS)
def test_passages_fit_the_budget(parsed_corpus, name):
    budget = PassageBudget()
    for passage in parsed_corpus[name].passages:
        assert passage.token_count <= budget.max_tokens
        assert len(passage.text) <= budget.max_chars


def test_split_table_keeps_its_header(parsed_corpus):
    doc = parsed_corpus["001_e6f95b43717deeaf.txt"]
    may = [p for p in doc.passages if re.search(r"May \(All\)\t101\t38\t37\.6", p.text)]
    assert may, "the EHCP table row is in a passage"
    context = may[0].header + "\n" + may[0].text
    assert "% On Time Including Exception" in context


def test_paragraph_number_on_its_own_line(parsed_corpus):
    doc = parsed_corpus["001_e6f95b43717deeaf.txt"]
    passage = next(p for p in doc.passages if "first set of data during the past 2 years" in p.text)
    assert "2.7" in passage.paragraph_nos
    part = doc.parts[passage.part_ordinal]
    assert (part.kind, part.item_number) == ("report", "9")


def test_minutes_paragraph_is_cited_with_its_number(parsed_corpus):
    doc = parsed_corpus["000_2015e9705d707e29.txt"]
    passage = next(p for p in doc.passages if "Carers Charter Task and Finish Group be made a working group" in p.text)
    assert "9.3" in passage.paragraph_nos
    assert doc.parts[passage.part_ordinal].meeting_date == "2020-09-18"


def test_boilerplate_marked_in_every_pack(parsed_corpus):
    for name in ("000_2015e9705d707e29.txt", "001_e6f95b43717deeaf.txt", "003_6730343735bd187f.txt"):
        doc = parsed_corpus[name]
        declarations = [p for p in doc.passages if "Disclosable Pecuniary Interest" in p.text]
        assert declarations and all(p.boilerplate for p in declarations)
