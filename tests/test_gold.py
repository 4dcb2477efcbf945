"""The gold set is sound: evidence is verbatim, kinds, styles and splits are mixed, every file is covered."""

from __future__ import annotations

from collections import Counter

from evaluation.gold import KINDS, STYLES, check_gold, evidence_positions, load_gold, matched_evidence, normalise
from tests.conftest import CORPUS, PACKS

GOLD = load_gold()


def test_every_evidence_string_is_verbatim_in_its_file_and_well_formed():
    assert check_gold(GOLD, CORPUS) == []


def test_size_and_mix():
    answerable = [q for q in GOLD if q.answerable]
    assert len(answerable) >= 100
    assert sum(not q.answerable for q in GOLD) >= 15
    assert set(Counter(q.kind for q in GOLD)) == set(KINDS)
    assert set(Counter(q.style for q in answerable)) == set(STYLES)
    for split in ("dev", "test"):
        assert sum(q.split == split for q in answerable) >= 40
        assert sum(q.split == split and not q.answerable for q in GOLD) >= 5


def test_all_five_files_are_covered_over_their_whole_length():
    positions = evidence_positions(GOLD, CORPUS)
    assert set(positions) == set(PACKS)
    for name, where in positions.items():
        assert min(where) < 0.25 and max(where) > 0.75, (name, sorted(where))


def test_judging_normalises_whitespace_markup_and_lookalikes():
    query = next(q for q in GOLD if q.answerable)
    evidence = query.evidence[0]
    marked = "**" + evidence.replace(" ", "\n  ", 1) + "**"
    assert matched_evidence(query, query.source_file, f"before {marked} after") == [0]
    assert matched_evidence(query, "another_file.txt", evidence) == []
    assert normalise("ЕНСР  **timeliness**") == "ehcp timeliness"
