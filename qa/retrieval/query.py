"""Query understanding: content terms, glossary expansion both ways, and date hints."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from indexer.figures.periods import Period
from models.glossary import term_key
from qa.retrieval.lexical import content_terms
from qa.retrieval.specifics import query_periods

_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_YEAR = re.compile(r"\b(?:in|during|from|since|of)\s+((?:19|20)\d{2})\b", re.I)
_ACRONYM_TOKEN = re.compile(r"\b[A-Za-z][A-Za-z&]{1,7}s?\b")


@dataclass(frozen=True)
class QueryPlan:
    """What a query was understood to ask for.

    Attributes:
        text: The query as given.
        terms: Content words for BM25 and coverage.
        expansions: Long forms or acronyms the glossary adds ("EHCP" -> "Education,
            Health and Care Plan").
        year: A year the query names ("in 2018", "April 2018").
        month: A month the query names with that year, lower case.
        periods: The periods the query names, with their dates: a hit must speak of them.
    """

    text: str
    terms: tuple[str, ...]
    expansions: tuple[str, ...]
    year: str | None
    month: str | None
    periods: tuple[Period, ...] = ()

    @property
    def dense_text(self) -> str:
        """The query as the embedder sees it, expansions appended."""
        return self.text if not self.expansions else f"{self.text} ({'; '.join(self.expansions)})"

    @property
    def date_hint(self) -> str | None:
        """The periods hits are kept to, as the query printed them."""
        return " and ".join(p.text for p in self.periods) or None


class QueryPlanner:
    """Plans queries against one glossary (acronym -> long forms)."""

    def __init__(self, glossary: Mapping[str, list[str]]) -> None:
        self.by_acronym = {a.upper(): forms for a, forms in glossary.items()}
        self.by_long_form = {term_key(form): acronym for acronym, forms in glossary.items() for form in forms}

    def plan(self, text: str, expand: bool = True) -> QueryPlan:
        expansions: list[str] = []
        if expand:
            for token in _ACRONYM_TOKEN.findall(text):
                if token.islower() and len(token) <= 3:
                    continue  # "at", "ap", "cin": far more often English words
                upper = token.upper()
                forms = self.by_acronym.get(upper) or (self.by_acronym.get(upper[:-1]) if upper.endswith("S") else None)
                if forms and (token.isupper() or token[:-1].isupper() or len(token) > 3):
                    expansions.extend(forms[:2])
            key = f" {term_key(text)} "
            for form, acronym in self.by_long_form.items():
                if len(form.split()) >= 2 and f" {form} " in key:
                    expansions.append(acronym)
        month_year = _MONTH_YEAR.search(text)
        year = _YEAR.search(text)
        return QueryPlan(
            text=text, terms=tuple(content_terms(text)), expansions=tuple(dict.fromkeys(expansions)),
            year=month_year.group(2) if month_year else (year.group(1) if year else None),
            month=month_year.group(1).lower() if month_year else None, periods=query_periods(text))
