"""How a figure is said in an answer: its value as an officer would say it, its period in words that read
back to the same dates, and its citation."""

from __future__ import annotations

import re
from datetime import date

from indexer.figures.dating import month_end
from indexer.store.rows import StoredFigure
from indexer.structure.dates import human_date


def say_value(figure: StoredFigure) -> str:
    """"1,179", "69.7 per 10,000", "£16.8m", "86%": the value as an officer would say it."""
    text = figure.value_text.strip()
    unit = figure.unit
    if unit.startswith("rate per") and "per" not in text:
        return f"{text} per {unit.removeprefix('rate per ')}"
    if unit in ("days", "weeks", "months", "years", "hours") and not re.search(r"[a-z]", text, re.I):
        return f"{text} {unit}"
    if unit in ("£m", "£k", "£bn") and "£" not in text:
        return f"£{text}{unit[1:]}"
    if unit == "%" and "%" not in text:
        return f"{text}%"
    return text


def say_period(figure: StoredFigure) -> str:
    """The figure's period in words ``find_periods`` reads back to the same dates: "at 30 September 2024",
    "in April 2018", "in 2021", "in 2018-19", "in Q2 2024-25", "from April 2024 to September 2024"."""
    if not figure.period_start or not figure.period_end:
        return f"reported {human_date(figure.meeting_date)}" if figure.meeting_date else ""
    start, end = date.fromisoformat(figure.period_start), date.fromisoformat(figure.period_end)
    whole_months = start.day == 1 and end == month_end(end.year, end.month)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start == end:
        return f"at {human_date(figure.period_start)}"
    if whole_months and months == 1:
        return f"in {start:%B %Y}"
    if whole_months and months == 12 and start.month in (1, 4, 9):
        if start.month == 1:
            return f"in {start.year}"
        return f"in {start.year}-{(start.year + 1) % 100:02d}" + (" school year" if start.month == 9 else "")
    if whole_months and months == 3 and start.month in (1, 4, 7, 10):
        first = start.year if start.month >= 4 else start.year - 1
        return f"in Q{(start.month - 4) % 12 // 3 + 1} {first}-{(first + 1) % 100:02d}"
    if whole_months:
        return f"from {start:%B %Y} to {end:%B %Y}"
    return f"from {human_date(figure.period_start)} to {human_date(figure.period_end)}"


def cite_figure(figure: StoredFigure) -> str:
    """"Children's Services Committee, 10 July 2018, Item 8, para 4.4.1, p 12"."""
    parts = [figure.body or figure.title, human_date(figure.meeting_date)]
    if figure.item_number:
        parts.append(f"Item {figure.item_number}")
    if figure.paragraph:
        parts.append(f"para {figure.paragraph}")
    if figure.table and figure.kind == "table":
        parts.append(f"table '{figure.table[:60]}'")
    if figure.page:
        parts.append(f"p {figure.page}")
    return ", ".join(p for p in parts if p)
