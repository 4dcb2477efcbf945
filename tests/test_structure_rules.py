"""Unit tests of the structure parser's rules, each on a few lines of text."""

from __future__ import annotations

from conftest import make_source

from indexer.structure.passages import PassageBudget
from indexer.structure import parse_document
from indexer.structure.agenda import parse_agenda
from indexer.structure.boilerplate import is_boilerplate_line
from indexer.structure.dates import parse_date
from indexer.structure.text import plain_text, repair_lookalikes, split_lines

PACK = """\
Children's Services Committee

Date: **Tuesday, 10 July 2018**

Venue: **Edwards Room, County Hall,
Martineau Lane, Norwich**

A g e n d a

1. To receive apologies

2. To confirm the minutes of the meeting held on 22 May 2018

Page 5

3. Performance Monitoring report\tPage 19
Report by the Executive Director of Children's Services

If you need this document in large print, audio, Braille, alternative format please contact us.

Children's Services Committee

Minutes of the Meeting held on 22 May 2018 at 10am in the Edwards Room

1. Apologies

1.1 Apologies were received from Mr Dark.

2. Budget

2.1 The Committee AGREED the budget of £3.142m for the service.

Children's Services Committee

Item No.

Report title:\tPerformance Monitoring 2017-18
Date of meeting:\t10 July 2018
Responsible Chief Officer:\tSara Tough Executive Director Children's Services

1. Introduction

1.1 Looked after children numbers rose in April 2018.

1.2 The following measures are reported:
- referrals
- re-referrals

Appendix 1 - Looked after children

Month\tLAC\tRate
April 2018\t1,179\t69.7
May 2018\t1,185\t70.1
"""


def parse(text: str, **budget: int):
    return parse_document(make_source(text), budget=PassageBudget(**budget) if budget else None)


def test_dates_parse_as_printed():
    assert parse_date("Tuesday, 10 July 2018") == "2018-07-10"
    assert parse_date("held on the 22<sup>nd</sup> October 2014") == "2014-10-22"
    assert parse_date("13 Nov 2020") == "2020-11-13"
    assert parse_date("no date here") is None


def test_meeting_metadata_from_cover():
    doc = parse(PACK)
    assert doc.meeting.body == "Children's Services Committee"
    assert doc.meeting.meeting_date == "2018-07-10"
    assert doc.meeting.venue == "Edwards Room, County Hall, Martineau Lane, Norwich"
    assert doc.meeting.kind == "agenda_pack"


def test_agenda_entries_with_pages():
    lines = split_lines("1. Apologies\n\n2. Minutes\n\nPage 5\n\n3. Budget\tPage 19\n5pm Thursday\n")
    entries = parse_agenda(lines)
    assert [(e.number, e.title, e.page) for e in entries] == [("1", "Apologies", None), ("2", "Minutes", 5), ("3", "Budget", 19)]


def test_parts_minutes_report_appendix():
    doc = parse(PACK)
    kinds = [(p.kind, p.item_number) for p in doc.parts]
    assert kinds == [("cover", None), ("agenda", None), ("minutes", "2"), ("report", "3"), ("appendix", "3")]
    minutes, report = doc.parts[2], doc.parts[3]
    assert minutes.meeting_date == "2018-05-22" and minutes.start_page == 5
    assert report.title == "Performance Monitoring 2017-18" and report.start_page == 19
    assert report.responsible_director == "Sara Tough Executive Director Children's Services"


def test_numbered_paragraphs_and_sections():
    doc = parse(PACK)
    passage = next(p for p in doc.passages if "£3.142m" in p.text)
    assert passage.paragraph_nos == ("2.1",)
    assert passage.section_path == ("2. Budget",)
    assert doc.parts[passage.part_ordinal].kind == "minutes"


def test_number_on_its_own_line_belongs_to_next_paragraph():
    text = "Report\n\n2. Proposals\n\n2.6\n\nThe most recent figures for EHCP assessments are up to April 2022.\n\n2.7\n\nAs can be seen this is a reduction.\n"
    doc = parse(text, max_tokens=12, min_tokens=1)
    numbered = {p.paragraph_nos: p.text for p in doc.passages if p.paragraph_nos}
    assert "most recent figures" in numbered[("2.6",)]
    assert "reduction" in numbered[("2.7",)]


def test_bullets_stay_with_lead_in():
    doc = parse(PACK)
    passage = next(p for p in doc.passages if "re-referrals" in p.text)
    assert "The following measures are reported:" in passage.text


def test_split_list_repeats_lead_in():
    bullets = "\n".join(f"- measure number {i} is reported monthly to the committee" for i in range(40))
    doc = parse(f"Report\n\nThe following measures are reported:\n{bullets}\n", max_tokens=60)
    later = [p for p in doc.passages if "measure number 39" in p.text][0]
    assert later.header == "The following measures are reported:"


def test_table_split_repeats_header():
    rows = "\n".join(f"Month {i}\t{i * 3}\t{i}.5" for i in range(60))
    doc = parse(f"Report\n\nFinal EHCP - 2022\nMonth\tNumber\t% On Time\n{rows}\n", max_tokens=60)
    tables = [p for p in doc.passages if p.kind == "table"]
    assert len(tables) > 1
    assert all("Month | Number | % On Time" in p.header for p in tables[1:])
    assert all("Final EHCP - 2022" in p.header for p in tables[1:])


def test_passages_never_cross_sections_and_fit_budget():
    body = " ".join(f"Sentence {i} says something about school places." for i in range(80))
    doc = parse(f"Report\n\n1. First\n\n{body}\n\n2. Second\n\nShort text here about transport.\n", max_tokens=50)
    for passage in doc.passages:
        assert passage.token_count <= 50
        assert not ("1. First" in passage.text and "2. Second" in passage.text)
    second = [p for p in doc.passages if "transport" in p.text]
    assert second and second[0].section_path == ("2. Second",)


def test_long_paragraph_splits_with_overlap():
    body = " ".join(f"Sentence {i} ends here." for i in range(60))
    doc = parse(f"Report\n\n{body}\n", max_tokens=40, overlap_tokens=10)
    pieces = [p for p in doc.passages if "Sentence" in p.text]
    assert len(pieces) > 2
    assert any(a.char_end > b.char_start for a, b in zip(pieces, pieces[1:]))


def test_boilerplate_is_marked():
    assert is_boilerplate_line("If you need this document in large print, audio, Braille, alternative format")
    assert not is_boilerplate_line("The Committee agreed the budget.")
    doc = parse(PACK)
    notice = next(p for p in doc.passages if "large print" in p.text)
    assert notice.boilerplate
    assert not next(p for p in doc.passages if "£3.142m" in p.text).boilerplate


def test_lookalikes_repaired_one_for_one():
    text = "ЕНСР timescales ТВС and Москва"
    repaired = repair_lookalikes(text)
    assert repaired == "EHCP timescales TBC and Москва"
    assert len(repaired) == len(text)


def test_plain_text_strips_markup():
    assert plain_text("**Apologies** <b>Chair</b> &amp; [link](#)") == "Apologies Chair & link"


def test_spans_round_trip_and_unknown_pages_are_null():
    doc = parse(PACK)
    for passage in doc.passages:
        assert doc.source.text[passage.char_start:passage.char_end] == passage.text
    report_passages = [p for p in doc.passages if doc.parts[p.part_ordinal].kind == "report"]
    assert report_passages[0].page == 19
    assert all(p.page is None for p in report_passages[1:])


def test_pdf_pages_give_real_page_numbers():
    from indexer.records import PageSpan, SourceText

    text = "Cover page text ends here.\n\nPage two paragraph about EHCP.\n\nPage three paragraph about LAC.\n"
    one, two = text.index("Page two"), text.index("Page three")
    source = SourceText("p.pdf", text, "", "pdf", pages=(PageSpan(1, 0, one), PageSpan(2, one, two), PageSpan(3, two, len(text))))
    doc = parse_document(source, budget=PassageBudget(max_tokens=12, min_tokens=1))
    pages = {p.text.split()[1] if p.text.startswith("Page") else "cover": p.page for p in doc.passages}
    assert pages == {"cover": 1, "two": 2, "three": 3}
