"""The gold set: queries written from the corpus, with verbatim evidence, and its checks.

Each line of ``evaluation/gold/*.jsonl`` is one query::

    {"id": "a-001", "query": "...", "kind": "decision", "style": "natural",
     "source_file": "000_2015e9705d707e29.txt", "evidence": ["..."], "split": "dev"}

``kind`` is topic, factoid, figure, entity, decision, or none (the corpus cannot
answer it, so the right result is an empty list). ``style`` is natural, keyword
or acronym. ``split`` is dev (for tuning) or test (report only).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "gold"
REPO = Path(__file__).resolve().parent.parent
# Where gold source files live: the default corpus, and the other council's papers the tests carry.
SOURCE_ROOTS = (REPO / "corpus", REPO / "tests" / "data" / "realworld" / "kent")
KINDS = ("topic", "factoid", "figure", "entity", "decision", "none")
STYLES = ("natural", "keyword", "acronym")
SPLITS = ("dev", "test")
EVIDENCE_CHARS = (25, 90)

# OCR look-alikes the indexer repairs ("ЕНСР" in Cyrillic is EHCP): judge on the repaired letters.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХаеорсух", "ABEKMHOPCTXaeopcyx")
_MARKUP = re.compile(r"[*_#`|>]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class GoldQuery:
    """One gold query; ``evidence`` is empty exactly when the corpus cannot answer it."""

    id: str
    query: str
    kind: str
    style: str
    split: str
    source_file: str | None
    evidence: tuple[str, ...]
    note: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.evidence)


def normalise(text: str) -> str:
    """Text as judged: NFKC, look-alikes repaired, markup dropped, whitespace collapsed, casefolded."""
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    return _SPACE.sub(" ", _MARKUP.sub(" ", text)).strip().casefold()


_CONTENT_WORD = re.compile(r"[a-z]{3,}")


def content_words(text: str) -> set[str]:
    """Lower-case words of three or more letters that are not stop words, a plural "s" dropped."""
    from models.lexicon import STOP_WORDS

    return {w.removesuffix("s") for w in _CONTENT_WORD.findall(normalise(text)) if w not in STOP_WORDS}


def shared_words(query: GoldQuery) -> int:
    """The most content words the query shares with any one of its evidence strings."""
    return max((len(content_words(query.query) & content_words(e)) for e in query.evidence), default=0)


def load_gold(directory: Path = GOLD_DIR) -> list[GoldQuery]:
    """Every query in the directory's JSONL files, in file order."""
    queries = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                queries.append(GoldQuery(id=row["id"], query=row["query"], kind=row["kind"], style=row["style"],
                                         split=row["split"], source_file=row.get("source_file"),
                                         evidence=tuple(row.get("evidence") or ()), note=row.get("note", "")))
            except KeyError as missing:
                raise ValueError(f"{path.name}:{number}: missing field {missing}") from None
    return queries


def source_text(name: str, roots: tuple[Path, ...] = SOURCE_ROOTS) -> str:
    """A gold source file's text as the indexer loads it (PDF text layer page by page); empty if absent."""
    from indexer.loaders import load_file

    path = next((root / name for root in roots if (root / name).is_file()), None)
    if path is None:
        return ""
    return load_file(path).text if path.suffix.lower() == ".pdf" else path.read_text(encoding="utf-8")


def _whitespace(text: str) -> str:
    return _SPACE.sub(" ", text)


def check_gold(queries: list[GoldQuery], roots: tuple[Path, ...] = SOURCE_ROOTS) -> list[str]:
    """Everything wrong with the gold set, one line each; empty when it is sound.

    Evidence must stand verbatim in its file: on one line of a text pack, or with line
    wraps read as spaces in a PDF's text layer.
    """
    problems, seen = [], set()
    texts: dict[str, str] = {}
    for q in queries:
        where = f"{q.id} ({q.query!r})"
        if q.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(q.id)
        for field, value, allowed in (("kind", q.kind, KINDS), ("style", q.style, STYLES), ("split", q.split, SPLITS)):
            if value not in allowed:
                problems.append(f"{where}: {field} {value!r} is not one of {allowed}")
        if (q.kind == "none") != (not q.evidence):
            problems.append(f"{where}: kind 'none' goes with no evidence, and only then")
        if not q.evidence:
            continue
        if q.source_file not in texts:
            texts[q.source_file or ""] = source_text(q.source_file) if q.source_file else ""
        text = texts[q.source_file or ""]
        if not text:
            problems.append(f"{where}: source file {q.source_file!r} is not in {', '.join(map(str, roots))}")
            continue
        is_pdf = (q.source_file or "").lower().endswith(".pdf")
        for evidence in q.evidence:
            if not EVIDENCE_CHARS[0] <= len(evidence) <= EVIDENCE_CHARS[1]:
                problems.append(f"{where}: evidence of {len(evidence)} characters (want {EVIDENCE_CHARS}): {evidence!r}")
            if "\n" in evidence:
                problems.append(f"{where}: evidence spans lines: {evidence!r}")
            elif is_pdf and _whitespace(evidence) not in _whitespace(text):
                problems.append(f"{where}: evidence not found in {q.source_file}'s text layer: {evidence!r}")
            elif not is_pdf and evidence not in text:
                problems.append(f"{where}: evidence not found verbatim in {q.source_file}: {evidence!r}")
    return problems


def evidence_positions(queries: list[GoldQuery], roots: tuple[Path, ...] = SOURCE_ROOTS) -> dict[str, list[float]]:
    """Per source file, where its evidence sits as a fraction of the file's length (0 = start, 1 = end)."""
    positions: dict[str, list[float]] = {}
    texts: dict[str, str] = {}
    for q in queries:
        if not q.source_file or not q.evidence:
            continue
        if q.source_file not in texts:
            texts[q.source_file] = _whitespace(source_text(q.source_file, roots))
        text = texts[q.source_file]
        positions.setdefault(q.source_file, []).extend(
            text.index(_whitespace(e)) / len(text) for e in q.evidence if _whitespace(e) in text)
    return positions


def matched_evidence(query: GoldQuery, source_file: str, text: str) -> list[int]:
    """Indexes of the query's evidence strings that a returned passage contains (right file only)."""
    if source_file != query.source_file:
        return []
    passage = normalise(text)
    return [i for i, e in enumerate(query.evidence) if normalise(e) in passage]
