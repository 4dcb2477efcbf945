"""Acronym mining, the curated glossary file, merging, and lookups in both directions."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.glossary import initials_match, is_plausible_acronym, mine_acronyms
from models.glossary import load_curated, load_glossary, term_key
from models.records import GlossaryEntry
from qa.retrieval.query import QueryPlanner

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def pairs(text: str, people: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(entry.acronym, entry.long_form) for entry in mine_acronyms(text, people)]


def test_mines_long_form_then_acronym() -> None:
    text = "Each Education, Health and Care Plan (EHCP) is funded from the Dedicated Schools Grant (DSG)."
    assert pairs(text) == [("EHCP", "Education, Health and Care Plan"), ("DSG", "Dedicated Schools Grant")]
    assert all(entry.source == "corpus" for entry in mine_acronyms(text))


def test_mines_acronym_then_long_form() -> None:
    text = "Each EHCP (Education Health and Care Plan) is reviewed."
    assert pairs(text) == [("EHCP", "Education Health and Care Plan")]
    assert pairs("affected by CSE (Child Sexual Exploitation) in") == [("CSE", "Child Sexual Exploitation")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 Written Statement of Action (WSoA)", ("WSoA", "Written Statement of Action")),
        ("Not in Education, Employment or Training (NEET)", ("NEET", "Not in Education, Employment or Training")),
        ("Unaccompanied Asylum-Seeking Children (UASC) were", ("UASC", "Unaccompanied Asylum-Seeking Children")),
        ("the Health and Wellbeing Boards (HWBs) must", ("HWBs", "Health and Wellbeing Boards")),
        ("the Care Quality Commission's (CQC) report", ("CQC", "Care Quality Commission")),
        ("the Local Government & Social Care Ombudsman (LGSCO)", ("LGSCO", "Local Government & Social Care Ombudsman")),
        ("harmful sexual behaviour [HSB] by", ("HSB", "harmful sexual behaviour")),
    ],
)
def test_mines_the_forms_the_papers_use(text: str, expected: tuple[str, str]) -> None:
    assert pairs(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "the budget for next year (ABC) was",  # letters do not match
        "as set out in the report (see Appendix A)",
        "Part (IV) of the Act",  # a roman numeral
        "option (A) was chosen",
        "a total of (EHCP)",
        "EHCP (see the table below)",
    ],
)
def test_rejects_junk(text: str) -> None:
    assert pairs(text) == []


def test_initials_in_attendance_lists_are_not_acronyms_when_the_names_are_known() -> None:
    text = "Attendees: Chris Knighton (CK) - Chair, Social Care (SC) team"
    assert pairs(text, ("Chris Knighton",)) == [("SC", "Social Care")]


def test_initials_match_and_plausibility() -> None:
    assert initials_match("CIN", ["Children", "in", "Need"]) and initials_match("CiN", ["Children", "in", "Need"])
    assert initials_match("H&WB", ["Health", "and", "Wellbeing", "Board"])
    assert not initials_match("EHCP", ["Education", "Health", "Care"])
    assert not initials_match("LA", ["the", "Local", "Authority"])  # a long form does not start with a stop word
    assert is_plausible_acronym("WSoA") and not is_plausible_acronym("A") and not is_plausible_acronym("XII")


def test_curated_file_loads() -> None:
    curated = load_curated()
    acronyms = {entry.acronym for entry in curated}
    assert {"EHCP", "SEND", "LGSCO", "WSoA", "DfE", "UASC", "NEET", "CCG"} <= acronyms
    assert len(acronyms) >= 80
    assert all(entry.source == "curated" and entry.long_form.strip() for entry in curated)
    assert all(is_plausible_acronym(acronym) for acronym in acronyms)


def test_load_glossary_merges_curated_and_mined() -> None:
    mined = [
        GlossaryEntry("EHCP", "Education Health & Care Plan", "corpus"),  # same as curated, other punctuation
        GlossaryEntry("EHCP", "Education, Health and Care Plans", "corpus"),
        GlossaryEntry("CiN", "Children in Need", "corpus"),
        GlossaryEntry("NEHFF", "Norfolk Early Help Family Focus", "corpus"),
        GlossaryEntry("ZZQ", "Zebra Zoo Quarter", "corpus"),
    ]
    glossary = load_glossary(mined)
    assert glossary["EHCP"] == ["Education, Health and Care Plan", "Education, Health and Care Plans"]
    assert "CiN" not in glossary and glossary["CIN"] == ["Children in Need", "Child in Need"]
    assert glossary["ZZQ"] == ["Zebra Zoo Quarter"]


def test_query_expansions_work_both_ways_ignoring_case_and_punctuation() -> None:
    planner = QueryPlanner(load_glossary())

    def expansions(query: str) -> list[str]:
        return list(planner.plan(query).expansions)

    assert expansions("EHCP") == ["Education, Health and Care Plan"]
    assert expansions("ehcps") == ["Education, Health and Care Plan"]
    # A long form names every acronym it expands: "EHC" (needs assessment) as well as "EHCP".
    assert expansions("education health and care plan")[0] == "EHCP"
    assert expansions("Education, Health & Care Plan")[0] == "EHCP"
    assert "ChS" in expansions("Children's Services")
    assert expansions("wsoa") == ["Written Statement of Action"]
    assert expansions("at") == [] and expansions("no such thing") == []


def test_term_key() -> None:
    assert term_key("Children’s Services") == term_key("childrens services") == "childrens services"


def test_mining_the_corpus_finds_its_definitions() -> None:
    mined: list[GlossaryEntry] = []
    for path in sorted(CORPUS.glob("*.txt")):
        mined += mine_acronyms(path.read_text(encoding="utf-8"))
    found = {(entry.acronym, term_key(entry.long_form)) for entry in mined}
    assert ("LGSCO", "local government and social care ombudsman") in found
    assert ("WSoA", "written statement of action") in found
    assert ("MASH", "multi agency safeguarding hub") in found
    assert len(found) > 100


def test_glossary_rows_are_mined_when_their_initials_check_out() -> None:
    text = ("GLOSSARY\nCFR Capital Financing Requirement. A council's underlying need to hold debt.\n"
            "Counterparty The other party to a loan.\nMRP\tMinimum Revenue Provision - the charge to revenue\n"
            "TBC To be confirmed later\n")
    assert pairs(text) == [("CFR", "Capital Financing Requirement"), ("MRP", "Minimum Revenue Provision")]
