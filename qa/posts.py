"""Who held a post: "the Director of Learning and Inclusion said..." linked to the person listed with it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.records import Person
from indexer.structure.attendance import POST_START
from models.names import name_key

_IGNORED_POST_WORDS = frozenset({"the", "of", "for", "and", "&", "a", "an", "to", "in"})
# A post as minutes name it: "the Director of Learning and Inclusion", "the Public Health Consultant", "the Chair".
_POST_MENTION = re.compile(
    rf"(?:[A-Z][\w'’]*\s+)*(?:{POST_START}|(?:Vice[- ])?Chair(?:man)?\b)"
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
