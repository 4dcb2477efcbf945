"""Paper metadata from the layouts UK councils share: minutes sentences, front sheets, report covers."""

from __future__ import annotations

from conftest import make_source

from indexer.structure import parse_document
from indexer.structure.cover_fields import body_name

MINUTES = """\
SOMEWHERE COUNTY COUNCIL

CABINET

MINUTES of a meeting of the Cabinet held in the Council Chamber, Shire Hall,
Oldtown on Thursday, 9 January 2025.

PRESENT: Mr A Bee (Chairman), Mrs C Dee and Mr E Eff

76. Apologies
(Item 1)

No apologies were received.
"""

FRONT_SHEET = """\
AGENDA
PLANNING COMMITTEE
Tuesday, 4th March, 2025, at 10.00 am Ask for: A Clerk
Council Chamber, Town Hall,
1. Apologies
2. Declarations of Interest
3. Minutes of the Meeting held on 30 January 2025 (Pages 1 - 18)
"""

REPORT = """\
From: Jo Bloggs, Cabinet Member for Highways,
Sam Smith, Corporate Director of Growth
To: Cabinet – 4th March 2025
Decision No: 25/00012
Subject: Late changes to the 2025-26 highways
maintenance programme
Classification: Unrestricted
Summary: This paper sets out late changes.
1. Introduction
1.1 The programme was agreed in February.
"""

FULL_COUNCIL = """\
From: Pat Jones, Chief Executive
To: Full Council
Date: 13 March 2025
Subject: Annual Report on the Armed Forces Covenant
1.1 Oldshire District Council signed the Covenant in 2011. Oldshire District Council renewed it.
"""

APPENDIX = """\
Appendix H
Reserves Policy
1. Background and Context
1.1 Sections 32 and 43 of the Local Government Finance Act 1992 require councils to consider reserves.
"""

NOVEL = """\
It was a bright cold day in April, and the clocks were striking thirteen.
Winston Smith, his chin nuzzled into his breast, slipped quickly through the glass doors.
"""


def meeting(text: str):
    return parse_document(make_source(text)).meeting


def test_minutes_sentence_gives_body_date_kind_and_title() -> None:
    found = meeting(MINUTES)
    assert (found.council, found.body, found.meeting_date, found.kind) == (
        "Somewhere County Council", "Cabinet", "2025-01-09", "minutes")
    assert found.title == "Cabinet, 9 January 2025"


def test_moderngov_front_sheet() -> None:
    found = meeting(FRONT_SHEET)
    assert (found.body, found.meeting_date, found.kind, found.title) == (
        "Planning Committee", "2025-03-04", "agenda", "Planning Committee, 4 March 2025")


def test_report_cover_fields() -> None:
    found = meeting(REPORT)
    assert (found.body, found.meeting_date, found.kind, found.reference) == ("Cabinet", "2025-03-04", "report", "25/00012")
    assert found.title == "Late changes to the 2025-26 highways maintenance programme"


def test_full_council_is_the_councils_own_meeting() -> None:
    found = meeting(FULL_COUNCIL)
    assert (found.council, found.body, found.meeting_date) == ("Oldshire District Council", "District Council", "2025-03-13")


def test_appendix_sheet_claims_no_meeting_it_does_not_print() -> None:
    found = meeting(APPENDIX)
    assert (found.kind, found.title, found.body, found.meeting_date) == ("appendix", "Reserves Policy", None, None)


def test_a_paper_that_is_not_a_council_paper_gets_null_metadata() -> None:
    found = meeting(NOVEL)
    assert (found.kind, found.body, found.meeting_date, found.council, found.reference) == ("document", None, None, None, None)


def test_committee_names_are_one_filter_value() -> None:
    assert body_name("People & Communities Select Committee:") == "People and Communities Select Committee"
    assert body_name("CORPORATE PARENTING PANEL–") == "Corporate Parenting Panel"
    assert body_name("CHILDREN'S SERVICES COMMITTEE") == "Children's Services Committee"


KENT_STYLE_MINUTES = """\
CABINET

MINUTES of a meeting of the Cabinet held at Shire Hall on Thursday, 9 January 2025.

76. Apologies
(Item 1)

No apologies were received.

77. Declarations of Interest
(Item 2)

No declarations of interest were received

Participation Team update
(Item 4)
1. Ms Carpenter, Participation and Engagement Manager, introduced the
report. The following was noted:
a) There were 21 activity days run throughout the summer.
b) Disruption meetings always took place.
2. RESOLVED that the Panel note the update.
"""


def test_printed_minutes_items_and_lettered_paragraphs() -> None:
    doc = parse_document(make_source(KENT_STYLE_MINUTES))
    headings = {section.number: section.heading_path[-1] for section in doc.sections if section.heading_path}
    assert headings["76"] == "76. Apologies" and headings["77"] == "77. Declarations of Interest"
    assert headings["4"] == "Participation Team update"
    text = doc.source.text

    def paragraph_of(words: str) -> str | None:
        offset = text.index(words)
        return next(p for p in doc.passages if p.char_start <= offset < p.char_end).paragraph_at(offset)

    assert paragraph_of("There were 21 activity days") == "a)"
    assert paragraph_of("Disruption meetings") == "b)"
    assert paragraph_of("RESOLVED that the Panel") == "2"
    assert paragraph_of("report. The following") == "1"
