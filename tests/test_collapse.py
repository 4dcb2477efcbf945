"""Near-duplicate collapsing merges real repeats, never two papers' shared cover sheets."""

from __future__ import annotations

from indexer.store.rows import StoredPassage
from qa.retrieval.collapse import collapse, shingles

SUMMARY = ("The Committee noted that 1,179 children were looked after at the end of April 2018, "
           "an increase of 32 on the previous month, and asked for a report on placement costs.")


def passage(id_: int, document: int, text: str, part_kind: str = "report") -> StoredPassage:
    return StoredPassage(id=id_, document_id=document, ordinal=id_, source_file=f"{document}.txt", title="t",
                         body="b", meeting_date=None, document_kind="agenda_pack", part_kind=part_kind,
                         item_number=None, part_title=None, section_path=(), paragraph_nos=(), page=None,
                         char_start=0, char_end=len(text), text=text, header="", context="", vector=b"",
                         fingerprint=str(hash(text)))


def run(ranked: list[StoredPassage]) -> tuple[list[int], dict[int, list[int]]]:
    kept, near = collapse(ranked, 10, lambda p: frozenset(shingles(p.text)))
    return kept, {position: [p.id for p in copies] for position, copies in near.items()}


def test_the_same_paragraph_in_one_paper_collapses() -> None:
    assert run([passage(1, 1, SUMMARY), passage(2, 1, "Appendix B. " + SUMMARY)]) == ([0], {0: [2]})


def test_a_verbatim_repeat_of_content_in_another_paper_collapses() -> None:
    assert run([passage(1, 1, SUMMARY), passage(2, 2, SUMMARY)]) == ([0], {0: [2]})


def test_two_papers_cover_sheets_stay_apart() -> None:
    cover = "People and Communities Select Committee. Date: {}. Venue: Council Chamber, County Hall, Norwich. " \
            "Persons attending the meeting are requested to turn off mobile phones."
    first = passage(1, 1, cover.format("12 July 2022"), "cover")
    second = passage(2, 2, cover.format("13 November 2020"), "cover")
    assert run([first, second]) == ([0, 1], {})
