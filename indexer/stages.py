"""The per-paper work of a build (read, parse, cut passages, list people), the same in any process."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from indexer.context import embedding_input
from indexer.loaders import FoundFile, load_found
from indexer.records import LoadFailure, ParsedDocument, Person, SourceText
from indexer.store.writer import passage_contexts
from indexer.structure import parse_document
from indexer.structure.naive import parse_naive
from indexer.structure.passages import PassageBudget
from indexer.structure.text import blank_markup

log = logging.getLogger(__name__)
Item = TypeVar("Item")


@dataclass(frozen=True)
class BuildSpec:
    """How one build reads and cuts papers; every worker of the build gets the same one.

    Attributes:
        budget: The passage size limits.
        chunking: "structure" or "naive".
        context_headers: Embed passages with their context header.
        max_bytes: Files larger than this are reported, not indexed.
    """

    budget: PassageBudget
    chunking: str = "structure"
    context_headers: bool = True
    max_bytes: int = 25 * 2**20


@dataclass(frozen=True)
class ReadOutcome:
    """What reading one found file gave: a failure, an unchanged paper, or a parsed one.

    Attributes:
        source_file: The file's name, as citations show it.
        sha256: The digest of its bytes (None for a failure).
        document: The parsed paper when it is new or changed; None when unchanged (it cost a hash).
        people: The people its attendance lists, covers and contacts name (parsed papers only).
        failure: Why it could not be loaded or parsed, or None.
    """

    source_file: str
    sha256: str | None = None
    document: ParsedDocument | None = None
    people: tuple[Person, ...] = ()
    failure: LoadFailure | None = None


def parse_source(source: SourceText, spec: BuildSpec, count_tokens: Callable[[str], int]) -> ParsedDocument:
    """A loaded paper parsed and cut into passages as the spec says."""
    return parse_naive(source) if spec.chunking == "naive" else parse_document(source, count_tokens, spec.budget)


def read_file(found: FoundFile, known: Mapping[str, str], spec: BuildSpec, count_tokens: Callable[[str], int],
              people: Callable[[ParsedDocument], list[Person]]) -> ReadOutcome:
    """Load one file; parse it and list its people only when ``known`` (name -> sha256) lacks this version.

    A file that cannot be loaded or parsed comes back as a failure with its reason, so the rest of
    the build goes on.
    """
    loaded = load_found(found, spec.max_bytes)
    if isinstance(loaded, LoadFailure):
        return ReadOutcome(loaded.source_file, failure=loaded)
    if known.get(loaded.source_file) == loaded.sha256:
        return ReadOutcome(loaded.source_file, loaded.sha256)
    try:
        document = parse_source(loaded, spec, count_tokens)
        listed = tuple(people(document))
    except Exception as exc:  # a parser bug on one paper must not stop the rest, as with the loaders
        log.exception("unexpected error parsing %s", loaded.source_file)
        reason = f"could not be parsed: unexpected error: {type(exc).__name__}: {exc}"
        return ReadOutcome(loaded.source_file, failure=LoadFailure(loaded.source_file, reason))
    return ReadOutcome(loaded.source_file, loaded.sha256, document, listed)


def passage_inputs(doc: ParsedDocument, context_headers: bool) -> tuple[list[str], list[str], list[str]]:
    """Each passage's context header, what the embedder reads, and what entity extraction reads."""
    contexts = passage_contexts(doc)
    inputs = [embedding_input(c, p, context_headers) for c, p in zip(contexts, doc.passages)]
    return contexts, inputs, [blank_markup(p.text) for p in doc.passages]


def split_by_document(flat: Sequence[Item], docs: Sequence[ParsedDocument]) -> list[Sequence[Item]]:
    """Cut a list over every passage of ``docs``, in order, back into one slice per document."""
    out, offset = [], 0
    for doc in docs:
        out.append(flat[offset:offset + len(doc.passages)])
        offset += len(doc.passages)
    return out
