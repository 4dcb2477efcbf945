"""People and their posts as papers list them: membership and attendance lists, the shared name tests."""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.records import Person
from models.names import NAME_TITLE, normalise_name

_COUNCILLOR_TITLE = re.compile(r"^(?:Cllr|Councillor)\.?\s", re.IGNORECASE)
# Members in lists: "Mr S Dark", "Sir Paul Carter", "Dr L Sullivan" ("Dr Wendy Thomson" is as often an officer).
_HONORIFIC = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady)\.?\s|(?:Dr|Prof|Professor)\.?\s+[A-Z]\.?\s)")
_ANY_TITLE = re.compile(rf"^(?:{NAME_TITLE}|Sir|Dame|Lord|Lady|Canon|Revd|Rev)\s", re.IGNORECASE)
# Titles that models.names does not strip: "Canon Peter Bruinvels", "Sir Paul Carter".
_MORE_TITLES = re.compile(r"^(?:(?:Sir|Dame|Lord|Lady|Canon|Revd|Rev|Reverend|Rt Hon)\.?\s+)+")
# Letters after a name ("OBE", "MBE", "CC"): all capitals, set off by a comma or a space at the end.
_POST_NOMINALS = re.compile(r"(?:,?\s+(?:[A-Z]{2,4}|K\.?C|Q\.?C))+\s*$")
# A possessive ("King's Lynn", "Children's") is never part of a name.
_NAME_WORD = re.compile(
    r"(?:[A-Z]\.?|(?!.*['’]s$)(?:Mc|Mac|Fitz|Le|De|O['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)*|of)"
)


def clean_name(name: str) -> str:
    """A name without titles, a role, or letters after it: "Canon Peter Bruinvels CC" -> "Peter Bruinvels"."""
    name = normalise_name(_POST_NOMINALS.sub("", " ".join(name.split())))
    return normalise_name(_MORE_TITLES.sub("", name))


def looks_like_name(name: str) -> bool:
    """Two to five name words ("S Dark", "Michael Chenery of Horsbrugh", "Mike Smith-Clare")."""
    words = clean_name(name).split()
    if not 2 <= len(words) <= 5 or words[0] == "of" or words[-1] == "of":
        return False
    return all(_NAME_WORD.fullmatch(word) for word in words) and not all(len(w.rstrip(".")) == 1 for w in words)


def is_councillor_title(name: str) -> bool:
    """Whether the name is written with Cllr or Councillor."""
    return bool(_COUNCILLOR_TITLE.match(name.strip()))


# Generic words of posts, bodies and places: a column with one of them names no one.
_NOT_NAME_WORDS = frozenset(
    "Council County City District Borough Parish Town Group Committee Board Panel Cabinet Director Services "
    "Service Health Care Social NHS Trust Team Sector Representative Commissioner Constabulary Police "
    "Healthwatch England Public Adult Voluntary Clinical Commissioning Executive Assistant Head Manager Officer "
    "Consultant Chair Chairman Member Members Partner Programme Senior Finance Business Independent Interim "
    "Deputy Chief Corporate General Strategic Lead Leader Counsel Analyst Adviser Advisor Champion "
    "Solicitor Accountant Coordinator Specialist Secretary Treasurer Auditor Inspector Governor Trustee "
    "President Report Author Contact Relevant Responsible Democratic Strategy Policy Resources North South East "
    "West Great Sixth Form College Academy School University Hospital Centre".split()
)
# "Kent County Council", "Swale Borough Council", "Norfolk Constabulary": the words before a body's
# generic ending name a place in this paper, so a column of them names no one.
_BODY_NAME = re.compile(
    r"\b((?:[A-Z][a-z'’]+ +){1,3})(?:(?:County|City|Borough|District|Town|Parish) +)?"
    r"(?:Council|Constabulary|CCG|Clinical Commissioning Group)\b"
)


def place_words(text: str) -> frozenset[str]:
    """Capitalised words that ``text`` itself uses as the name of a council or another local body."""
    return frozenset(word for found in _BODY_NAME.finditer(text) for word in found.group(1).split()) - {"The"}


def is_name_entry(text: str, places: Iterable[str] = ()) -> bool:
    """A name and nothing else: no post or body words, and no place the paper names a body after,
    unless a title ("Mr", "Cllr") says it is a person."""
    words = set(clean_name(text).split())
    titled = bool(_ANY_TITLE.match(text.strip()))
    return looks_like_name(text) and not words & _NOT_NAME_WORDS and (titled or not words & set(places))


_HEADERS = {
    "membership": "member", "present": "member", "members present": "member",
    "substitute members present": "substitute", "substitute members": "substitute",
    "substitute member present": "substitute", "substitute member": "substitute",
    "also present": "attendee", "also in attendance": "attendee", "in attendance": "attendee",
    "officers present": "attendee", "officers": "attendee", "officers in attendance": "attendee",
    "church representatives": "co-opted", "co-opted members": "co-opted",
}  # fmt: skip
# A header alone on its line ("**Present:**", "## Membership"), or followed by a colon and the list.
_HEADER_LINE = re.compile(
    r"^[#*\s]*(?P<header>" + "|".join(sorted(_HEADERS, key=len, reverse=True)).replace(" ", r"\s+") + r")"
    r"(?:[*:\s]*$|\**:\**\s*(?P<rest>.+)$)",
    re.IGNORECASE,
)
_BLOCK_END = re.compile(
    r"^\s*#|^[-*\s]*(?:\d+(?:\.\d+)*\.?\s+\S|For further details|Persons attending|Under the Council|"
    r"A g e n d a|Agenda\b|Representing\b|Substitute$|Apologies|The meeting|Date:)"
)
_TITLE_SPLIT = re.compile(rf"(?=\b{NAME_TITLE}\s)")
_MAX_BLOCK_LINES = 60
# "Councillors A Smith (Chair), B Jones": one title for the whole list.
_LIST_TITLE = re.compile(r"^(?:Councillors|Cllrs)\.?\s+")
# Item attendance in minutes: "John Betts (Interim Corporate Director) and Dave Shipton, Head of
# Finance were in attendance for this item".
_ITEM_ATTENDANCE = re.compile(r"\s(?:was|were)\s+(?:in\s+attendance|present)\s+(?:for|during)\s+(?:this|the)\s+item")
_COUNCILLOR_POST = re.compile(r"\b(?:Councillor|Cabinet Member|Leader of the Council|Deputy Leader)\b|^Leader\b")


def split_entry(column: str, places: frozenset[str] = frozenset()) -> tuple[str, str | None]:
    """ "Name (Role)", "Name, Role", "Name - Role" or just "Name": split at the first separator
    that has a name before it. A bracketed role runs to the end and may hold brackets itself."""
    column = " ".join(column.split())
    opened = column.find("(")
    if opened > 0 and column.endswith(")") and is_name_entry(column[:opened], places):
        role = column[opened + 1 :]
        role = role[:-1] if role.count(")") > role.count("(") else role
        return column[:opened], role.strip() or None
    for separator in re.finditer(r",\s|\s[-–—]\s", column):
        if is_name_entry(column[: separator.start()], places):
            return column[: separator.start()], column[separator.end() :].strip(" ,.") or None
    return column, None


def _people_in(text: str, kind: str, dates: tuple[str, ...], places: frozenset[str]) -> list[Person]:
    """The people named in one column: "Cllr A B (Chair) Cllr C D", "A B (Post), C D (Post)"."""
    people: list[Person] = []
    pieces = [piece.strip() for part in re.split(r"(?<=\)),\s+", text) for piece in _TITLE_SPLIT.split(part)]
    stood_in = False
    for piece in filter(None, pieces):
        if stood_in:  # "Cllr X for Cllr Y": Y sent apologies and was not there
            stood_in = False
            continue
        stood_in = piece.endswith(" for")
        name, role = split_entry(piece.removesuffix(" for"), places)
        if not is_name_entry(name, places):
            continue
        councillor = (
            is_councillor_title(name)
            or (kind in ("member", "substitute") and bool(_HONORIFIC.match(name)))
            or bool(role and _COUNCILLOR_POST.search(role))
        )
        role = role or ("Church Representative" if kind == "co-opted" else None)
        people.append(Person(clean_name(name), role, councillor and kind != "co-opted", dates))
    return people


def with_role(person: Person, text: str, joiner: str) -> Person:
    """The person with ``text`` added to their role (a post wrapped over lines or columns)."""
    role = " ".join((f"{person.role}{joiner}{text}" if person.role else text).split())
    councillor = person.is_councillor or bool(_COUNCILLOR_POST.search(role))
    return Person(person.name, role, councillor, person.meeting_dates)


def _column_people(lines: list[str], kind: str, dates: tuple[str, ...], places: frozenset[str]) -> list[Person]:
    """One or more people a line, names and posts in tab-separated columns."""
    found: list[Person] = []
    for line in filter(str.strip, lines):
        first, *rest = [column.strip() for column in line.split("\t")]
        rest = [column for column in rest if column]
        if len(first) <= 2:  # empty or OCR debris: the row carries on the post above
            if found and rest:
                found[-1] = with_role(found[-1], " ".join(rest), " ")
            continue
        people = _people_in(first, kind, dates, places)
        if not people:
            if found and not rest:
                break  # prose after the list
            continue  # a row whose name cannot be read ("James WISON"): skip it, keep going
        for column in rest:
            more = _people_in(column, kind, dates, places)
            if more:
                people.extend(more)
            else:
                people[-1] = with_role(people[-1], column, ", ")
        found.extend(people)
    return found


def _unfinished(line: str) -> bool:
    """Whether a wrapped list goes on after this line: a trailing comma or "and", or an open bracket."""
    return bool(re.search(r"(?:[,&(-]|\band)\s*$", line)) or line.count("(") > line.count(")")


def _join_wrapped(lines: Iterable[str]) -> str:
    """Lines of one wrapped list or sentence as one string, mending words hyphenated at a line end."""
    text = ""
    for line in lines:
        line = line.strip()
        glue = "" if re.search(r"[a-z]-$", text) and line[:1].isupper() else " "
        text = f"{text}{glue}{line}" if text else line
    return text


def _list_entries(text: str) -> list[tuple[str, str]]:
    """(separator before, entry) for each entry of "A (Post, More), B, C and D": commas and "and"
    split entries except inside brackets; a ")" before a separator closes any bracket left open."""
    entries: list[tuple[str, str]] = []
    depth, start, separator = 0, 0, ""
    for found in re.finditer(r"\(|\)|\s*[,;]\s*(?:and\s+)?|\s+and\s+", text):
        mark = found.group()
        if mark == "(":
            depth += 1
        elif mark == ")":
            closes = re.match(r"\s*(?:[,;]|and\b|$)", text[found.end() :])
            depth = 0 if closes else max(0, depth - 1)
        elif depth == 0:
            entries.append((separator, text[start : found.start()].strip()))
            start, separator = found.end(), mark.strip() or "and"
    entries.append((separator, text[start:].strip()))
    return [(separator, entry.strip(" .")) for separator, entry in entries if entry.strip(" .")]


def _list_people(text: str, kind: str, dates: tuple[str, ...], places: frozenset[str]) -> list[Person]:
    """People in a running list: "Mr R W Gough (Chairman), Mr N Baker, Mrs T Dean, MBE, ... and
    Mr R J Thomas"; "Sue Chandler, Cabinet Member for Integrated Children's Services". An entry
    that is not a name carries on the post of the person before it; letters after a name are dropped."""
    all_councillors = bool(_LIST_TITLE.match(text))
    text = _LIST_TITLE.sub("", text)
    found: list[Person] = []
    for separator, entry in _list_entries(text):
        if re.fullmatch(r"[A-Z]{2,4}", entry):
            continue  # "OBE", "MBE"
        people = _people_in(entry, kind, dates, places)
        if people:
            if all_councillors:
                people = [Person(p.name, p.role, kind != "co-opted", p.meeting_dates) for p in people]
            found.extend(people)
        elif found:
            joiner = f"{separator} " if separator[0] in ",;" else f" {separator} "
            found[-1] = with_role(found[-1], entry, joiner)
    return found


def _wrapped_list(lines: list[str]) -> list[str]:
    """The lines of a running list, up to the blank line after its last unfinished line."""
    kept: list[str] = []
    for line in lines:
        if not line.strip():
            if kept and not _unfinished(kept[-1]):
                break
            continue
        kept.append(line)
    return kept


def _block_people(first: str, lines: list[str], kind: str, date: str | None, places: frozenset[str]) -> list[Person]:
    """A block is a running list when it has no columns and its first line lists several people
    or a line breaks off mid-list; otherwise each line stands alone."""
    dates = (date,) if date else ()
    lines = [first, *lines] if first else lines
    filled = [line for line in lines if line.strip()]
    running = not any("\t" in line for line in filled) and (
        bool(re.search(r",\s|\sand\s", first)) or any(_unfinished(line) for line in filled[:-1])
    )
    if running:
        return _list_people(_join_wrapped(_wrapped_list(lines)), kind, dates, places)
    return _column_people(lines, kind, dates, places)


def _item_attendance(text: str, meeting_date: str | None, places: frozenset[str]) -> list[Person]:
    """Officers named in "X (Post) and Y, Post were in attendance for this item" paragraphs."""
    dates = (meeting_date,) if meeting_date else ()
    people: list[Person] = []
    for paragraph in re.split(r"\n\s*\n", text):
        sentence = _join_wrapped(paragraph.splitlines())
        found = _ITEM_ATTENDANCE.search(sentence)
        if found and found.start() < 600:
            people.extend(_list_people(sentence[: found.start()], "attendee", dates, places))
    return people


def parse_attendance(text: str, meeting_date: str | None) -> list[Person]:
    """People in the membership, "Present", "Also Present", "In attendance", substitutes and officers
    blocks of ``text`` (tab-separated columns, or running lists wrapped over lines) and in item
    attendance notes, one record per mention. Councillors are those written with Cllr/Councillor,
    members written as "Mr S Dark" in a membership or present list, and people whose post is a
    councillor's. Substitutes are kept; the member they stood in for is not (they sent apologies).
    """
    places = place_words(text)
    people: list[Person] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        header = _HEADER_LINE.match(lines[index])
        index += 1
        if header is None:
            continue
        kind = _HEADERS[" ".join(header.group("header").lower().split())]
        block: list[str] = []
        while index < len(lines) and sum(1 for line in block if line.strip()) < _MAX_BLOCK_LINES:
            if _BLOCK_END.match(lines[index]) or _HEADER_LINE.match(lines[index]):
                break
            block.append(lines[index])
            index += 1
        people.extend(_block_people(header.group("rest") or "", block, kind, meeting_date, places))
    return people + _item_attendance(text, meeting_date, places)


# The first words of a post: "Executive Director", "Head", "Cabinet Member", "Business Partner".
POST_START = (
    r"(?:(?:Executive|Assistant|Interim|Deputy|Managing|Programme|Strategic|Chief|Senior|Acting|Corporate)\s+)*"
    r"(?:Director|Head|Manager|Officer|Consultant|Cabinet Member|Business Partner|Lead)\b"
)
