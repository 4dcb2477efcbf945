"""Figures in sentences: "The number of Looked After Children at the end of April 18 was 1179."

A number in prose is a figure unless the words around it make it a reference ("Item 14",
"section 20", "Key Stage 2"), part of a measure's definition ("within 20 weeks", "in the last
2 years"), an age, a time or a telephone number. Its metric is the phrase the sentence gives it:
"the number of X", "N% of X", "X was N", "N X"; its period the one printed nearest to it; a
figure with no unit of its own takes the unit of the figure before it in the same sentence
("from 62 per 10k to 65 per 10k ... and now 69.7").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.figures.numbers import Number, numbers_in
from indexer.figures.periods import Period, find_periods, nearest_period

_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:items?|sections?|paragraphs?|paras?|pages?|p|appendix|appendices|annex|table|figure|chart|phase|"
    r"stage|key stage|ks|year|tier|level|priority|priorities|option|options|minute|minutes|chapter|wave|round|"
    r"version|route|recommendations?|resolutions?|no|article|regulation|schedule|class|band|grade|step|part|"
    r"parts|clause|rule|point|covid|district|zone|unit|block|room|floor|category|objective|outcome|aim|"
    r"question|questions|standard|principle|theme|action|workstream|lot|cohort|session|term|week|day|"
    r"quarter|q|s|v|tel|telephone|phone|ext|extension|ref|reference|model|sprint|team|group|bus|a|the year|under|"
    r"aged|ages)"
    r"\.?\s*[-–#]?\s*|[#§])$", re.I)
_DEFINITION_BEFORE = re.compile(
    r"\b(?:within|in the (?:last|past|first|next)|over the (?:last|past)|after|last|past|first|next|more than|"
    r"less than|fewer than|over|under|at least|up to|aged?|of at least|for)\s+$", re.I)
_AFTER_NOT_A_FIGURE = re.compile(
    r"^(?:\s*(?:-|to)\s*\d+\s*)?[\s-]*(?:years?[\s-]olds?|yr olds?|year-old|am\b|pm\b|a\.m\.|p\.m\.|o'clock|"
    r"st\b|nd\b|rd\b|th\b|:\d\d)", re.I)
_METRIC_HEAD = re.compile(
    r"\b(?:the\s+)?(?P<head>(?:total\s+)?(?:number|numbers|no\.|total|proportion|percentage|rate|level|amount|"
    r"value|cost|costs|budget|spend|balance|count|share|average|median)\s+of\s+"
    r"(?P<what>[^.;:,()]{3,90}?))(?=\s+(?:at|in|for|on|as|by|during|was|were|is|are|has|have|had|stood|rose|fell|"
    r"increased|decreased|reduced|remains?|reached|totall?ed|totalling|of|has|will|to|from)\b|\s*[,(:]|\s*$)", re.I)
_VERB_BEFORE = re.compile(
    r"(?P<what>[A-Za-z][^.;:()]{2,80}?)\s+(?:was|were|is|are|stood at|stands at|rose to|fell to|increased to|"
    r"decreased to|reduced to|dropped to|grew to|went up to|reached|totall?ed|totalling|amounted to|of|at|"
    r"equat(?:es|ed) to|has been|have been|remains at|remained at|:)\s*(?:around|about|approximately|"
    r"over|nearly|almost|some|just over|just under|a total of)?\s*$", re.I)
_STOP_WORDS = frozenset(
    "and or to in of the for on at by from with per than as this that which who was were is are has have had will "
    "would could should may might can a an not no were being been be it its their there these those across during "
    "since until against compared over under between into out up down more less fewer".split())
_GEOGRAPHY = [
    (re.compile(r"\bnationally\b|\bnational(?:\s+average|\s+figure|\s+rate)?\b|\bengland\b", re.I), "England"),
    (re.compile(r"\bstat(?:istical)?\.? neighbou?rs?\b", re.I), "statistical neighbours"),
    (re.compile(r"\b(?:eastern |south east |regional )?region(?:al)?(?: average)?\b", re.I), "region"),
]
_SCHOOLISH = re.compile(r"\bboys\b|\bgirls\b", re.I)
_TELEPHONE = re.compile(r"^0\d{3,}")


@dataclass(frozen=True)
class SentenceFigure:
    number: Number
    metric: str
    period: Period | None
    unit: str
    geography: str | None
    sentence_start: int
    sentence_end: int


def _tidy(phrase: str) -> str:
    phrase = re.sub(r"^[\W\d.,]*(?:bn|m|k)?\b\W*|[\W_]+$", "", phrase)
    phrase = re.sub(r"^(?:and|but|so|whilst|while|although|however|that|which|with|the|a|an|of|in)\s+", "", phrase, flags=re.I)
    return " ".join(phrase.split())


def _metric(sentence: str, start: int, end: int) -> str:
    """The words the sentence gives the figure at ``start:end`` (offsets within the sentence)."""
    before, after = sentence[:start], sentence[end:]
    heads = [m for m in _METRIC_HEAD.finditer(sentence) if m.end() <= start]
    if heads and start - heads[-1].end() < 60:
        return _tidy(heads[-1].group("head"))
    if re.match(r"^\s*of\s+", after):  # "93% of looked after children with ..."
        words = re.match(r"^\s*of\s+(?P<what>[^.;:,()]{3,80}?)(?=\s+(?:was|were|is|are|had|have|in|at|by|"
                         r"compared|against|and|than)\b|[,.;()]|$)", after)
        if words:
            return _tidy(words.group("what"))
    noun = []
    for word in re.findall(r"[A-Za-z][\w'’-]*|\S", after)[:5]:
        if not word[0].isalpha() or word.lower() in _STOP_WORDS:
            break
        noun.append(word)
    if noun:
        return _tidy(" ".join(noun))
    verb = _VERB_BEFORE.search(before)
    if verb:
        clause = re.split(r"[,;]|\band\b|\bwhilst\b|\bwhile\b|\bbut\b", verb.group("what"))[-1]
        if len(clause.split()) >= 1:
            return _tidy(" ".join(clause.split()[-8:]))
    clause = re.split(r"[,;(]", before)[-1]
    return _tidy(" ".join(clause.split()[-6:]))


def _is_figure(sentence: str, number: Number, start: int, end: int, periods: list[Period]) -> bool:
    if any(p.char_start <= start < p.char_end or start <= p.char_start < end for p in periods):
        return False
    before, after = sentence[:start], sentence[end:]
    if number.unit is None:
        if _REFERENCE_BEFORE.search(before) or _AFTER_NOT_A_FIGURE.match(after):
            return False
        if re.match(r"^\s*(?:working\s+|calendar\s+)?(?:days?|weeks?|months?|years?)\b", after) \
                and _DEFINITION_BEFORE.search(before):
            return False
        if _TELEPHONE.match(number.text) or (number.value.is_integer() and 1900 <= number.value <= 2099
                                             and "," not in number.text):
            return False
        if re.match(r"^\s*(?:per|/)\s*\d", after):
            return True
    elif number.unit in ("days", "weeks", "months", "years", "hours") and (
            _DEFINITION_BEFORE.search(before) or re.match(r"^[\s-]*(?:olds?|ago)\b", after)
            or (number.value != 1 and not number.text.rstrip().endswith("s"))):  # "a 12 month rolling rate"
        return False
    if not re.search(r"[A-Za-z]", sentence[:start] + after):
        return False  # a paragraph number on its own ("4.1.")
    if re.match(r"^[\s\-–•*●▪]*$", before):
        # a paragraph or list number opening the sentence ("2.4 The ...", "3 Members ...")
        if number.unit is None and re.match(r"^\s*(?:[.)]\s|\s+[A-Z(]|\t)", after):
            return False
    if re.search(r"\bper\s*$", before, re.I):
        return False  # the base of a rate: "per 10,000"
    return True


def _geography(sentence: str, start: int, end: int) -> str | None:
    window = sentence[max(0, start - 50): end + 30]
    for pattern, name in _GEOGRAPHY:
        match = pattern.search(window)
        if match:
            return name
    match = _SCHOOLISH.search(sentence[max(0, start - 60): end + 40])
    return match.group(0).lower() if match else None


def sentence_figures(sentence: str, offset: int, reported: str | None) -> list[SentenceFigure]:
    """The figures of one sentence; spans shifted by ``offset``."""
    periods = find_periods(sentence, reported)
    figures: list[SentenceFigure] = []
    previous_unit = None
    for number in numbers_in(sentence):
        start, end = number.char_start, number.char_end
        if not _is_figure(sentence, number, start, end, periods):
            continue
        unit = number.unit
        after = sentence[end:]
        if unit is None and re.match(r"^\s*(?:per|/)\s*(?:10k|10,?000)", after, re.I):
            unit = "rate per 10,000"
        if unit is None and previous_unit not in (None, "count") and not re.match(r"^\s*[A-Za-z]", after):
            unit = previous_unit
        if unit is None:
            near = sentence[max(0, start - 40): end + 25]
            unit = "%" if re.search(r"\bper ?cent|\bpercentage\b", near, re.I) and "of" not in after[:4] else "count"
        previous_unit = unit
        period = nearest_period(periods, start, end)
        figures.append(SentenceFigure(
            Number(number.text, number.value, unit, offset + start, offset + end),
            _metric(sentence, start, end), period, unit, _geography(sentence, start, end), offset, offset + len(sentence)))
    return figures
