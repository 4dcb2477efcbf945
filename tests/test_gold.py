"""The gold set is sound: evidence is verbatim, kinds, styles and splits are mixed, every file is covered."""

from __future__ import annotations

from collections import Counter

from evaluation.gold import KINDS, STYLES, check_gold, evidence_positions, load_gold, matched_evidence, normalise
from tests.conftest import PACKS, REPO

KENT = sorted(p.name for p in (REPO / "tests" / "data" / "realworld" / "kent").glob("*.pdf"))

GOLD = load_gold()


def test_every_evidence_string_is_verbatim_in_its_file_and_well_formed():
    assert check_gold(GOLD) == []


def test_size_and_mix():
    answerable = [q for q in GOLD if q.answerable]
    assert len(GOLD) >= 250 and len(answerable) >= 200
    assert sum(not q.answerable for q in GOLD) >= 40
    assert set(Counter(q.kind for q in GOLD)) == set(KINDS)
    assert set(Counter(q.style for q in answerable)) == set(STYLES)
    for split in ("dev", "test"):
        assert sum(q.split == split for q in answerable) >= 40
        assert sum(q.split == split and not q.answerable for q in GOLD) >= 5


def test_every_file_of_both_councils_is_covered():
    positions = evidence_positions(GOLD)
    assert set(positions) == set(PACKS) | set(KENT)
    for name in PACKS:  # the long packs from start to end
        assert min(positions[name]) < 0.25 and max(positions[name]) > 0.75, (name, sorted(positions[name]))


def test_judging_normalises_whitespace_markup_and_lookalikes():
    query = next(q for q in GOLD if q.answerable)
    evidence = query.evidence[0]
    marked = "**" + evidence.replace(" ", "\n  ", 1) + "**"
    assert matched_evidence(query, query.source_file, f"before {marked} after") == [0]
    assert matched_evidence(query, "another_file.txt", evidence) == []
    assert normalise("ЕНСР  **timeliness**") == "ehcp timeliness"


def test_most_queries_are_natural_paraphrases():
    """At least 40% are natural questions sharing no more than 3 content words with any evidence string."""
    from evaluation.gold import shared_words

    paraphrased = [q for q in GOLD if q.style == "natural" and shared_words(q) <= 3]
    assert len(paraphrased) >= 0.4 * len(GOLD)


def test_shared_words_counts_content_words_only():
    from evaluation.gold import GoldQuery, shared_words

    query = GoldQuery("x", "How many looked after children were there?", "figure", "natural", "dev", "f.txt",
                      ("The number of Looked After Children was 1179", "children in care"))
    assert shared_words(query) == 2  # looked, children; "how", "many", "after", "were", "there" are stop words
