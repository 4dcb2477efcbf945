"""The entity patterns name no particular person and no council's places: people come from the papers."""

from __future__ import annotations

import collections
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from indexer.loaders import load_file
from indexer.structure.attendance import place_words

ROOT = Path(__file__).resolve().parent.parent
# Words a pattern may fix for a person: titles before a name, and the "of" of "Chenery of Horsbrugh".
TITLES = frozenset("cllr cllrs councillor mr mrs ms miss dr prof professor sir dame lord lady of".split())
# Generic words the papers write capitalised in bodies' names; patterns may use them.
GENERIC = frozenset(
    "County City District Borough Town Parish Metropolitan North South East West Great Advisory January February "
    "March April May June July August September October November December".split()
)
_NAME_TOKEN = re.compile(r"(?:Mc|Mac|Fitz|Le|De|O')?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)*")


def patterns() -> list[dict[str, Any]]:
    text = resources.files("models").joinpath("data/patterns.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def literals(pattern: Any, excluded: bool = True) -> Iterator[str]:
    """Every fixed string of a pattern: a phrase, ORTH/TEXT/LOWER values and their IN lists, and (if
    ``excluded``) the NOT_IN lists of words a token must not be."""
    if isinstance(pattern, str):
        yield pattern
    elif isinstance(pattern, list):
        for item in pattern:
            yield from literals(item, excluded)
    elif isinstance(pattern, dict):
        for key, value in pattern.items():
            if key not in ("REGEX", "OP") and (excluded or key != "NOT_IN"):
                yield from literals(value, excluded)


def names_a_person(label: str, pattern: Any) -> bool:
    """A PERSON or COUNCILLOR pattern that fixes two or more name-shaped words, or any word that is not a title."""
    if label not in ("PERSON", "COUNCILLOR"):
        return False
    if isinstance(pattern, str):
        return len([word for word in pattern.split() if _NAME_TOKEN.fullmatch(word)]) >= 2
    fixed = [word for word in literals(pattern, excluded=False) if re.search(r"[A-Za-z]", word)]
    return any(word.casefold().rstrip(".") not in TITLES for word in fixed)


def test_the_check_catches_a_named_person() -> None:
    assert names_a_person("PERSON", "Sara Tough") and names_a_person("COUNCILLOR", "Mike Smith-Clare")
    assert names_a_person("PERSON", [{"ORTH": "Sara"}, {"ORTH": "Tough"}])
    shape = [{"LOWER": {"IN": ["cllr", "councillor"]}}, {"TEXT": {"REGEX": "^[A-Z]"}, "LOWER": {"NOT_IN": ["page"]}}]
    assert not names_a_person("COUNCILLOR", shape)
    assert not names_a_person("ORG", "Care Quality Commission")


def test_no_pattern_names_a_particular_person() -> None:
    named = [entry["pattern"] for entry in patterns() if names_a_person(entry["label"], entry["pattern"])]
    assert named == []


def test_person_patterns_are_shapes() -> None:
    people = [entry for entry in patterns() if entry["label"] in ("PERSON", "COUNCILLOR")]
    assert people and all(isinstance(entry["pattern"], list) and "id" not in entry for entry in people)


@pytest.fixture(scope="module")
def papers_places() -> frozenset[str]:
    """Words the papers use as a council's or a body's place ("Kent" in "Kent County Council") and
    almost never write in lower case: the proper names of places."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += [load_file(path).text for path in sorted((ROOT / "tests/data/realworld/kent").glob("*.pdf"))]
    prose = re.sub(r"\S*[@/]\S*|\S+\.(?:gov|org|nhs|co|ac|com)\b\S*", " ", "\n".join(texts))
    counts = collections.Counter(re.findall(r"\b[A-Za-z][a-z'’]+\b", prose))
    found = set().union(*(place_words(text) for text in texts))
    return frozenset(word for word in found if counts[word] >= 9 * counts[word.lower()]) - GENERIC


def test_the_papers_places_are_found(papers_places: frozenset[str]) -> None:
    assert {"Norfolk", "Norwich", "Waveney", "Kent"} <= papers_places
    assert not {"Care", "Children", "Health"} & papers_places


def test_no_pattern_holds_a_place_the_papers_name(papers_places: frozenset[str]) -> None:
    places = {place.casefold() for place in papers_places}
    found = sorted(
        {word for entry in patterns() for text in literals(entry["pattern"]) for word in re.split(r"[\s/&]+", text)
         if word.casefold().removesuffix("'s").removesuffix("’s") in places}
    )
    assert found == []


def test_no_curated_glossary_entry_holds_a_place_the_papers_name(papers_places: frozenset[str]) -> None:
    """An acronym of one place's body ("NCC" for one county council) would expand wrongly on another's papers;
    each paper's own definitions are mined at build time instead."""
    from models.glossary import load_curated

    places = {place.casefold() for place in papers_places}
    found = sorted({entry.long_form for entry in load_curated()
                    if any(word.casefold() in places for word in re.findall(r"[A-Za-z]+", entry.long_form))})
    assert found == []
