"""Score the structure parser against hand labels: ``python -m evaluation.structure``.

Labels (``evaluation/structure/labels.jsonl``, one paper a line) give each paper's council,
body, meeting date, kind, title and reference; its items (number and title); and sentences
with the paragraph and page that hold them. The script parses each paper as the indexer
does and prints the accuracy of every field, of items, and of paragraph citations.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import typer

from indexer.citation import cite
from indexer.loaders import load_file
from indexer.records import ParsedDocument
from indexer.settings import REPO_ROOT
from indexer.structure import parse_document
from indexer.structure.titles import containment

LABELS = Path(__file__).resolve().parent / "structure" / "labels.jsonl"
ROOTS = (REPO_ROOT / "corpus", REPO_ROOT / "tests" / "data" / "realworld" / "kent")
FIELDS = ("council", "body", "meeting_date", "kind", "title", "reference")
app = typer.Typer(add_completion=False, help=__doc__)


def text_key(value: str | None) -> str | None:
    """Case, "&"/"and", apostrophes and punctuation do not count."""
    if value is None:
        return None
    value = re.sub(r"['’]", "", value.casefold().replace("&", " and "))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


def number_key(value: str | None) -> str | None:
    """ "(26)", "26)" and "26." are the same printed number."""
    return value.strip(" ().").casefold() if value else None


def predicted_fields(doc: ParsedDocument) -> dict[str, str | None]:
    meeting = doc.meeting
    return {"council": meeting.council, "body": meeting.body, "meeting_date": meeting.meeting_date,
            "kind": meeting.kind.replace("_", " "), "title": meeting.title, "reference": meeting.reference}


def item_found(doc: ParsedDocument, item: dict) -> bool:
    """An agenda entry, a part or a section with the item's number and (nearly) its title."""
    number, title = number_key(item["number"]), item["title"]

    def fits(printed_number: str | None, printed_title: str) -> bool:
        return (number is None or number_key(printed_number) == number) and containment(title, printed_title) >= 0.8

    if item.get("part") == "agenda":
        return any(fits(entry.number, entry.title) for entry in doc.agenda)
    return (any(fits(part.item_number, part.title) for part in doc.parts)
            or any(fits(section.number, section.heading_path[-1]) for section in doc.sections if section.heading_path))


def collapsed_find(text: str, sentence: str) -> int | None:
    """Where ``sentence`` starts in ``text`` when runs of whitespace count as one space."""
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    found = re.search(pattern, text)
    return found.start() if found else None


@dataclass
class Score:
    fields: dict[str, list[bool]] = field(default_factory=lambda: {name: [] for name in FIELDS})
    items: list[bool] = field(default_factory=list)
    paragraphs: list[bool] = field(default_factory=list)
    pages: list[bool] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def score_paper(label: dict, doc: ParsedDocument, score: Score) -> None:
    name = label["source_file"]
    predicted = predicted_fields(doc)
    for name_of_field in FIELDS:
        right = text_key(predicted[name_of_field]) == text_key(label.get(name_of_field))
        score.fields[name_of_field].append(right)
        if not right:
            score.misses.append(f"{name}: {name_of_field} {predicted[name_of_field]!r} (want {label.get(name_of_field)!r})")
    for item in label.get("items", []):
        found = item_found(doc, item)
        score.items.append(found)
        if not found:
            score.misses.append(f"{name}: item {item.get('part', '')} {item['number']} {item['title']!r} not found")
    for wanted in label.get("paragraphs", []):
        offset = collapsed_find(doc.source.text, wanted["sentence"])
        citation = cite(doc, offset) if offset is not None else None
        paragraph = citation.paragraph if citation else None
        right = citation is not None and number_key(paragraph) == number_key(wanted["paragraph"])
        score.paragraphs.append(right)
        if wanted.get("page") is not None:
            score.pages.append(citation is not None and citation.page == wanted["page"])
        if not right:
            score.misses.append(f"{name}: para {paragraph!r} (want {wanted['paragraph']!r}) for {wanted['sentence'][:60]!r}")


def share(values: list[bool]) -> str:
    return f"{sum(values)}/{len(values)} = {sum(values) / len(values):.3f}" if values else "n/a"


def source_path(name: str) -> Path:
    return next(root / name for root in ROOTS if (root / name).is_file())


@app.command()
def main(labels: Path = typer.Option(LABELS), show_misses: bool = typer.Option(True),
         json_out: Path | None = typer.Option(None, "--json")) -> None:
    """Parse every labelled paper and print each field's accuracy, item recall and citation accuracy."""
    score = Score()
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            label = json.loads(line)
            score_paper(label, parse_document(load_file(source_path(label["source_file"]))), score)
    report = {name: share(values) for name, values in score.fields.items()}
    all_fields = [v for values in score.fields.values() for v in values]
    report.update({"metadata (all fields)": share(all_fields), "items": share(score.items),
                   "paragraph citations": share(score.paragraphs), "pages (PDF citations)": share(score.pages)})
    for name, value in report.items():
        print(f"{name:24} {value}")
    if show_misses:
        print("\n".join(["", "misses:", *score.misses]))
    if json_out:
        json_out.write_text(json.dumps({"scores": report, "misses": score.misses}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    app()
