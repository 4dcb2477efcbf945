"""One record per person across the index: mentions merged at build time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from indexer.records import ParsedDocument, Person
from indexer.structure.attendance import parse_attendance
from indexer.structure.covers import parse_report_officers
from models.names import name_key, normalise_name

_ROLE_WORDS = re.compile(r"\b(?:Chair(?:man)?|Vice[- ]Chair(?:man)?)\b", re.IGNORECASE)


def document_people(doc: ParsedDocument) -> list[Person]:
    """People in a paper's membership and attendance lists, report covers, contacts and signatures."""
    text = doc.source.text
    people: list[Person] = []
    for part in doc.parts:
        body = text[part.char_start:part.char_end]
        date = part.meeting_date or doc.meeting.meeting_date
        if part.kind in ("cover", "minutes", "presentation"):
            people.extend(parse_attendance(body, date))
        if part.kind != "minutes":  # report covers, contacts, and the signature under an agenda
            people.extend(parse_report_officers(body, date))
    return people


def _richer_role(earlier: str | None, later: str | None) -> str | None:
    """The more informative of two roles: any role beats none, a post beats a chair role, and
    between two of a kind the later one wins (people change posts)."""
    if not earlier or not later:
        return earlier or later
    return later if _ROLE_WORDS.fullmatch(earlier) or not _ROLE_WORDS.fullmatch(later) else earlier


def _same_person(short: str, full: str) -> bool:
    """ "S Dark" and "Stuart Dark": the same surname, and the initial fits the first name."""
    short_words, full_words = short.split(), full.split()
    return (
        len(short_words) == 2
        and len(short_words[0].rstrip(".")) == 1
        and len(full_words) >= 2
        and short_words[-1].casefold() == full_words[-1].casefold()
        and full_words[0][0].casefold() == short_words[0][0].casefold()
        and len(full_words[0]) > 1
    )


def merge_people(people: Iterable[Person]) -> list[Person]:
    """Merges mentions of one person: same normalised name, or an initial that fits one full name.

    Meeting dates are united and sorted; the most informative role is kept; a person is a
    councillor if any mention says so. "Mr S Dark" joins "Stuart Dark" only when no
    other full name fits the initial.
    """
    merged: dict[str, Person] = {}
    for person in sorted(people, key=lambda person: max(person.meeting_dates, default="")):
        key = name_key(person.name)
        previous = merged.get(key)
        if previous is None:
            merged[key] = Person(normalise_name(person.name), person.role, person.is_councillor,
                                 tuple(sorted(set(person.meeting_dates))))
        else:
            merged[key] = _combine(previous, person)
    for key, person in list(merged.items()):
        fits = [other for other in merged.values() if other is not person and _same_person(person.name, other.name)]
        if len(fits) == 1:
            full = fits[0]
            earlier, later = sorted((full, person), key=lambda p: max(p.meeting_dates, default=""))
            merged[name_key(full.name)] = replace(_combine(earlier, later), name=full.name)
            del merged[key]
    return sorted(merged.values(), key=lambda person: person.name.casefold())


def _combine(kept: Person, other: Person) -> Person:
    return Person(
        name=kept.name,
        role=_richer_role(kept.role, other.role),
        is_councillor=kept.is_councillor or other.is_councillor,
        meeting_dates=tuple(sorted(set(kept.meeting_dates) | set(other.meeting_dates))),
    )
