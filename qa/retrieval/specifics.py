"""What a query pins down that a passage must speak of too: the period it names and the names it uses.

A question about "SEN transport spend 2021-22" is not answered by a passage about 2019-20, and
one about "potholes on the A47" is not answered by papers that never print "A47", however close
in meaning the passages are. These checks need no tuned threshold: a passage either speaks of the
period (prints one that overlaps it, or comes from a meeting inside it) or it does not, and a
name either occurs in the index or it does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from indexer.figures.periods import Period, find_periods
from models.lexicon import STOP_WORDS
from qa.retrieval.signals import stem

# Words as the full-text index cuts them (unicode61: letters and digits), with a possessive dropped.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’]s\b)?")
_SENTENCE_END = re.compile(r"[.?!:;\"'‘“(]\s*$")


def query_periods(text: str) -> tuple[Period, ...]:
    """The periods a query names with their dates ("in April 2018", "2021-22", "Q3 2024/25").

    A month or quarter without its year is left out: the query has no date to resolve it against.
    """
    return tuple(p for p in find_periods(text, context=text) if p.start and p.end)


def printed_periods(header: str, text: str, meeting_date: str | None) -> tuple[Period, ...]:
    """The dated periods a passage prints (its repeated header and its text)."""
    whole = f"{header}\n{text}"
    return tuple(p for p in find_periods(whole, reported=meeting_date, context=whole) if p.start and p.end)


def speaks_of(printed: Sequence[Period], meeting_date: str | None, periods: Sequence[Period]) -> bool:
    """Whether a passage that prints ``printed`` (``printed_periods``) at a meeting on ``meeting_date``
    is about every one of ``periods``: it prints a period overlapping each, or its meeting was held
    inside it ("at the December 2024 meeting")."""
    return all(any(p.start <= wanted.end and wanted.start <= p.end for p in printed)  # type: ignore[operator]
               or (meeting_date is not None and wanted.start <= meeting_date <= wanted.end)  # type: ignore[operator]
               for wanted in periods)


def _is_name(token: str, text: str, start: int) -> bool:
    """A proper name or code as typed: a capital not at a sentence's start, or letters mixed with
    digits or capitals anywhere ("A47", "HS2", "PWLB")."""
    word = token.removesuffix("'s").removesuffix("’s")
    if word.lower() in STOP_WORDS or len(word) < 2:
        return False
    if any(c.isdigit() for c in word):
        return any(c.isalpha() for c in word)
    if sum(c.isupper() for c in word) >= 2:
        return True
    at_start = start == 0 or bool(_SENTENCE_END.search(text[:start]))
    return word[0].isupper() and not at_start


def unknown_names(text: str, counts: Callable[[Sequence[str]], dict[str, int]],
                  known: Collection[str] = ()) -> list[str]:
    """Names in the query that no passage of the index holds, as typed.

    Args:
        text: The query.
        counts: Passages per Porter stem, over the whole index (``IndexReader.term_counts``).
        known: Upper-cased acronyms the glossary can expand: their long forms may be printed instead.
    """
    names = {}
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if _is_name(token, text, match.start()):
            word = token.removesuffix("'s").removesuffix("’s")
            if word.upper() not in known:
                names[stem(word.lower())] = word
    if not names:
        return []
    found = counts(list(names))
    return [word for key, word in names.items() if not found.get(key)]
