"""Training pairs a council paper gives for free: a heading or report title and the text under it.

A section heading ("Impact of Covid-19 on EHCP timeliness") is a short description of the text it
heads, written by the paper's author: the same kind of text an officer types into a search box. The
report title does the same for the report's opening. These pairs adapt the embedder to council
language without a labelled query (``models.adaptation``).

Headings that many papers print ("Background", "Financial Implications", "Recommendations") describe
no particular text, so a heading counts only where a single paper prints it (``distinctive``): a
statistic of the collection, not a list of one council's headings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indexer.context import passage_body
from indexer.records import ParsedDocument
from indexer.structure.sentences import join_wraps, split_sentences
from indexer.structure.text import plain_text

# A heading's printed numbering ("2.", "4.4.1", "(b)", "Item 8:") is layout, not description.
_NUMBERING = re.compile(r"^\s*(?:item\s+)?(?:\(?[0-9ivx]+[.)]?|\(?[a-z]\)|[0-9]+(?:\.[0-9]+)*\.?)\s*[:.\-–]?\s+",
                        re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
MIN_HEADING_WORDS = 3
MIN_PASSAGE_WORDS = 25


@dataclass(frozen=True)
class TrainingPair:
    """A description and the text it describes, from one paper."""

    query: str
    passage: str
    source_file: str


def _words_of(heading: str) -> str:
    """The heading's words as printed, without its numbering or markup."""
    return " ".join(_NUMBERING.sub("", re.sub(r"[*_#`|>]+", " ", heading)).split())


def heading_key(heading: str) -> str:
    """A heading without its numbering, markup or case: equal for the same words printed twice."""
    return " ".join(w.lower() for w in _WORD.findall(_words_of(heading)))


def describing_text(heading: str) -> str | None:
    """The heading as a query, or None when it has too few words to describe anything."""
    cleaned = _words_of(heading)
    return cleaned if len(_WORD.findall(cleaned)) >= MIN_HEADING_WORDS else None


def without_heading(body: str, heading: str) -> str:
    """The text without a first line that prints the heading itself (the pair would teach only that)."""
    first, _, rest = body.partition("\n")
    return rest.strip() if rest.strip() and heading_key(first) == heading_key(heading) else body


def candidate_pairs(doc: ParsedDocument) -> list[tuple[str, TrainingPair]]:
    """Each (heading key, pair) the paper offers: every section's first passage under its heading, and
    every report's first passage under its title."""
    parts = {p.ordinal: p for p in doc.parts}
    found: list[tuple[str, TrainingPair]] = []
    seen: set[tuple[int, tuple[str, ...]]] = set()
    for passage in doc.passages:
        body = passage_body(passage)
        if passage.boilerplate or len(_WORD.findall(body)) < MIN_PASSAGE_WORDS:
            continue
        heads = []
        if passage.section_path and (passage.part_ordinal, passage.section_path) not in seen:
            seen.add((passage.part_ordinal, passage.section_path))
            heads.append(passage.section_path[-1])
        part = parts.get(passage.part_ordinal)
        if part is not None and part.kind in ("report", "appendix") and (passage.part_ordinal, ()) not in seen:
            seen.add((passage.part_ordinal, ()))
            heads.append(part.title)
        for head in heads:
            query = describing_text(head)
            if query:
                found.append((heading_key(head), TrainingPair(query, without_heading(body, head),
                                                              doc.source.source_file)))
    return found


def sentence_pairs(doc: ParsedDocument, every: int = 2) -> list[TrainingPair]:
    """One sentence of every ``every``-th passage and the passage without it (the inverse cloze task of
    Lee et al., 2019): the sentence is a statement the rest of its passage is about, in the papers' words.

    The sentence is the passage's longest of at most 40 words, so no chance enters; passages of fewer
    than three sentences give none.
    """
    found = []
    for passage in doc.passages[::every]:
        body = plain_text(passage.text)
        if passage.boilerplate or len(_WORD.findall(body)) < MIN_PASSAGE_WORDS:
            continue
        sentences = [s for s in split_sentences(join_wraps(body)) if s.strip()]
        fitting = [s for s in sentences if 8 <= len(_WORD.findall(s)) <= 40]
        if len(sentences) < 3 or not fitting:
            continue
        chosen = max(fitting, key=lambda s: len(_WORD.findall(s)))
        rest = " ".join(s for s in sentences if s is not chosen)
        found.append(TrainingPair(chosen.strip(), rest, doc.source.source_file))
    return found


def distinctive(candidates: Iterable[tuple[str, TrainingPair]]) -> list[TrainingPair]:
    """The pairs whose heading only one paper prints, once."""
    listed = list(candidates)
    counts = Counter(key for key, _ in listed)  # printed once anywhere is printed by one paper
    return [pair for key, pair in listed if counts[key] == 1]


def training_pairs(docs: Sequence[ParsedDocument]) -> list[TrainingPair]:
    """Every distinctive (heading, text) pair over a collection of papers."""
    return distinctive(c for doc in docs for c in candidate_pairs(doc))
