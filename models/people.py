"""People and their posts, read from membership and attendance lists and report headers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from indexer.records import Person

# Titles that come before a name; police ranks appear in Health and Wellbeing Board lists.
_TITLE = r"(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr|Prof|Professor|T/ACC|C/Sup)\.?"
_LEADING_TITLES = re.compile(rf"^(?:{_TITLE}\s+)+", re.IGNORECASE)
_COUNCILLOR_TITLE = re.compile(r"^(?:Cllr|Councillor)\.?\s", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss)\.?\s", re.IGNORECASE)
# "(Chair)", "(Vice-Chair)", "(Chairman)" and the like after a name.
_ROLE_IN_BRACKETS = re.compile(r"\s*\(([^()]*)\)\s*$")
_NAME_WORD = re.compile(r"(?:[A-Z]\.?|(?:Mc|Mac|Fitz|Le|De|O['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)*|of)")
_ROLE_WORDS = re.compile(r"\b(?:Chair(?:man)?|Vice[- ]Chair(?:man)?)\b", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """Strips titles and a bracketed or dashed role, and collapses spaces.

    "Cllr Fabian Eagle (Vice-Chair)" -> "Fabian Eagle"; "Mr S Dark - Vice-Chairman" -> "S Dark".
    """
    name = " ".join(name.split())
    name = _ROLE_IN_BRACKETS.sub("", name)
    name = re.split(r"\s[-–—]\s", name, maxsplit=1)[0]
    name = _LEADING_TITLES.sub("", name)
    return name.strip(" ,.;:")


def name_key(name: str) -> str:
    """What two mentions of one person share: the normalised name, case-folded."""
    return normalise_name(name).casefold()


def looks_like_name(name: str) -> bool:
    """Two to five name words ("S Dark", "Michael Chenery of Horsbrugh", "Mike Smith-Clare")."""
    words = normalise_name(name).split()
    if not 2 <= len(words) <= 5 or words[0] == "of" or words[-1] == "of":
        return False
    return all(_NAME_WORD.fullmatch(word) for word in words) and not all(len(w.rstrip(".")) == 1 for w in words)


def is_councillor_title(name: str) -> bool:
    """Whether the name is written with Cllr or Councillor."""
    return bool(_COUNCILLOR_TITLE.match(name.strip()))


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
_TITLE_SPLIT = re.compile(rf"(?=\b{_TITLE}\s)")
_MAX_BLOCK_LINES = 60


def _is_name_column(text: str) -> bool:
    words = set(normalise_name(text).split())
    return looks_like_name(text) and not words & _NOT_NAME_WORDS


def _split_entry(column: str) -> tuple[str, str | None]:
    """ "Name (Role)", "Name, Role", "Name - Role" or just "Name": split at the first separator
    that has a name before it."""
    column = " ".join(column.split())
    bracketed = _ROLE_IN_BRACKETS.search(column)
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


_POST_START = (
    r"(?:(?:Executive|Assistant|Interim|Deputy|Managing|Programme|Strategic|Chief|Senior|Acting)\s+)*"
    r"(?:Director|Head|Manager|Officer|Consultant|Cabinet Member|Business Partner|Lead)\b"
)
_REPORT_HEADER = re.compile(
    r"^\W*(?P<field>Responsible (?:Director|Chief Officer|Cabinet Member)|Officer [Nn]ame)\s*:\s*(?P<value>.+)$"
)
_NAME_THEN_POST = re.compile(rf"^(?P<name>.+?)[\s,(–—-]+(?P<post>{_POST_START}.*?)\)?$")


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
        elif len(line) < 160 and re.match(rf"^[^,\t]+,\s*{_POST_START}", line.strip()):
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


_IGNORED_POST_WORDS = frozenset({"the", "of", "for", "and", "&", "a", "an", "to", "in"})
# A post as minutes name it: "the Director of Learning and Inclusion", "the Public Health Consultant", "the Chair".
_POST_MENTION = re.compile(
    rf"(?:[A-Z][\w'’]*\s+)*(?:{_POST_START}|(?:Vice[- ])?Chair(?:man)?\b)"
    r"(?:\s*(?:of|for|,|-|\()?\s*(?:[A-Z][\w'’]*|&|and|of)\)?)*"
)


def _post_words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", re.sub(r"['’]s\b", "", text.casefold()))
    return {"chair" if word == "chairman" else word for word in words if word not in _IGNORED_POST_WORDS}


def _post_score(post: set[str], role: str) -> float:
    """Dice overlap between the post and the role, or its part before the first comma."""
    best = 0.0
    for candidate in (role, role.split(",")[0]):
        words = _post_words(candidate)
        if words and post:
            best = max(best, 2 * len(post & words) / (len(post) + len(words)))
    return best


def link_post(
    post_text: str, people: Iterable[Person], meeting_date: str | None = None, threshold: float = 0.6
) -> Person | None:
    """The person who held the post named in ``post_text`` ("the Director of Learning and
    Inclusion introduced the report"), or None when nobody fits or two people fit equally.

    People listed at ``meeting_date`` are tried first; everyone else only if none of them fits.
    """
    named = _POST_MENTION.search(post_text)
    post = _post_words(named.group(0) if named else post_text)
    candidates = [person for person in people if person.role]
    at_meeting = [person for person in candidates if meeting_date and meeting_date in person.meeting_dates]
    for pool in (at_meeting, candidates):
        scored = sorted(((_post_score(post, person.role or ""), person) for person in pool), key=lambda s: -s[0])
        if not scored or scored[0][0] < threshold:
            continue
        best_score, best = scored[0]
        if any(score == best_score and name_key(other.name) != name_key(best.name) for score, other in scored[1:]):
            return None  # two people fit equally well
        return best
    return None
