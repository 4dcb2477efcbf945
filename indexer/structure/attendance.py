"""People and their posts as papers list them: membership and attendance lists, report covers and contacts."""

from __future__ import annotations

import re

from indexer.records import Person
from models.names import NAME_TITLE, ROLE_IN_BRACKETS, normalise_name

_COUNCILLOR_TITLE = re.compile(r"^(?:Cllr|Councillor)\.?\s", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss)\.?\s", re.IGNORECASE)
_NAME_WORD = re.compile(r"(?:[A-Z]\.?|(?:Mc|Mac|Fitz|Le|De|O['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)*|of)")


def looks_like_name(name: str) -> bool:
    """Two to five name words ("S Dark", "Michael Chenery of Horsbrugh", "Mike Smith-Clare")."""
    words = normalise_name(name).split()
    if not 2 <= len(words) <= 5 or words[0] == "of" or words[-1] == "of":
        return False
    return all(_NAME_WORD.fullmatch(word) for word in words) and not all(len(w.rstrip(".")) == 1 for w in words)


def is_councillor_title(name: str) -> bool:
    """Whether the name is written with Cllr or Councillor."""
    return bool(_COUNCILLOR_TITLE.match(name.strip()))


# Words that mark a column as a post or a body rather than a name.
_NOT_NAME_WORDS = frozenset(
    "Norfolk Norwich Council County City District Borough Group Committee Board Director Services Service "
    "Health Care Social NHS Trust Team Sector Representative Commissioner Constabulary Healthwatch England "
    "Public Adult Voluntary Clinical Commissioning Executive Assistant Head Manager Officer Consultant Chair "
    "Chairman Member Partner Programme Senior Finance Business Independent Police Interim Deputy".split()
)
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


def _is_name_column(text: str) -> bool:
    words = set(normalise_name(text).split())
    return looks_like_name(text) and not words & _NOT_NAME_WORDS


def _split_entry(column: str) -> tuple[str, str | None]:
    """ "Name (Role)", "Name, Role", "Name - Role" or just "Name": split at the first separator
    that has a name before it."""
    column = " ".join(column.split())
    bracketed = ROLE_IN_BRACKETS.search(column)
    if bracketed and _is_name_column(column[: bracketed.start()]):
        return column[: bracketed.start()], bracketed.group(1).strip() or None
    for separator in re.finditer(r",\s|\s[-–—]\s", column):
        if _is_name_column(column[: separator.start()]):
            return column[: separator.start()], column[separator.end() :].strip() or None
    return column, None


def _people_in(text: str, kind: str, dates: tuple[str, ...]) -> list[Person]:
    """The people named in one column: "Cllr A B (Chair) Cllr C D", "A B (Post), C D (Post)"."""
    people: list[Person] = []
    pieces = [piece.strip() for part in re.split(r"(?<=\)),\s+", text) for piece in _TITLE_SPLIT.split(part)]
    stood_in = False
    for piece in filter(None, pieces):
        if stood_in:  # "Cllr X for Cllr Y": Y sent apologies and was not there
            stood_in = False
            continue
        stood_in = piece.endswith(" for")
        name, role = _split_entry(piece.removesuffix(" for"))
        if not _is_name_column(name):
            continue
        councillor = (
            is_councillor_title(name)
            or (kind in ("member", "substitute") and bool(_HONORIFIC.match(name)))
            or bool(role and re.search(r"\bCouncillor\b", role))
        )
        role = role or ("Church Representative" if kind == "co-opted" else None)
        people.append(Person(normalise_name(name), role, councillor and kind != "co-opted", dates))
    return people


def _with_role(person: Person, text: str, joiner: str) -> Person:
    role = " ".join((f"{person.role}{joiner}{text}" if person.role else text).split())
    councillor = person.is_councillor or bool(re.search(r"\bCouncillor\b", role))
    return Person(person.name, role, councillor, person.meeting_dates)


def _block_people(lines: list[str], kind: str, meeting_date: str | None) -> list[Person]:
    dates = (meeting_date,) if meeting_date else ()
    found: list[Person] = []
    for line in lines:
        first, *rest = [column.strip() for column in line.split("\t")]
        rest = [column for column in rest if column]
        if len(first) <= 2:  # empty or OCR debris: the row carries on the post above
            if found and rest:
                found[-1] = _with_role(found[-1], " ".join(rest), " ")
            continue
        people = _people_in(first, kind, dates)
        if not people:
            if found and not rest:
                break  # prose after the list
            continue  # a row whose name cannot be read ("James WISON"): skip it, keep going
        for column in rest:
            more = _people_in(column, kind, dates)
            if more:
                people.extend(more)
            else:
                people[-1] = _with_role(people[-1], column, ", ")
        found.extend(people)
    return found


def parse_attendance(text: str, meeting_date: str | None) -> list[Person]:
    """People in the membership, "Present", "Substitute Members Present", "Also Present" and
    officers blocks of ``text``, in order, one record per mention.

    Councillors are those written with Cllr/Councillor, and members written as
    "Mr S Dark" in a membership or present list. Substitutes are kept; the member they
    stood in for is not (they sent apologies).
    """
    people: list[Person] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        header = _HEADER_LINE.match(lines[index])
        index += 1
        if header is None:
            continue
        kind = _HEADERS[" ".join(header.group("header").lower().split())]
        block = [header.group("rest")] if header.group("rest") else []
        while index < len(lines) and len(block) < _MAX_BLOCK_LINES:
            if _BLOCK_END.match(lines[index]) or _HEADER_LINE.match(lines[index]):
                break
            if lines[index].strip():
                block.append(lines[index])
            index += 1
        people.extend(_block_people(block, kind, meeting_date))
    return people


# The first words of a post: "Executive Director", "Head", "Cabinet Member", "Business Partner".
POST_START = (
    r"(?:(?:Executive|Assistant|Interim|Deputy|Managing|Programme|Strategic|Chief|Senior|Acting)\s+)*"
    r"(?:Director|Head|Manager|Officer|Consultant|Cabinet Member|Business Partner|Lead)\b"
)
_REPORT_HEADER = re.compile(
    r"^\W*(?P<field>Responsible (?:Director|Chief Officer|Cabinet Member)|Officer [Nn]ame)\s*:\s*(?P<value>.+)$"
)
_NAME_THEN_POST = re.compile(rf"^(?P<name>.+?)[\s,(–—-]+(?P<post>{POST_START}.*?)\)?$")


def _name_and_post(value: str) -> tuple[str, str | None]:
    value = re.split(r"\t|\*\*|\bTel\.? No\b|\bTel:", value)[0].strip(" ,*")
    found = _NAME_THEN_POST.match(value)
    if found:
        return found.group("name").strip(" ,"), found.group("post").strip(" ,") or None
    return value, None


def parse_report_officers(text: str, meeting_date: str | None = None) -> list[Person]:
    """People named in report headers and contacts: "Responsible Director: Sara Tough,
    Executive Director of Children's Services", "Officer name: Val Crewdson", and a
    presentation's "James Wilson, Director of Quality and Transformation" cover line.
    """
    dates = (meeting_date,) if meeting_date else ()
    people: list[Person] = []
    for line in text.splitlines():
        header = _REPORT_HEADER.match(line.strip())
        if header:
            name, post = _name_and_post(header.group("value"))
        elif len(line) < 160 and re.match(rf"^[^,\t]+,\s*{POST_START}", line.strip()):
            first, *others = [column.strip() for column in line.strip().split("\t") if column.strip()]
            name, post = _name_and_post(first)
            if post and others and not re.search(r"[@<]", others[0]):
                post = f"{post}, {others[0]}"  # contacts table: "Sue Crossman, Chief Officer <tab> West Norfolk CCG"
        else:
            continue
        if _is_name_column(name):
            councillor = is_councillor_title(name) or bool(post and post.startswith("Cabinet Member"))
            people.append(Person(normalise_name(name), post, councillor, dates))
    return people


