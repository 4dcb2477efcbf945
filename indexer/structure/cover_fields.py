"""What a paper's cover prints: labelled fields, committee names, the council and a decision number."""

from __future__ import annotations

import re
from collections import Counter

from indexer.structure.dates import DATE_PATTERN

COVER_LINES = 80
_FIELD = re.compile(
    r"^(?P<name>From|To|Subject|Title|Report title|Report to|Decision (?:No|Number|Ref(?:erence)?)|Date of meeting|"
    r"Date|Venue|Place|Classification|Key decision|Reference|Ref|Electoral Divisions?|Past Pathway(?: of report)?|"
    r"Future Pathway(?: of report)?|Summary|Recommendations?)\.?\s*:\s*(?P<value>.*)$", re.I)
# Fields whose value may wrap onto the next lines of the cover.
_WRAPPING = {"subject", "title", "report title", "to", "venue", "place"}
_BODY_WORDS = re.compile(r"\b(Committee|Board|Cabinet|Council|Panel|Forum|Partnership|Assembly|Executive|Commission)\b",
                         re.I)
_NOT_BODY = re.compile(r"\b(Chamber|House|Hall|Room|Street|Road|Offices?|Member|Members|Leader|Director|Officer|"
                       r"present|attendance|minutes|meeting|agenda|report|held|website|www|Tel|email)\b|[@:]", re.I)
# "Kent County Council", "Bath and North East Somerset Council" is left out on purpose: a bare "X Council"
# is as often a meeting ("County Council") as a council. One to three place words before the suffix.
_PLACE = r"(?!The\b|This\b|Full\b)[A-Z][a-z]+(?:[ -](?:upon|on|and|[A-Z][a-z]+)){0,3}"
_COUNCIL = re.compile(
    rf"\b(?:(?:London|Royal)\s+Borough\s+of\s+{_PLACE}|{_PLACE}\s+(?:County|City|District|Borough|"
    r"Metropolitan\s+Borough|Town)\s+Council)\b")
_COUNCIL_CAPS = re.compile(r"\b([A-Z]{3,}(?:[ -][A-Z]{2,}){0,3}\s+(?:COUNTY|CITY|DISTRICT|BOROUGH|TOWN)\s+COUNCIL)\b")
_SMALL_WORDS = {"and", "of", "for", "the", "on", "in", "upon", "to", "with"}
_DECISION = re.compile(r"\b(\d{2}/\d{3,6}|[A-Z]{1,4}[/-]?\d{2,}[/-]\d{2,}[\w/-]*)\b")


def field_values(texts: list[str]) -> dict[str, str]:
    """Labelled cover fields by lower-case name ("to", "subject", "decision number"...), first one each.

    A wrapping field takes the following lines up to the next field or a line that ends a sentence.
    """
    fields: dict[str, str] = {}
    for index, text in enumerate(texts):
        found = _FIELD.match(text)
        if not found:
            continue
        name = " ".join(found.group("name").lower().split())
        name = "decision" if name.startswith("decision") else name
        value = found.group("value").strip()
        if name in _WRAPPING:
            for following in texts[index + 1:index + 3]:
                if _FIELD.match(following) or value.endswith((".", ":")) or not following[:1].isalnum():
                    break
                if name in ("venue", "place") and not value.endswith(","):
                    break  # an address wraps after a comma
                if name != "to" or not re.search(r"\b(?:Members?|Cabinet|Council|Committee)\b", value):
                    value = f"{value} {following}".strip()
                else:
                    break
        fields.setdefault(name, value)
    return fields


def _capitalise(word: str) -> str:
    return word if not word.isupper() or len(word) <= 1 else word[0] + word[1:].lower()


def body_name(text: str | None) -> str | None:
    """A committee's name as one filter value: "&" is "and", capitals and trailing punctuation go.

    "CORPORATE PARENTING PANEL–" -> "Corporate Parenting Panel";
    "People & Communities Select Committee:" -> "People and Communities Select Committee".
    """
    if not text:
        return None
    text = re.sub(r"\s*&\s*", " and ", " ".join(text.split())).strip(" .,:;–—-*#")
    text = re.sub(r"^(?:the|full)\s+(?=\w)", lambda m: "Full " if m.group(0).lower().startswith("full") else "", text,
                  flags=re.I)
    if text.isupper():
        words = [_capitalise(w) for w in text.split()]
        text = " ".join(w.lower() if i and w.lower() in _SMALL_WORDS else w for i, w in enumerate(words))
    return text or None


_TRAILING_DATE = re.compile(rf"\s*[:,–—-]*\s*(?:\w+day,?\s+)?{DATE_PATTERN.pattern}.*$", re.I)
_ENDS_WITH_BODY = re.compile(r"(?:Committee|Board|Cabinet|Council|Panel|Forum|Partnership|Assembly|Executive|"
                             r"Commission)\W*$", re.I)


def body_line(text: str) -> str | None:
    """The body a short line names ("Children's Services Committee", "CABINET", "People & Communities
    Select Committee: 13 Nov 2020"), or None for a venue, a post, a council or prose."""
    text = _TRAILING_DATE.sub("", text).strip()
    if not (0 < len(text) < 90 and _ENDS_WITH_BODY.search(text)) or _NOT_BODY.search(text) or any(c in text for c in ",()"):
        return None
    if _COUNCIL.fullmatch(text) or _COUNCIL_CAPS.fullmatch(text):
        return None
    return body_name(text)


def _council_names(line: str) -> list[str]:
    found = [m.group(0) for m in _COUNCIL.finditer(line)]
    found += [body_name(m.group(1)) or "" for m in _COUNCIL_CAPS.finditer(line)]
    return [" ".join(name.split()) for name in found if name]


def council_of(cover: list[str], text: str) -> str | None:
    """The council that published the paper: the one named at the top of the cover, else the one
    the text names most (line by line, so names never run across lines or table cells)."""
    for line in cover[:15]:
        names = _council_names(line)
        if names:
            return names[0]
    named = Counter(name for line in re.split(r"[\n\t]", text) for name in _council_names(line))
    return named.most_common(1)[0][0] if named else None


def full_council(body: str | None, council: str | None) -> str | None:
    """ "Full Council" is the council's own meeting: "County Council" for a county council, and so on."""
    if body is None or body.lower() not in ("full council", "council"):
        return body
    kind = re.search(r"\b(County|City|District|Borough|Town)\s+Council$", council or "")
    return f"{kind.group(1)} Council" if kind else "Council"


def reference_of(fields: dict[str, str], head: str) -> str | None:
    """The decision or reference number the cover prints ("Decision Number: 24/00115"); "n/a" is none."""
    for name in ("decision", "reference", "ref"):
        found = _DECISION.search(fields.get(name, ""))
        if found:
            return found.group(1)
    return None
