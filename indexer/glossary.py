"""Acronym definitions mined from the papers: "Long Form (ACR)" and "ACR (Long Form)" whose initials check out."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cache

from models.glossary import term_key
from models.lexicon import CONNECTORS
from models.records import GlossaryEntry

MAX_LONG_FORM_WORDS = 12

_ACRONYM = r"[A-Z][A-Za-z&]{1,9}"
# "Dedicated Schools Grant (DSG)": the acronym in brackets after its long form.
_BRACKETED_ACRONYM = re.compile(rf"[(\[]\s*({_ACRONYM})\s*[)\]]")
# "EHCP (Education Health and Care Plan)": the long form in brackets after the acronym.
_BRACKETED_LONG_FORM = re.compile(rf"\b({_ACRONYM})\s*\(([^()\n]{{4,150}})\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|&")
_ROMAN = re.compile(r"[IVXLC]+")


def _letters(acronym: str) -> str:
    """The letters an acronym spells; a plural "s" after capitals ("EHCPs") is dropped."""
    if len(acronym) > 2 and acronym.endswith("s") and acronym[-2].isupper():
        acronym = acronym[:-1]
    return acronym


def is_plausible_acronym(acronym: str) -> bool:
    """At least two capitals, two to ten characters, and not a roman numeral."""
    capitals = sum(char.isupper() for char in acronym)
    return 2 <= len(acronym) <= 10 and capitals >= 2 and not _ROMAN.fullmatch(acronym)


def _long_form_words(long_form: str) -> list[str]:
    # Hyphenated parts count as words: "Asylum-Seeking" gives A and S, "Co-ordinator" C and O.
    return _WORD.findall(long_form.replace("-", " "))


def initials_match(acronym: str, words: list[str]) -> bool:
    """Whether ``acronym`` spells the initials of ``words``.

    Every content word gives exactly one letter, in order. A stop word may give its
    initial ("o" for "of" in WSoA, "&" for "and" in H&WB) or nothing.
    """
    letters = _letters(acronym).lower()

    @cache
    def match(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(letters)
        word = words[j].lower()
        spells = i < len(letters) and (letters[i] == word[0] or (letters[i] == "&" and word in ("and", "&")))
        if word in CONNECTORS:
            return match(i, j + 1) or (spells and match(i + 1, j + 1))
        return spells and match(i + 1, j + 1)

    return bool(words) and words[0].lower() not in CONNECTORS and match(0, 0)


def _clean(long_form: str) -> str:
    long_form = " ".join(long_form.split()).strip(" ,;:-–")
    return re.sub(r"['’]s$", "", long_form)


def _forward(text: str) -> Iterable[tuple[int, GlossaryEntry]]:
    for found in _BRACKETED_ACRONYM.finditer(text):
        acronym = found.group(1)
        if not is_plausible_acronym(acronym):
            continue
        # Stay inside the paragraph; a long form may wrap onto the next line.
        before = text[max(0, found.start() - 200) : found.start()].split("\n\n")[-1].replace("\n", " ")
        spans = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*|&", before))
        # Try the shortest run of preceding words first, so "the Dedicated Schools Grant" gives DSG's three words.
        for size in range(1, min(len(spans), MAX_LONG_FORM_WORDS) + 1):
            long_form = before[spans[-size].start() :]
            if initials_match(acronym, _long_form_words(long_form)):
                yield found.start(), GlossaryEntry(acronym, _clean(long_form), "corpus")
                break


def _reverse(text: str) -> Iterable[tuple[int, GlossaryEntry]]:
    for found in _BRACKETED_LONG_FORM.finditer(text):
        acronym, long_form = found.group(1), _clean(found.group(2))
        words = _long_form_words(long_form)
        if is_plausible_acronym(acronym) and len(words) <= MAX_LONG_FORM_WORDS and initials_match(acronym, words):
            yield found.start(), GlossaryEntry(acronym, long_form, "corpus")


# A glossary row: the acronym first on its line, its long form after a space, a tab, a dash or a colon
# ("CFR Capital Financing Requirement.", "CPI\tConsumer Price Index - the measure of inflation").
_GLOSSARY_ROW = re.compile(rf"^[ \t*|-]*({_ACRONYM})[ \t]*(?:[:–—-][ \t]*|\t+|[ ]+)(?P<rest>[A-Z][^\n]{{3,200}})$", re.M)


def _glossary_rows(text: str) -> Iterable[tuple[int, GlossaryEntry]]:
    """Rows of a glossary table or list: the shortest run of leading words whose initials spell the acronym."""
    for found in _GLOSSARY_ROW.finditer(text):
        acronym = found.group(1)
        if not is_plausible_acronym(acronym):
            continue
        rest = found.group("rest")
        spans = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*|&", rest))
        for size in range(1, min(len(spans), MAX_LONG_FORM_WORDS) + 1):
            long_form = rest[: spans[size - 1].end()]
            if initials_match(acronym, _long_form_words(long_form)):
                yield found.start(), GlossaryEntry(acronym, _clean(long_form), "corpus")
                break


def mine_acronyms(text: str, people: Collection[str] = ()) -> list[GlossaryEntry]:
    """Finds "Long Form (ACR)" and "ACR (Long Form)" definitions, and glossary rows ("CFR Capital
    Financing Requirement"), whose initials check out.

    Args:
        text: Any text; definitions are looked for within paragraphs.
        people: Names of people in the same text (from the entity pipeline). Attendance
            lists give initials in brackets ("Chris Knighton (CK)"); those are not acronyms.

    Returns:
        One entry per distinct (acronym, long form), in order of first appearance.
    """
    names = {term_key(name) for name in people}
    seen: set[tuple[str, str]] = set()
    entries: list[GlossaryEntry] = []
    for _, entry in sorted([*_forward(text), *_reverse(text), *_glossary_rows(text)], key=lambda found: found[0]):
        key = (entry.acronym, term_key(entry.long_form))
        if key not in seen and key[1] not in names:
            seen.add(key)
            entries.append(entry)
    return entries
