"""People and posts in another council's layouts: short strings taken from the Kent County Council papers
in tests/data/realworld/kent (running attendance lists, item attendance, From:/To: covers, contact blocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.loaders import load_file
from indexer.people import document_people, merge_people
from indexer.records import Person
from indexer.structure import parse_document
from indexer.structure.attendance import parse_attendance
from indexer.structure.covers import parse_report_officers

KENT = Path(__file__).resolve().parent / "data" / "realworld" / "kent"

CABINET_MINUTES = """MINUTES of a meeting of the Cabinet held in the Council Chamber, Sessions
House, County Hall, Maidstone on Thursday, 9 January 2025.

PRESENT: Mr R W Gough (Chairman), Mr N Baker, Mrs C Bell, Mrs S Chandler,
Mr D Jeffrey, Mr R C Love, OBE, Mr D Murphy, Mr P J Oakford, Mr D Watkins and
Mr R J Thomas

IN ATTENDANCE: Dr A Ghosh (Director of Public Health), Mrs S Hammond
(Corporate Director Children, Young People and Education), Mrs A Beer (Chief
Executive), Mr B Watts (General Counsel), Mr J Betts (Interim Corporate Director Finance) and
Mr D Whittle (Director of Strategy, Policy, Relationships and Corporate Assurance)

UNRESTRICTED ITEMS

76. Apologies
(Item 1)
"""

COUNCIL_PRESENT = """PRESENT: Mr B J Sweetland (Chairman), Mr A M Ridgers (Vice-Chairman),
Mr T Cannon, Miss S J Carey, Sir Paul Carter, CBE, Mrs S Chandler,
Mrs T Dean, MBE, Mr M Dendor, Mr J A Kite, MBE, Rich Lehmann, Mr B H Lewis,
Mr R G Streatfeild, MBE, Dr L Sullivan, Mr J Wright and Ms L Wright

IN ATTENDANCE: Mr J Cook (Democratic Services Manager) and Mr B Watts
(General Counsel)

UNRESTRICTED ITEMS
"""

PANEL_MINUTES = """PRESENT: Shellina Prendergast (Chair), Paul Bartlett (Vice-Chair), Gary Cooke,
Dylan Jeffrey, David Brazier, Lesley Game, Sarah Hamilton, Sarah Hammond,
Caroline Smith, Tom Byrne, Tony Doran, Tracy Scott, Nancy Sayer and Brian Horton
ALSO PRESENT: Sue Chandler, Cabinet Member for Integrated Children’s
Services.

IN ATTENDANCE: James Clapson (Democratic Services Officer), Kevin Kasaven
(Director of Children's Countywide Services), Robin
Cahill (Senior Commissioner), Jason Read (Youth Justice Service Manager), Gavin
Swann (Service Manager Safeguarding, Quality Assurance & Professional
Standards) and Maureen Robinson (MI
Service Manager)

Apologies and Substitutes
(Item 1)
Apologies were received from Mr R Love OBE, Ms K Leonard, and Ms A Farmer.
"""


def people_of(text: str) -> dict[str, Person]:
    return {person.name: person for person in parse_attendance(text, "2025-01-09")}


def test_a_running_present_list_wrapped_over_lines() -> None:
    people = parse_attendance(CABINET_MINUTES, "2025-01-09")
    members = [p.name for p in people if p.is_councillor]
    assert members == ["R W Gough", "N Baker", "C Bell", "S Chandler", "D Jeffrey", "R C Love", "D Murphy",
                       "P J Oakford", "D Watkins", "R J Thomas"]
    by_name = {p.name: p for p in people}
    assert by_name["R W Gough"] == Person("R W Gough", "Chairman", True, ("2025-01-09",))
    assert by_name["R C Love"].role is None  # "OBE" is a letter after his name, not a post
    assert not any("UNRESTRICTED" in p.name or "Apologies" in (p.role or "") for p in people)


def test_in_attendance_posts_in_brackets_with_commas_and_line_breaks() -> None:
    people = people_of(CABINET_MINUTES)
    assert people["S Hammond"] == Person(
        "S Hammond", "Corporate Director Children, Young People and Education", False, ("2025-01-09",))
    assert people["A Beer"].role == "Chief Executive"
    assert people["B Watts"].role == "General Counsel"
    assert people["D Whittle"].role == "Director of Strategy, Policy, Relationships and Corporate Assurance"
    assert people["A Ghosh"].role == "Director of Public Health" and not people["A Ghosh"].is_councillor
    assert len(people) == 16


def test_honours_untitled_members_and_titles_in_a_council_list() -> None:
    people = people_of(COUNCIL_PRESENT)
    assert people["A M Ridgers"].role == "Vice-Chairman"
    assert people["Paul Carter"].is_councillor and people["Paul Carter"].role is None  # "Sir", "CBE"
    assert people["T Dean"].role is None and people["J A Kite"].role is None
    assert "Rich Lehmann" in people and people["B H Lewis"].is_councillor
    assert people["L Sullivan"].is_councillor  # "Dr" with an initial, in a members' list
    assert people["L Wright"].is_councillor and people["J Wright"].is_councillor
    assert people["J Cook"] == Person("J Cook", "Democratic Services Manager", False, ("2025-01-09",))
    assert people["B Watts"].role == "General Counsel"


def test_untitled_lists_an_also_present_post_and_names_broken_over_lines() -> None:
    people = people_of(PANEL_MINUTES)
    assert people["Shellina Prendergast"].role == "Chair"
    assert people["Caroline Smith"].role is None and people["Brian Horton"].role is None
    assert people["Sue Chandler"] == Person(
        "Sue Chandler", "Cabinet Member for Integrated Children’s Services", True, ("2025-01-09",))
    assert people["Robin Cahill"].role == "Senior Commissioner"
    assert people["Gavin Swann"].role == "Service Manager Safeguarding, Quality Assurance & Professional Standards"
    assert people["Maureen Robinson"].role == "MI Service Manager"
    assert "K Leonard" not in people and "R Love" not in people  # apologies: not there
    assert len(people) == 21  # 14 present, 1 also present, 6 in attendance


def test_officers_in_attendance_for_an_item() -> None:
    text = (
        "80. Provisional Local Government Finance Settlement 2025-26\n(Item 5)\n\n"
        "John Betts (Interim Corporate Director Finance) and Dave Shipton (Head of Finance\n"
        "(Policy, Planning & Strategy) were in attendance for this item\n\n"
        "Mark Scrivener, Head of Risk & Delivery Assurance and David Whittle, Director of\n"
        "Strategy, Policy, Relationships & Corporate Assurance were in attendance for this\nitem\n\n"
        "Apologies were received from Dylan Jeffrey, Rory Love, Stephen Gray and Nancy\n"
        "Sayer who was substituted by Roxanne Hills.\n"
    )
    assert [(p.name, p.role) for p in parse_attendance(text, None)] == [
        ("John Betts", "Interim Corporate Director Finance"),
        ("Dave Shipton", "Head of Finance (Policy, Planning & Strategy)"),
        ("Mark Scrivener", "Head of Risk & Delivery Assurance"),
        ("David Whittle", "Director of Strategy, Policy, Relationships & Corporate Assurance"),
    ]


def officers(text: str) -> list[tuple[str, str | None, bool]]:
    return [(p.name, p.role, p.is_councillor) for p in parse_report_officers(text, "2025-01-30")]


def test_a_from_cover_with_a_post_after_each_name() -> None:
    text = (
        "From: Rory Love, Cabinet Member for Education and Skills\n\n"
        "Sarah Hammond, Corporate Director of Children, Young People and Education\n\n"
        "To: Cabinet - 30 January 2025\n\nSubject: Kent Commissioning Plan\n\nClassification: Unrestricted\n"
    )
    assert officers(text) == [
        ("Rory Love", "Cabinet Member for Education and Skills", True),
        ("Sarah Hammond", "Corporate Director of Children, Young People and Education", False),
    ]


def test_from_covers_with_dashes_wrapped_posts_and_posts_alone() -> None:
    budget = (
        "From: Peter Oakford, Deputy Leader and Cabinet Member for Finance,\nCorporate and Traded Services\n"
        "  John Betts, Interim Corporate Director of Finance\n\nTo: Cabinet – 4th March 2025\n"
    )
    assert officers(budget) == [
        ("Peter Oakford", "Deputy Leader and Cabinet Member for Finance, Corporate and Traded Services", True),
        ("John Betts", "Interim Corporate Director of Finance", False),
    ]
    performance = (
        "From:   Roger Gough – Leader of the Council\n   Amanda Beer – Chief Executive Officer\n"
        "To:   Cabinet – 4 March 2025\nDecision No:  n/a\n"
    )
    assert officers(performance) == [
        ("Roger Gough", "Leader of the Council", True), ("Amanda Beer", "Chief Executive Officer", False),
    ]
    posts_only = (
        "From:\n\nDeputy Leader and Cabinet Member for Finance, Corporate and Traded\nServices\n"
        "Interim Corporate Director – Finance\n\nTo:\n\nCounty Council – 13 March 2025\n"
    )
    assert officers(posts_only) == []


def test_contact_details_at_the_end_of_a_report() -> None:
    text = (
        "Contact details:\n\nReport Author\nDave Shipton (Head of Finance Policy, Planning and Strategy)\n"
        "03000 419418, dave.shipton@kent.gov.uk\n\nRelevant Corporate Director:\n"
        "John Betts (Interim Corporate Director, Finance)\n03000 410066, john.betts@kent.gov.uk\n"
    )
    assert officers(text) == [
        ("Dave Shipton", "Head of Finance Policy, Planning and Strategy", False),
        ("John Betts", "Interim Corporate Director, Finance", False),
    ]


def test_stacked_contacts_name_post_department_telephone() -> None:
    text = (
        "14.  Contact details\n\nAuthor\nDr Mike Gogarty\nInterim Strategic Lead for Public Health\n"
        "Mike.gogarty@kent.gov.uk\n\n Relevant Director\nDr Anjan Ghosh\nDirector of Public Health\n"
        "Anjan.ghosh@kent.gov.uk\n03000 412633\n\n"
        "Matthew Wagner\nChief Analyst\nStrategy, Policy, Relationships & Corporate Assurance\n"
        "Telephone: 03000 416559\nMatthew.Wagner@kent.gov.uk\n\n"
        "Canon Peter Bruinvels CC\nCovenant Lead and Civilian Military\nLiaison Adviser\n"
        "03000 412986/ 07721 411 688\nPeter.Bruinvels@kent.gov.uk\n"
    )
    assert officers(text) == [
        ("Mike Gogarty", "Interim Strategic Lead for Public Health", False),
        ("Anjan Ghosh", "Director of Public Health", False),
        ("Matthew Wagner", "Chief Analyst Strategy, Policy, Relationships & Corporate Assurance", False),
        ("Peter Bruinvels", "Covenant Lead and Civilian Military Liaison Adviser", False),
    ]


def test_signatures_and_what_is_not_a_contact() -> None:
    agenda = ("8. Home to School Transport - Presentation\n\n\nBenjamin Watts\nGeneral Counsel\n03000 416814\n\n"
              "Monday, 24 February 2025")
    assert officers(agenda) == [("Benjamin Watts", "General Counsel", False)]
    treasury = ("Appendix 3 – TMG Meeting Notes, 13 November 2024\n\n\n"
                "Sangeeta Surana – Pension Fund and Treasury Investments Manager\n\nT: 03000 416738\n\n"
                "E: sangeeta.surana@kent.gov.uk\n")
    assert officers(treasury) == [("Sangeeta Surana", "Pension Fund and Treasury Investments Manager", False)]
    directory = ("School Sixth Forms\n\nAttleborough Sixth Form\n\nTel: 01953 452335\n\n"
                 "Great Yarmouth, East Coast College\n\nTel: 0800 854695\n")
    assert officers(directory) == []


@pytest.fixture(scope="module")
def kent_people() -> dict[str, list[Person]]:
    names = ("kent-cabinet-2025-01-09-minutes.pdf", "kent-cabinet-2025-03-04-budget-report.pdf")
    return {name: merge_people(document_people(parse_document(load_file(KENT / name)))) for name in names}


def test_real_kent_papers_name_people_with_posts(kent_people: dict[str, list[Person]]) -> None:
    minutes = {p.name: p for p in kent_people["kent-cabinet-2025-01-09-minutes.pdf"]}
    assert minutes["S Hammond"].role == "Corporate Director Children, Young People and Education"
    assert minutes["R W Gough"].is_councillor and minutes["John Betts"].role
    assert sum(1 for p in minutes.values() if p.role) >= 10
    report = {p.name: p for p in kent_people["kent-cabinet-2025-03-04-budget-report.pdf"]}
    assert report["Peter Oakford"].is_councillor and report["John Betts"].role
    assert report["Dave Shipton"].role == "Head of Finance Policy, Planning and Strategy"
