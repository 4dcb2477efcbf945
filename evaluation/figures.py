"""Score figure extraction against hand labels: ``python -m evaluation.figures``.

Labels (``evaluation/gold/figures_<council>.jsonl``) give every figure inside chosen regions
(``figure_regions_<council>.jsonl``: whole tables and paragraphs, labelled exhaustively) with its
value, unit and period. The script parses each paper as the indexer does, extracts its figures
and scores those inside the regions:

* precision: extracted figures whose value, unit and period match a label printed at the same place;
* recall: labels matched by such a figure;
* value recall: labels whose number was found at all, whatever its unit and period.

Intervals are 95% Wilson intervals over figures. Regions with odd numbers are the dev split
(look at their errors, tune on them), even ones the test split (report only).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import typer

from indexer.figures import extract_figures
from indexer.loaders import load_file
from indexer.records import Figure
from indexer.settings import REPO_ROOT
from indexer.structure import parse_document
from models.tokens import approximate_token_count

GOLD = Path(__file__).resolve().parent / "gold" / "figures"
ROOTS = {"norfolk": REPO_ROOT / "corpus", "kent": REPO_ROOT / "tests" / "data" / "realworld" / "kent"}
app = typer.Typer(add_completion=False, help=__doc__)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if total == 0:
        return 0.0, 0.0
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def same_unit(a: str, b: str) -> bool:
    return a.replace(" ", "").lower() == b.replace(" ", "").lower()


def same_period(label: dict, figure: Figure) -> bool:
    if label.get("period_start") is None and label.get("period_end") is None:
        return figure.period_start is None
    return label.get("period_start") == figure.period_start and label.get("period_end") == figure.period_end


def same_value(label: dict, figure: Figure) -> bool:
    return math.isclose(float(label["value"]), figure.value, rel_tol=1e-9, abs_tol=1e-9)


@dataclass
class Scored:
    council: str
    labels: int
    matched: int  # labels matched on value, unit and period
    found: int  # labels whose value was extracted at the place printed
    extracted: int  # extracted figures inside regions
    correct: int
    errors: list[str]


def span_of(text: str, needle: str, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
    start = text.find(needle, within[0] if within else 0)
    if start < 0 or (within and start + len(needle) > within[1]):
        start = text.find(needle)
    return (start, start + len(needle)) if start >= 0 else None


def split_of(region: str) -> str:
    return "dev" if int("".join(ch for ch in region if ch.isdigit())) % 2 else "test"


def score(council: str, split: str) -> Scored:
    regions = {r["region"]: r for r in read_jsonl(GOLD / f"figure_regions_{council}.jsonl")
               if split == "all" or split_of(r["region"]) == split}
    labels = [label for label in read_jsonl(GOLD / f"figures_{council}.jsonl") if label["region"] in regions]
    result = Scored(council, len(labels), 0, 0, 0, 0, [])
    by_file: dict[str, list[dict]] = {}
    for label in labels:
        by_file.setdefault(label["source_file"], []).append(label)
    for source_file in sorted({r["source_file"] for r in regions.values()}):
        root = ROOTS[council]
        source = load_file(root / source_file, root=root)
        doc = parse_document(source, approximate_token_count)
        figures = extract_figures(doc)
        text = source.text
        spans = {name: span_of(text, r["region_text"]) for name, r in regions.items() if r["source_file"] == source_file}
        inside = [f for f in figures if any(s and s[0] <= f.char_start < s[1] for s in spans.values())]
        claimed: set[int] = set()
        for label in by_file.get(source_file, []):
            evidence = span_of(text, label["evidence"], spans.get(label["region"]))
            candidates = [i for i, f in enumerate(inside) if evidence and evidence[0] <= f.char_start < evidence[1]
                          and same_value(label, f) and i not in claimed]
            right = [i for i in candidates if same_unit(label["unit"], inside[i].unit) and same_period(label, inside[i])]
            if candidates:
                result.found += 1
            if right:
                result.matched += 1
                claimed.add(right[0])
            else:
                got = inside[candidates[0]] if candidates else None
                result.errors.append(
                    f"MISS {label['id']} {label['value_text']!r} {label['unit']} {label.get('period')} "
                    f"({label.get('period_start')}) <- " + (f"got {got.unit} {got.period} ({got.period_start})"
                                                            if got else "value not extracted there")
                    + f" | {label['evidence'][:80]!r}")
        result.extracted += len(inside)
        result.correct += len(claimed)
        for i, figure in enumerate(inside):
            if i not in claimed:
                result.errors.append(f"EXTRA {source_file[:24]} {figure.value_text!r} {figure.unit} {figure.period} "
                                     f"| {figure.metric[:50]!r} | {text[figure.context_start:figure.context_end][:70]!r}")
    return result


@app.command()
def main(show_errors: bool = typer.Option(False, help="List every miss and extra (dev split only)."),
         council: list[str] = typer.Option(list(ROOTS), help="Councils to score."),
         split: str = typer.Option("dev", help="dev, test or all.")) -> None:
    """Print precision and recall of figure extraction per council, with 95% intervals."""
    totals = Counter()
    print(f"split: {split}")
    print(f"{'council':10} {'labels':>6} {'precision':>22} {'recall':>22} {'value found':>12}")
    for name in council:
        scored = score(name, split)
        totals.update(dict(labels=scored.labels, matched=scored.matched, found=scored.found,
                           extracted=scored.extracted, correct=scored.correct))
        _line(name, scored.labels, scored.correct, scored.extracted, scored.matched, scored.found)
        if show_errors and split == "dev":
            for error in scored.errors:
                print("   ", error)
    if len(council) > 1:
        _line("all", totals["labels"], totals["correct"], totals["extracted"], totals["matched"], totals["found"])


def _line(name: str, labels: int, correct: int, extracted: int, matched: int, found: int) -> None:
    p_low, p_high = wilson(correct, extracted)
    r_low, r_high = wilson(matched, labels)
    precision = correct / extracted if extracted else 0.0
    recall = matched / labels if labels else 0.0
    print(f"{name:10} {labels:>6} {precision:>8.3f} [{p_low:.2f}, {p_high:.2f}] ({correct}/{extracted})"
          f" {recall:>6.3f} [{r_low:.2f}, {r_high:.2f}] ({matched}/{labels}) {found / labels if labels else 0:>8.3f}")


if __name__ == "__main__":
    app()
