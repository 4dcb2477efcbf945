"""The curated glossary of council acronyms, and how mined entries merge with it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib import resources

from models.records import GlossaryEntry


def term_key(term: str) -> str:
    """Case-, punctuation- and "&"-insensitive key.

    "Education, Health & Care Plan" -> "education health and care plan".
    """
    term = re.sub(r"['’]", "", term.casefold().replace("&", " and "))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", term).split())


def load_curated() -> list[GlossaryEntry]:
    """The hand-checked acronyms shipped in models/data/glossary.json."""
    raw = resources.files("models").joinpath("data/glossary.json").read_text(encoding="utf-8")
    curated: dict[str, list[str]] = json.loads(raw)["acronyms"]
    return [GlossaryEntry(acronym, long_form, "curated") for acronym, forms in curated.items() for long_form in forms]


def load_glossary(mined: Iterable[GlossaryEntry] = ()) -> dict[str, list[str]]:
    """Merges the curated list and mined entries into acronym -> long forms.

    Curated entries come first. Acronyms merge case-insensitively under their first
    spelling ("CIN" and "CiN"); long forms merge when their ``term_key`` is equal.
    """
    glossary: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    for entry in [*load_curated(), *mined]:
        acronym = spelling.setdefault(entry.acronym.upper(), entry.acronym)
        forms = glossary.setdefault(acronym, [])
        if term_key(entry.long_form) not in {term_key(form) for form in forms}:
            forms.append(entry.long_form)
    return glossary
