"""Figure questions through ``POST /ask``: ``python -m evaluation.figures questions``.

Each question in ``gold/figures/figure_questions_<council>.jsonl`` was written from a paper, with the value,
unit and period it asks for. It is asked through the API as a client would, over an index of both councils'
papers, and the answer's first sentence is judged:

* right value: a number in the sentence equals the labelled value as printed (commas, "£", "m", "%" and words
  such as "nine" normalised; a number whose own unit is of another kind, "8%" for a count, does not count),
  rounded to the label's decimals (a label of "64%" is met by the paper's table value "64.1%");
* right period: a period the sentence prints (read with ``indexer.figures.periods``, the paper's date as the
  year of a month printed without one) starts and ends on the labelled dates. A question about a value that
  has no period (a policy limit) needs the value only.

A citation written into the sentence ("(Cabinet, 4 March 2025, Item 5, p 2)") is left out before periods
are read, so the meeting date does not pass for the figure's period. Intervals are 95% Wilson intervals.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from evaluation.client import local_client
from evaluation.gold import SOURCE_ROOTS
from indexer.figures.numbers import numbers_in, words_in
from indexer.figures.periods import find_periods
from indexer.settings import REPO_ROOT
from indexer.structure.dates import human_date

GOLD = Path(__file__).resolve().parent / "gold" / "figures"
INDEX_DIR = Path(__file__).resolve().parent / ".indexes" / "figures-work"
# What the extracted figures depend on: a change to any of these makes the evaluation index stale.
EXTRACTION_CODE = ("indexer/figures", "models/metrics.py", "models/data/metric_synonyms.json")
_UNIT_KIND = {"%": "%", "percentage points": "%", "£": "£", "£k": "£", "£m": "£", "£bn": "£", "days": "time",
              "weeks": "time", "months": "time", "years": "time", "hours": "time"}


@dataclass(frozen=True)
class Judged:
    """One question, the first sentence of its answer, and whether its value and period are right."""

    question: dict
    sentence: str
    value_ok: bool
    period_ok: bool

    @property
    def right(self) -> bool:
        return self.value_ok and self.period_ok


def load_questions(split: str) -> list[dict]:
    questions = []
    for path in sorted(GOLD.glob("figure_questions_*.jsonl")):
        questions += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [q for q in questions if split == "all" or q["split"] == split]


def _kind(unit: str | None) -> str | None:
    if unit is None:
        return None
    return "rate" if unit.startswith("rate per") else _UNIT_KIND.get(unit, "count")


def _decimals(value: float) -> int:
    return len(repr(value).split(".")[1]) if isinstance(value, float) else 0


def value_in(sentence: str, value: float, unit: str) -> bool:
    """Whether ``sentence`` prints ``value`` (in ``unit``), as figures or in words, to the precision the
    label prints it: a label of 64% is answered by the dashboard's 64.1% for the same measure and month."""
    for number in [*numbers_in(sentence), *words_in(sentence)]:
        if math.isclose(round(number.value, _decimals(value)), value, rel_tol=1e-9, abs_tol=1e-9) and \
                (number.unit is None or _kind(number.unit) == _kind(unit)):
            return True
    return False


def period_in(sentence: str, start: str | None, end: str | None, reported: str | None) -> bool:
    """Whether ``sentence`` prints a period from ``start`` to ``end``; true when the label has no period."""
    if start is None and end is None:
        return True
    return any((p.start, p.end) == (start, end) for p in find_periods(sentence, reported))


def first_sentence(answer: dict) -> tuple[str, str | None]:
    """The answer's first sentence without the citations written into it, and the first cited paper's date."""
    if not answer.get("answer"):
        return "", None
    text = answer["answer"][0]["text"]
    text = text.split(" Papers disagree")[0]
    dates = [c["document"]["meeting_date"] for c in answer.get("citations", []) if c["document"].get("meeting_date")]
    for meeting in {human_date(d) for d in dates}:
        text = re.sub(rf"\([^()]*{re.escape(meeting)}[^()]*\)", " ", text)
    return " ".join(text.split()), dates[0] if dates else None


def judge(question: dict, answer: dict) -> Judged:
    sentence, reported = first_sentence(answer)
    return Judged(question, sentence, value_in(sentence, question["value"], question["unit"]),
                  period_in(sentence, question.get("period_start"), question.get("period_end"), reported))


def extraction_stamp() -> str:
    """A hash of the code and data that figures are extracted and grouped with, and of the papers' names and sizes."""
    digest = hashlib.sha256()
    for name in EXTRACTION_CODE:
        path = REPO_ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(REPO_ROOT).as_posix().encode() + file.read_bytes())
    for root in SOURCE_ROOTS:
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f"{file.relative_to(root)}:{file.stat().st_size}".encode())
    return digest.hexdigest()


def ensure_index(index_dir: Path, rebuild: bool = False) -> Path:
    """An index of both councils' papers at ``index_dir``: kept while neither the extraction code nor the
    papers changed since it was built, else rebuilt whole (unchanged papers would keep their old figures)."""
    stamp = index_dir.with_name(index_dir.name + ".figures-stamp")
    current = extraction_stamp()
    if not rebuild and (index_dir / "CURRENT").exists() and stamp.exists() \
            and stamp.read_text(encoding="utf-8") == current:
        return index_dir
    from indexer.factory import build_index  # the indexer only when a build is needed
    from indexer.settings import IndexSettings

    report = build_index(list(SOURCE_ROOTS), IndexSettings(index_dir=index_dir), rebuild=True)
    if report.failures:
        raise RuntimeError(f"could not index {report.failures}")
    stamp.write_text(current, encoding="utf-8")
    return index_dir


def ask_all(index_dir: Path, questions: list[dict]) -> list[Judged]:
    """Each question through ``POST /ask``, judged."""
    judged = []
    with local_client(index_dir) as client:
        for question in questions:
            response = client.http.post("/ask", json={"question": question["query"]})
            response.raise_for_status()
            judged.append(judge(question, response.json()))
    return judged
