"""Questions about what someone said: "what did Sara Tough say about SEND", "what has the Director of
Public Health reported on vaccination". Who is asked about, what about, and which statements are theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from indexer.records import Person
from models.names import name_key, normalise_name
from qa.answer import SAID_VERBS, speaker_of
from qa.posts import link_post
from qa.records import Hit

_VERB = r"(?:say|said|tell|told|report|reported|state|stated|explain|explained|raise|raised|think|thought|mention|mentioned)"
_ASKED = (
    re.compile(rf"^\s*what\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+{_VERB}\b(?:\s+(?:about|on|regarding|concerning|of)\s+"
               rf"(?P<topic>.+?))?\s*\??\s*$", re.I),
    re.compile(r"^\s*what\s+(?:was|were|has been|have been)\s+(?:said|reported|stated|raised)\s+by\s+(?P<who>.+?)"
               r"(?:\s+(?:about|on|regarding|concerning)\s+(?P<topic>.+?))?\s*\??\s*$", re.I),
)
_POST_WORDS = re.compile(r"\b(?:Director|Head of|Chair(?:man)?|Cabinet Member|Leader|Officer|Manager|Commissioner|"
                         r"Consultant|Chief Executive)\b", re.I)
_COMMITTEE = re.compile(r"^(?:the\s+)?(?:committee|members?|council|cabinet|board|panel|councillors|officers|they|it)$", re.I)


@dataclass(frozen=True)
class SpeakerQuestion:
    """Who a "what did X say" question asks about, and about what (None: anything)."""

    who: str
    topic: str | None
    person: Person | None  # the person the papers list, when ``who`` names or posts one
    post: str | None  # the post to look for in minutes ("Executive Director of Children's Services")

    @property
    def filter_name(self) -> str:
        """What the person filter should look for."""
        return self.person.name if self.person else (self.post or self.who)

    @property
    def search_text(self) -> str:
        """What to search for: the topic, or with none the question asked of the post, since minutes
        name officers by post ("The Executive Director of Children's Services reported...") and a bare
        post reads like the report covers that print it."""
        if self.topic:
            return self.topic
        return f"what did the {self.post} say" if self.post else f"what did {self.who} say"


def parse_speaker_question(question: str, people: Iterable[Person]) -> SpeakerQuestion | None:
    """The speaker and topic of a "what did X say about Y" question, or None when it asks about no one."""
    match = next((m for m in (p.match(question) for p in _ASKED) if m), None)
    if not match:
        return None
    who = " ".join(match.group("who").split()).strip(" ,")
    if _COMMITTEE.match(who):
        return None  # "what did the committee say": no one person
    topic = (match.group("topic") or "").strip(" ?") or None
    people = list(people)
    person = find_person(who, people)
    post = None
    if person is None and _POST_WORDS.search(who):
        post = re.sub(r"^the\s+", "", who, flags=re.I)
        person = link_post(post, people)
    elif person is not None and person.role:
        post = person.role.split(",")[0].strip()
    if person is None and post is None:
        return None
    return SpeakerQuestion(who, topic, person, post)


def find_person(who: str, people: list[Person]) -> Person | None:
    """The listed person ``who`` names in full or by surname, if exactly one fits."""
    key = name_key(who)
    if not key:
        return None
    exact = {name_key(p.name): p for p in people if name_key(p.name) == key}
    if exact:
        return next(iter(exact.values()))
    words = key.split()
    fits = {name_key(p.name): p for p in people
            if words and name_key(p.name).split()[-1:] == words[-1:] and set(words) <= set(name_key(p.name).split())}
    return next(iter(fits.values())) if len(fits) == 1 else None


# A minuted lead-in that hands the following list to its speaker: "The Director of ... introduced the report:".
_LEAD_IN = re.compile(rf"(?P<lead>[^\n:]{{8,200}}?\b(?:{SAID_VERBS}|updated|told)\b[^\n:]{{0,80}}):\s*$", re.M)
_LIST_START = re.compile(r"^\s*(?:[-•●▪*]|\(?[a-z0-9]{1,3}[.)])\s")


class Attribution:
    """Which statements are the asked-about person's: minuted in their name or post, or listed under a
    lead-in of theirs ("The Director of Learning and Inclusion introduced the report:" and its bullets,
    also where the list runs on into the next passage)."""

    def __init__(self, asked: SpeakerQuestion, people: list[Person], lead_before: Callable[[int], str | None]) -> None:
        self.asked = asked
        self.people = people
        self.lead_before = lead_before  # the text of the passage before a passage id, if in the same part
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def says(self, statement: str, hit: Hit) -> bool:
        """Whether this statement of this hit is the asked-about person's own."""
        date = hit.location.meeting_date
        if self.speaks(statement, date):
            return True
        text = hit.display.text
        at = text.find(statement[:40])
        return at >= 0 and any(a <= at < b for a, b in self.spans(hit.location.passage_id, text, date))

    def speaks(self, text: str, meeting_date: str | None) -> bool:
        """Whether a sentence (or lead-in) attributes itself to the person asked about."""
        asked = self.asked
        if asked.person:
            surname = normalise_name(asked.person.name).split()[-1]
            if re.search(rf"\b{re.escape(surname)}\b\s*(?:\([^)]*\)\s*)?,?\s+(?:{SAID_VERBS})\b", text):
                return True
        speaker_text = speaker_of(text)
        if not speaker_text:
            return False
        if asked.person:
            linked = link_post(speaker_text, self.people, meeting_date)
            return linked is not None and name_key(linked.name) == name_key(asked.person.name)
        return bool(asked.post) and link_post(speaker_text, [Person("asked", asked.post, False)]) is not None

    def spans(self, passage_id: int, text: str, meeting_date: str | None) -> list[tuple[int, int]]:
        """The stretches of the passage's text the person speaks: each list under a lead-in of theirs."""
        if passage_id not in self._spans:
            found = [(match.end(), _list_end(text, match.end())) for match in _LEAD_IN.finditer(text)
                     if self.speaks(match.group("lead"), meeting_date)]
            if _LIST_START.match(text):
                before = (self.lead_before(passage_id) or "").rstrip()
                leads = list(_LEAD_IN.finditer(before))
                if leads and _list_end(before, leads[-1].end()) >= len(before) - 1 \
                        and self.speaks(leads[-1].group("lead"), meeting_date):
                    found.append((0, _list_end(text, 0)))
            self._spans[passage_id] = found
        return self._spans[passage_id]


def _list_end(text: str, start: int) -> int:
    """Where the run of list lines from ``start`` ends (blank lines and wrapped lines carry on)."""
    position = start
    for line in text[start:].splitlines(keepends=True):
        if line.strip() and not _LIST_START.match(line) and position > start and not line.startswith((" ", "\t")):
            break
        position += len(line)
    return position
