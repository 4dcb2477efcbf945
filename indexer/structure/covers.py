"""People named on report covers ("From:", "Responsible Director:") and in contact blocks and signatures."""

from __future__ import annotations

import re

from indexer.records import Person
from indexer.structure.attendance import (
    POST_START, clean_name, is_councillor_title, is_name_entry, place_words, split_entry, with_role,
)
from models.names import name_key

# A field whose value names a person: "Responsible Director: Sara Tough, Executive Director",
# "Report Author", "Relevant Corporate Director:", "Contact officer", "Ask for: Georgina Little".
_FIELD = (
    r"(?:Responsible|Relevant|Lead)\s+(?:Corporate\s+|Executive\s+)?(?:Director|Chief Officer|Cabinet Member|Officer)s?"
    r"|(?:Performance\s+)?Officer\s+[Nn]ame|(?:Report\s+)?Authors?|Contact\s+[Oo]fficers?|Report\s+(?:by|of)|Ask\s+for"
)
_FIELD_LINE = re.compile(rf"^\W*(?:\d+\.\s*)?(?P<field>{_FIELD})\b\s*:?\s*(?P<value>.*)$")
_NAME_THEN_POST = re.compile(rf"^(?P<name>.+?)[\s,(–—-]+(?P<post>{POST_START}.*?)\)?$")
# A line that gives a telephone number or an email address, and little else.
_CONTACT_LINE = re.compile(
    r"^\W*(?:(?:Tel(?:ephone)?|Phone|Mobile|Direct line|E-?mail(?: address)?|T|E|M)\b\.?\s*(?:no\.?)?\s*:?\s*)?"
    r"(?:(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|[\w.'-]+@[\w.-]+)",
    re.IGNORECASE,
)
# A label alone on its line in a contact block: "Name", "Email", "Tel".
_LABEL_ONLY = re.compile(
    r"^\W*(?:Name|E-?mail(?: address)?|Tel(?:ephone)?(?: no)?|Phone|Mobile|Address|Website|Job title|Post)\W*$",
    re.IGNORECASE,
)
# The fields after a cover's "From:" block.
_COVER_END = re.compile(
    r"^\W*(?:To|Subject|Date|Decision|Key decision|Classification|Summary|Past Pathway|Future Pathway|"
    r"Electoral Division|Report title|Purpose)\b[^:]{0,30}:|^\W*To\s"
)
_COVER_LINES = 8  # a "From:" block names two or three people, a line or two each (Kent covers: at most 6 lines)
_POST_LINES = 4  # post and department under a contact name: 1 to 3 lines in the Kent and Norfolk contacts


def _contact_free(value: str) -> str:
    """The value before any telephone or email column: "Val Crewdson Tel No: 01603 223585"."""
    return re.split(r"\t|\*\*|\bTel(?:ephone)?\.?\s*(?:No)?\b|\bTelephone\b|\S+@\S+", value)[0].strip(" ,.*:")


def _name_and_post(value: str, places: frozenset[str]) -> tuple[str, str | None] | None:
    value = _contact_free(value)
    name, post = split_entry(value, places)
    if is_name_entry(name, places):
        return name, post
    found = _NAME_THEN_POST.match(value)  # "Sara Tough Executive Director Children's Services"
    if found and is_name_entry(found.group("name").strip(" ,"), places):
        return found.group("name").strip(" ,"), found.group("post").strip(" ,") or None
    return None


def _person(name: str, post: str | None, dates: tuple[str, ...]) -> Person:
    person = Person(clean_name(name), None, is_councillor_title(name), dates)
    return with_role(person, post, "") if post else person


def _stack(lines: list[str], places: frozenset[str], dates: tuple[str, ...]) -> list[Person]:
    """People in lines of "Name, Post" or "Name" then post lines: a line that is not a name carries
    on the post of the person above it (a post wrapped over lines, or its department)."""
    people: list[Person] = []
    joiner = " "
    for line in lines:
        value = _contact_free(line)
        if not value or _LABEL_ONLY.match(value):
            continue
        split = _name_and_post(value, places)
        if split is not None:
            people.append(_person(*split, dates))
        elif people:
            people[-1] = with_role(people[-1], value, joiner)
        joiner = ", " if line.rstrip().endswith(",") else " "
    return people


def _cover_people(lines: list[str], start: int, places: frozenset[str], dates: tuple[str, ...]) -> list[Person]:
    """ "From: Rory Love, Cabinet Member for Education and Skills / Sarah Hammond, Corporate Director
    of Children, Young People and Education / To: Cabinet - 30 January 2025"."""
    block = [re.sub(r"^\W*From\s*:", "", lines[start])]
    for line in lines[start + 1 : start + _COVER_LINES]:
        if _COVER_END.match(line) or _CONTACT_LINE.match(line):
            break
        block.append(line)
    return _stack(block, places, dates)


def _contact_people(lines: list[str], end: int, places: frozenset[str], dates: tuple[str, ...]) -> list[Person]:
    """The person whose telephone or email is on line ``end``: the nearest name line above it, and
    the post lines between ("Matthew Wagner / Chief Analyst / Strategy, Policy / Telephone: ...")."""
    above: list[str] = []
    for line in reversed(lines[max(0, end - 2 * _POST_LINES) : end]):
        if not line.strip() or _LABEL_ONLY.match(line):
            continue
        if _CONTACT_LINE.match(line) or line.rstrip().endswith((".", ":")) or len(above) > _POST_LINES:
            return []
        value = _FIELD_LINE.sub(r"\g<value>", line)
        above.insert(0, value)
        if value.strip() and _name_and_post(value, places) is not None:
            return _stack(above, places, dates)[:1]
    return []


def parse_report_officers(text: str, meeting_date: str | None = None) -> list[Person]:
    """People named on a report's cover and in its contacts, one record each.

    Covers: "Responsible Director: Sara Tough, Executive Director of Children's Services",
    "Officer name: Val Crewdson", a "From:" block of "Name, Post" lines, and a presentation's
    "James Wilson, Director of Quality and Transformation" cover line. Contacts and signatures: a
    name line, its post lines, then a telephone number or email address ("Report Author / Dave
    Shipton (Head of Finance) / 03000 419418"). Cabinet members and leaders are councillors.
    """
    dates = (meeting_date,) if meeting_date else ()
    places = place_words(text)
    lines = text.splitlines()
    people: list[Person] = []
    cover_end = len(text[:3000].splitlines())  # a bare "Name, Post" line counts on the cover only
    for index, line in enumerate(lines):
        field = _FIELD_LINE.match(line.strip())
        if field:  # the value on the line, or alone on the next ("Officer Name:" / "Paul Cook")
            value = field.group("value").strip() or next((l for l in lines[index + 1 : index + 4] if l.strip()), "")
            split = _name_and_post(value, places)
            people.extend([_person(*split, dates)] if split else [])
        elif re.match(r"^\W*From\s*:", line):
            people.extend(_cover_people(lines, index, places, dates))
        elif _CONTACT_LINE.match(line) and len(line) < 100:
            people.extend(_contact_people(lines, index, places, dates))
        elif index < cover_end and len(line) < 160 and re.match(rf"^[^,\t]+,\s*{POST_START}", line.strip()):
            first, *others = [column.strip() for column in line.strip().split("\t") if column.strip()]
            split = _name_and_post(first, places)
            if split and split[1] and others and not re.search(r"[@<]", others[0]):
                split = (split[0], f"{split[1]}, {others[0]}")  # contacts table: "Name, Chief Officer <tab> Body"
            people.extend([_person(*split, dates)] if split else [])
    return _distinct(people)


def _distinct(people: list[Person]) -> list[Person]:
    """One record per name: a report's cover and its contacts often name the same officer."""
    kept: dict[str, Person] = {}
    for person in people:
        earlier = kept.get(name_key(person.name))
        if earlier is None or (not earlier.role and person.role):
            kept[name_key(person.name)] = person
    return list(kept.values())
