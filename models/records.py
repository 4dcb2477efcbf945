"""What the models produce: entity spans and glossary entries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    """A named thing found in the text: a person, post, school, body or figure.

    Attributes:
        label: "PERSON", "COUNCILLOR", "POST", "SCHOOL", "ORG", "MONEY",
            "PERCENT", "COUNT", "DATE".
        text: The surface form as found.
        norm: The normalised form used to merge mentions ("Fabian Eagle").
        char_start: Start in the text the entity was found in.
        char_end: End (exclusive).
    """

    label: str
    text: str
    norm: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class GlossaryEntry:
    """An acronym and its long form, mined from the corpus or curated."""

    acronym: str
    long_form: str
    source: str  # "corpus" or "curated"
