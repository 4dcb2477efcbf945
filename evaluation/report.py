"""Tables, the ablation chart and the failure list from an evaluation run."""

from __future__ import annotations

from pathlib import Path

from evaluation.metrics import Judged

COLUMNS = ("hit@1", "hit@5", "hit@10", "MRR@10", "nDCG@10", "recall@10")


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _table(results: dict, split: str) -> list[str]:
    lines = [f"| configuration | {' | '.join(COLUMNS)} | no-answer acc. | mean chars | ms/query |",
             "|---|" + "---:|" * (len(COLUMNS) + 3)]
    for name, config in results["configs"].items():
        s = config.get(split)
        if not s:
            continue
        lines.append(f"| {name} | {' | '.join(_fmt(s[c]) for c in COLUMNS)} | {_fmt(s['no_answer_accuracy'])} "
                     f"| {s['mean_chars']:.0f} | {s['mean_ms']:.0f} |")
    return lines


def _breakdown(results: dict, split: str, facet: str) -> list[str]:
    config = results["configs"].get("full") or next(iter(results["configs"].values()))
    groups = config.get(split, {}).get(f"by_{facet}", {})
    lines = [f"| {facet} | n | hit@1 | hit@5 | MRR@10 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {g['n']} | {_fmt(g['hit@1'])} | {_fmt(g['hit@5'])} | {_fmt(g['MRR@10'])} |"
              for name, g in groups.items()]
    return lines


def write_markdown(results: dict, path: Path) -> str:
    """The per-split tables and the product's breakdowns by kind and style."""
    lines = [f"# Retrieval evaluation ({results['gold']['queries']} gold queries, k = {results['k']})", ""]
    for split in ("test", "dev"):
        if not any(split in c for c in results["configs"].values()):
            continue
        lines += [f"## {split} split", "", *_table(results, split), ""]
        lines += [f"### {split}: the product (`full`) by kind", "", *_breakdown(results, split, "kind"), ""]
        lines += [f"### {split}: the product (`full`) by style", "", *_breakdown(results, split, "style"), ""]
    lines += ["Configurations:", ""]
    lines += [f"- **{name}**: {c['note']}" for name, c in results["configs"].items()]
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def write_chart(results: dict, path: Path) -> None:
    """Grouped bars of hit@1, hit@5 and MRR@10 per configuration on the test split (or all queries)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    split = "test" if any("test" in c for c in results["configs"].values()) else "all"
    names = list(results["configs"])
    metrics = ("hit@1", "hit@5", "MRR@10")
    fig, ax = plt.subplots(figsize=(11, 4.8))
    width = 0.8 / len(metrics)
    for i, metric in enumerate(metrics):
        values = [results["configs"][n][split][metric] for n in names]
        bars = ax.bar([x + (i - 1) * width for x in range(len(names))], values, width, label=metric)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
    ax.set_xticks(range(len(names)), names, rotation=20, ha="right")
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("score")
    ax.set_title(f"Retrieval ablations, {split} split ({results['configs'][names[0]][split]['queries']} answerable queries)")
    ax.legend(loc="upper left", ncols=3)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_failures(judged: list[Judged], path: Path, config: str) -> None:
    """Every query the configuration missed in its top 5 (or answered when it should not), for error analysis."""
    lines = [f"# Failures of `{config}`", "",
             "Answerable queries with no relevant passage in the top 5, and unanswerable queries that got results.", ""]
    for j in judged:
        q = j.query
        if q.answerable and (j.first_hit or 99) <= 5 or not q.answerable and not j.hits:
            continue
        rank = f"first relevant at rank {j.first_hit}" if j.first_hit else "no relevant passage in the top 10"
        lines += [f"## {q.id} ({q.split}, {q.kind}, {q.style}): {q.query}", "",
                  f"- expected in `{q.source_file}`: " + "; ".join(f"“{e}”" for e in q.evidence) if q.answerable
                  else "- expected: no results", f"- got: {rank if q.answerable else f'{len(j.hits)} results'}"]
        for n, hit in enumerate(j.hits[:3], 1):
            text = " ".join(hit["text"].split())[:160]
            lines.append(f"  {n}. {hit['citation']} ({hit['document']['source_file']}): {text}")
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
