"""Score figures against hand labels: ``python -m evaluation.figures [extraction|questions|grouping]``.

``extraction`` (the default): labels (``evaluation/gold/figures/figures_<council>.jsonl``) give every figure
inside chosen regions (``figure_regions_<council>.jsonl``: whole tables and paragraphs, labelled exhaustively)
with its value, unit and period. The script parses each paper as the indexer does, extracts its figures and
scores those inside the regions:

* precision: extracted figures whose value, unit and period match a label printed at the same place;
* recall: labels matched by such a figure;
* value recall: labels whose number was found at all, whatever its unit and period.

``questions``: the figure questions asked through ``POST /ask`` (``evaluation.figure_questions``).
``grouping``: the labelled series found in one index series (``evaluation.figure_grouping``).
Both read an index of both councils' papers that they build under ``evaluation/.indexes/figures-work``.

Intervals are 95% Wilson intervals. Regions with odd numbers are the dev split (look at their errors, tune
on them), even ones the test split (report only); figure questions alternate dev and test.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import typer

from evaluation.figure_gold import ROOTS, labels, regions, span_of, wilson
from evaluation.figure_grouping import score_grouping
from evaluation.figure_questions import INDEX_DIR, ask_all, ensure_index, load_questions
from indexer.figures import extract_figures
from indexer.loaders import load_file
from indexer.records import Figure
from indexer.structure import parse_document
from models.tokens import approximate_token_count

app = typer.Typer(add_completion=False, help=__doc__)


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


def score(council: str, split: str) -> Scored:
    chosen = regions(council, split)
    labelled = labels(council, split)
    result = Scored(council, len(labelled), 0, 0, 0, 0, [])
    by_file: dict[str, list[dict]] = {}
    for label in labelled:
        by_file.setdefault(label["source_file"], []).append(label)
    for source_file in sorted({r["source_file"] for r in chosen.values()}):
        root = ROOTS[council]
        source = load_file(root / source_file, root=root)
        doc = parse_document(source, approximate_token_count)
        figures = extract_figures(doc)
        text = source.text
        spans = {name: span_of(text, r["region_text"]) for name, r in chosen.items() if r["source_file"] == source_file}
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


SHOW_ERRORS = typer.Option(False, help="List every miss (dev split only: test errors are not for looking at).")
SPLIT = typer.Option("dev", help="dev, test or all.")
COUNCILS = typer.Option(list(ROOTS), help="Councils to score.")
INDEX = typer.Option(INDEX_DIR, help="Index of both councils' papers to ask (built or refreshed here).")
REBUILD = typer.Option(False, help="Rebuild the index even when the extraction code has not changed.")


@app.callback(invoke_without_command=True)
def default(ctx: typer.Context, show_errors: bool = SHOW_ERRORS, council: list[str] = COUNCILS,
            split: str = SPLIT) -> None:
    """Score figure extraction (the default), the figure questions or the series grouping."""
    if ctx.invoked_subcommand is None:
        extraction(show_errors, council, split)


@app.command()
def extraction(show_errors: bool = SHOW_ERRORS, council: list[str] = COUNCILS, split: str = SPLIT) -> None:
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


def _line(name: str, labelled: int, correct: int, extracted: int, matched: int, found: int) -> None:
    p_low, p_high = wilson(correct, extracted)
    r_low, r_high = wilson(matched, labelled)
    precision = correct / extracted if extracted else 0.0
    recall = matched / labelled if labelled else 0.0
    print(f"{name:10} {labelled:>6} {precision:>8.3f} [{p_low:.2f}, {p_high:.2f}] ({correct}/{extracted})"
          f" {recall:>6.3f} [{r_low:.2f}, {r_high:.2f}] ({matched}/{labelled}) {found / labelled if labelled else 0:>8.3f}")


@app.command()
def questions(show_errors: bool = SHOW_ERRORS, split: str = SPLIT, index_dir: Path = INDEX,
              rebuild: bool = REBUILD) -> None:
    """Ask each figure question through POST /ask; score value and period in the first answer sentence."""
    judged = ask_all(ensure_index(index_dir, rebuild), load_questions(split))
    for item in judged:
        if show_errors and split == "dev" or item.right:
            mark = "ok  " if item.right else f"MISS value {'ok' if item.value_ok else 'no'}, period {'ok' if item.period_ok else 'no'}:"
            question = item.question
            print(f"{question['id']} {mark} want {question['value']} {question['unit']} {question.get('period')!r}"
                  f" | {question['query'][:70]}\n      got: {item.sentence[:160]!r}")
    right = sum(item.right for item in judged)
    low, high = wilson(right, len(judged))
    print(f"split: {split}  questions: {len(judged)}  right value and period in the first sentence: "
          f"{right}/{len(judged)} = {right / max(1, len(judged)):.3f} [{low:.2f}, {high:.2f}]  "
          f"(value alone {sum(i.value_ok for i in judged)}/{len(judged)})")


@app.command()
def grouping(split: str = typer.Option("all", help="dev, test or all (series labelled in two papers of it)."),
             index_dir: Path = INDEX, rebuild: bool = REBUILD) -> None:
    """Share of each labelled multi-paper series that the index groups into one series."""
    scores, (pure, held) = score_grouping(ensure_index(index_dir, rebuild), split)
    for s in scores:
        print(f"{s.series:38} papers {s.papers}  members {s.members:>2}  found {s.found:>2}  in one series "
              f"{s.together:>2}  {s.together / s.members:.2f}  <- {'; '.join(g[:48] for g in s.groups[:3])}")
    members, found, together = (sum(getattr(s, f) for s in scores) for f in ("members", "found", "together"))
    low, high = wilson(together, members)
    print(f"split: {split}  series in two or more papers: {len(scores)}  members in their series' main group: "
          f"{together}/{members} = {together / max(1, members):.3f} [{low:.2f}, {high:.2f}]; of those found "
          f"{together}/{found} = {together / max(1, found):.3f}; series with >= 90% together: "
          f"{sum(s.together >= 0.9 * s.members for s in scores)}/{len(scores)}")
    low, high = wilson(pure, held)
    print(f"purity: labelled members in an index series that belong to its main labelled series: {pure}/{held} = "
          f"{pure / max(1, held):.3f} [{low:.2f}, {high:.2f}]")


if __name__ == "__main__":
    app()
