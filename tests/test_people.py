"""People from membership and attendance lists, report headers, merging, and posts linked to people."""

from __future__ import annotations

from pathlib import Path

from indexer.people import merge_people
from indexer.records import Person
from indexer.structure.attendance import looks_like_name, parse_attendance
from indexer.structure.covers import parse_report_officers
from models.names import name_key, normalise_name
from qa.posts import link_post

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

MINUTES_2020 = """Present:

Cllr Shelagh Gurney (Chairman)

Cllr David Bills Cllr Penny Carpenter Cllr S Young

Substitute Members Present:

Cllr Steffan Aquarone for Cllr Tim Adams Cllr Ron Hanton for Cllr Fabian Eagle

Also Present

AISOTTOSCIA\t
Philip Beck\tHead of Community and Partnerships (East and North Norfolk),
I\tChildren's Services
Cllr Mick Castle\tNorfolk County Council Independent Member for Yarmouth North and
\tCentral
Chris Snudden\tDirector of Learning and Inclusion, Children's Services
James Wilson\tDirector of Quality and Transformation, Children's Services
James WISON\tDirector of Quality and Transformation, Children's Services

1. Apologies for Absence

1.1 Apologies were received from Cllr Tim Adams.
"""

MEMBERSHIP_2018 = """Membership

Mrs P Carpenter - Chairman

Mr D Collis Mr G Middleton

Mr S Dark - Vice-Chairman Mr M Smith-Clare

Church Representatives

Mrs H Bates Mr P Dunning

**For further details and general enquiries about this Agenda
"""


def people_of(text: str, date: str | None = "2020-09-18") -> dict[str, Person]:
    return {person.name: person for person in parse_attendance(text, date)}


def test_normalise_name_strips_titles_and_roles() -> None:
    assert normalise_name("Cllr Fabian Eagle (Vice-Chair)") == "Fabian Eagle"
    assert normalise_name("Mr  S Dark - Vice-Chairman") == "S Dark"
    assert normalise_name("Cllr. Mike Smith-Clare") == "Mike Smith-Clare"
    assert normalise_name("Dr Wendy Thomson") == "Wendy Thomson"
    assert name_key("Cllr Fabian Eagle") == name_key("fabian  eagle")


def test_looks_like_name() -> None:
    assert looks_like_name("Michael Chenery of Horsbrugh") and looks_like_name("Mr S Dark")
    assert not looks_like_name("AISOTTOSCIA") and not looks_like_name("James WISON")
    assert not looks_like_name("Colin")


def test_minutes_attendance_with_substitutes_and_officers() -> None:
    people = people_of(MINUTES_2020)
    assert people["Shelagh Gurney"] == Person("Shelagh Gurney", "Chairman", True, ("2020-09-18",))
    assert people["S Young"].is_councillor
    assert people["Steffan Aquarone"].is_councillor and "Tim Adams" not in people  # sent apologies
    assert people["Chris Snudden"] == Person(
        "Chris Snudden", "Director of Learning and Inclusion, Children's Services", False, ("2020-09-18",)
    )
    beck = "Head of Community and Partnerships (East and North Norfolk), Children's Services"
    assert people["Philip Beck"].role == beck
    assert people["Mick Castle"].role == "Norfolk County Council Independent Member for Yarmouth North and Central"
    assert people["Mick Castle"].is_councillor
    assert "James WISON" not in people and "AISOTTOSCIA" not in people
    assert len(people) == 10


def test_membership_with_honorifics_and_co_opted_members() -> None:
    people = people_of(MEMBERSHIP_2018, "2018-07-10")
    assert people["P Carpenter"].role == "Chairman" and people["P Carpenter"].is_councillor
    assert people["S Dark"].role == "Vice-Chairman"
    assert people["M Smith-Clare"].is_councillor
    assert people["H Bates"] == Person("H Bates", "Church Representative", False, ("2018-07-10",))
    assert set(people) == {"P Carpenter", "D Collis", "G Middleton", "S Dark", "M Smith-Clare", "H Bates", "P Dunning"}


def test_officers_block_with_a_dash_and_an_inline_list() -> None:
    text = "Officers Present:\nChris Snudden — Director of Learning and Inclusion, Children's Services\n\n1. Apologies"
    assert parse_attendance(text, None) == [
        Person("Chris Snudden", "Director of Learning and Inclusion, Children's Services", False, ())
    ]
    inline = "**Present:** Joyce Hopwood (Dementia Champion), Ian Mack (West Norfolk CCG)\n\n### Notes\nMr A Person"
    assert [(p.name, p.role) for p in parse_attendance(inline, None)] == [
        ("Joyce Hopwood", "Dementia Champion"), ("Ian Mack", "West Norfolk CCG"),
    ]


def test_role_column_naming_a_councillor_marks_one() -> None:
    text = "Also Present:\nJames Joyce\tNorfolk County Councillor\nTim Shaw\tCommittee Officer\n"
    found = [(p.name, p.is_councillor) for p in parse_attendance(text, None)]
    assert found == [("James Joyce", True), ("Tim Shaw", False)]


def test_text_without_lists_gives_nobody() -> None:
    assert parse_attendance("The Committee received the report. Mr S Dark asked a question.", None) == []


def test_merge_unites_dates_and_keeps_the_most_informative_role() -> None:
    merged = merge_people([
        Person("Cllr Fabian Eagle", "Vice-Chair", True, ("2020-09-18",)),
        Person("Fabian Eagle", "Chair", True, ("2022-05-27",)),
        Person("Sara Tough", "Executive Director of Children's Services", False, ("2018-07-10",)),
        Person("Sara Tough", None, False, ("2022-05-27",)),
    ])
    assert merged == [
        Person("Fabian Eagle", "Chair", True, ("2020-09-18", "2022-05-27")),
        Person("Sara Tough", "Executive Director of Children's Services", False, ("2018-07-10", "2022-05-27")),
    ]


def test_merge_joins_an_initial_only_when_one_full_name_fits() -> None:
    merged = merge_people([
        Person("S Dark", "Vice-Chairman", True, ("2018-07-10",)), Person("Stuart Dark", None, True, ("2020-01-01",)),
        Person("S Young", None, True, ()), Person("Sheila Young", None, True, ()), Person("Sam Young", None, False, ()),
    ])
    names = [person.name for person in merged]
    assert names == ["S Young", "Sam Young", "Sheila Young", "Stuart Dark"]
    assert merged[-1].meeting_dates == ("2018-07-10", "2020-01-01") and merged[-1].role == "Vice-Chairman"


def test_report_headers_and_a_presentation_cover() -> None:
    text = (
        "Responsible Chief Officer:\tSara Tough Executive Director Children's Services\n"
        "Responsible Director: James Bullion (Executive Director of Adult Social Services)\n"
        "Responsible Cabinet Member:\tCllr John Fisher (Cabinet Member for Children's Services)\n"
        "Responsible Director:\tExecutive Director of Adult Social Services\t\t\n"
        "Officer name: Michael Bateman, Programme Director SEND & Alternative Provision\tTel No.:\t07768 165536\n"
        "Officer Name: Val Crewdson Tel No: 01603 223585\n"
        "James Wilson, Director of Quality and Transformation\n"
    )
    assert [(p.name, p.role, p.is_councillor) for p in parse_report_officers(text, "2018-07-10")] == [
        ("Sara Tough", "Executive Director Children's Services", False),
        ("James Bullion", "Executive Director of Adult Social Services", False),
        ("John Fisher", "Cabinet Member for Children's Services", True),
        ("Michael Bateman", "Programme Director SEND & Alternative Provision", False),
        ("Val Crewdson", None, False),
        ("James Wilson", "Director of Quality and Transformation", False),
    ]


PEOPLE = [
    Person("Chris Snudden", "Director of Learning and Inclusion, Children's Services", False, ("2020-09-18",)),
    Person("Sara Tough", "Executive Director of Children's Services", False, ("2020-09-18",)),
    Person("Lucy Macleod", "Interim Director of Public Health", False, ("2015-02-04",)),
    Person("Louise Smith", "Director of Public Health", False, ("2022-05-27",)),
    Person("Paula Hawley-Evans", "Public Health Consultant", False, ("2022-05-27",)),
]


def test_link_post_finds_the_post_holder() -> None:
    person = link_post("the Director of Learning and Inclusion introduced the report", PEOPLE, "2020-09-18")
    assert person is not None and person.name == "Chris Snudden"
    consultant = link_post("The Public Health Consultant gave a presentation", PEOPLE)
    assert consultant is not None and consultant.name == "Paula Hawley-Evans"


def test_link_post_prefers_the_meeting_and_refuses_ties() -> None:
    at_2015 = link_post("the Director of Public Health", PEOPLE, "2015-02-04")
    assert at_2015 is not None and at_2015.name == "Lucy Macleod"
    twins = [Person("A One", "Head of Service", False, ()), Person("B Two", "Head of Service", False, ())]
    assert link_post("the Head of Service", twins) is None
    assert link_post("the Chair thanked officers", PEOPLE) is None


def test_link_post_finds_the_chair_of_the_meeting() -> None:
    chairs = [
        Person("Shelagh Gurney", "Chairman", True, ("2020-09-18",)),
        Person("Fabian Eagle", "Vice-Chair", True, ("2020-09-18",)),
        Person("Fabian Eagle", "Chair", True, ("2022-05-27",)),
    ]
    chair_2020 = link_post("The Chair thanked officers", chairs, "2020-09-18")
    assert chair_2020 is not None and chair_2020.name == "Shelagh Gurney"
    chair_2022 = link_post("The Chair thanked officers", chairs, "2022-05-27")
    assert chair_2022 is not None and chair_2022.name == "Fabian Eagle"


def test_real_packs_name_the_officers_with_their_posts() -> None:
    pack_2020 = (CORPUS / "000_2015e9705d707e29.txt").read_text(encoding="utf-8")
    roles = {p.name: p.role for p in parse_attendance(pack_2020, "2020-09-18")}
    assert roles["Chris Snudden"] == "Director of Learning and Inclusion, Children's Services"
    assert roles["James Wilson"] == "Director of Quality and Transformation, Children's Services"
    assert roles["Sara Tough"] == "Executive Director of Children's Services"
    for name in ("003_6730343735bd187f.txt", "001_e6f95b43717deeaf.txt"):  # 2018 and 2022: report headers
        text = (CORPUS / name).read_text(encoding="utf-8")
        people = merge_people(parse_attendance(text, None) + parse_report_officers(text))
        sara = next(p for p in people if p.name == "Sara Tough")
        assert sara.role is not None and sara.role.startswith("Executive Director")
    pack_2022 = (CORPUS / "001_e6f95b43717deeaf.txt").read_text(encoding="utf-8")
    roles_2022 = {p.name: p for p in parse_attendance(pack_2022, "2022-05-27")}
    bateman = "Assistant Director, SEND Strategic Improvement and Early Effectiveness"
    assert roles_2022["Michael Bateman"].role == bateman
    assert roles_2022["Michael Chenery of Horsbrugh"].is_councillor
