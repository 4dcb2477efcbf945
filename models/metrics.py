"""Metric names for figures: the curated abbreviations and synonyms in models/data/metric_synonyms.json,
and the normalised key that groups figures of one measure into a series."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

_STOPWORDS = frozenset("a an the of in at on for to by from and with who whose which that as is are was were be "
                       "been this these those its their our all any".split())


@dataclass(frozen=True)
class MetricSynonyms:
    """The curated rules: word rewrites, names that are one measure, pairs kept apart."""

    abbreviations: dict[str, str]
    same: tuple[tuple[str, ...], ...]
    different: tuple[tuple[str, str], ...]


@functools.cache
def load_synonyms() -> MetricSynonyms:
    raw = json.loads(resources.files("models").joinpath("data/metric_synonyms.json").read_text(encoding="utf-8"))
    abbreviations = {k.lower(): v.lower() for k, v in raw.get("abbreviations", {}).items()}
    return MetricSynonyms(abbreviations, tuple(tuple(group) for group in raw.get("same", [])),
                          tuple((a, b) for a, b in raw.get("different", [])))


@functools.cache
def _rewrites() -> list[tuple[re.Pattern[str], str]]:
    # longest first, so "stat neigh" is rewritten before "stat"
    items = sorted(load_synonyms().abbreviations.items(), key=lambda kv: -len(kv[0]))
    return [(re.compile(rf"(?<![\w]){re.escape(short)}(?![\w])", re.I), long) for short, long in items]


def metric_name(printed: str) -> str:
    """A metric's printed words, tidied for people: references, footnote marks and markup gone,
    abbreviations spelled out. "7.2 LAC - Rate per 10K Under-18s ③" -> "looked after children - rate per 10000 under 18s"."""
    text = re.sub(r"\{[^{}]{1,12}\}|[*_`#]|[\u2460-\u24ff\u2776-\u2793†‡]", " ", printed)
    text = re.sub(r"^\s*[A-Z]{0,3}\d{1,2}(?:\.\d{1,2}){0,2}[a-z]?\s+", "", text)
    text = text.lower().replace("’", "'")
    for pattern, long in _rewrites():
        text = pattern.sub(long, text)
    return " ".join(text.split()).strip(" -:,.")


def metric_key(name: str) -> str:
    """The grouping key of a normalised metric name: content words, in order, no punctuation,
    plural -s dropped; the curated 'same' lists map to their first name's key."""
    key = _bare_key(metric_name(name))
    return _same_keys().get(key, key)


def _bare_key(name: str) -> str:
    words = re.sub(r"[^a-z0-9%]+", " ", name.lower()).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words if w not in _STOPWORDS)


@functools.cache
def _same_keys() -> dict[str, str]:
    mapping = {}
    for group in load_synonyms().same:
        first = _bare_key(metric_name(group[0]))
        for name in group:
            mapping[_bare_key(metric_name(name))] = first
    return mapping


def kept_apart(a: str, b: str) -> bool:
    """Whether the curated list says two metric keys are different measures."""
    for left, right in load_synonyms().different:
        pair = {_bare_key(metric_name(left)), _bare_key(metric_name(right))}
        if {a, b} == pair:
            return True
    return False
