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

from indexer.figures.binding import own_periods, period_of
from indexer.figures.numbers import Number, numbers_in, words_in
from indexer.figures.periods import Period, find_periods
from indexer.figures.ranges import relative_ranges

_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:items?|sections?|paragraphs?|paras?|pages?|p|appendix|appendices|annex|table|figure|chart|phase|"
    r"stage|key stage|ks|year|tier|level|priority|priorities|option|options|minute|minutes|chapter|wave|round|"
    r"version|route|recommendations?|resolutions?|no|article|regulation|schedule|class|band|grade|step|part|"
    r"parts|clause|rule|point|covid|district|zone|unit|block|room|floor|category|objective|outcome|aim|"
    r"question|questions|standard|principle|theme|action|workstream|lot|cohort|session|term|week|day|"
    r"quarter|q|s|v|tel|telephone|phone|ext|extension|ref|reference|model|sprint|team|group|bus|a|the year|under|"
    r"aged|ages)"
    r"\.?\s*[-–#]?\s*(?:[(]?\d[\dA-Za-z.()]{0,7}\s*(?:,|and|&|or)\s*)*|[#§])$", re.I)  # "Sections 32 and 43"
_DEFINITION_BEFORE = re.compile(
    r"\b(?:within|in the (?:last|past|first|next|previous)|over the (?:last|past|previous)|after|last|past|first|next|previous|more than|"
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


# A number written as a word counts where it counts something: "Eight KPIs did not meet", "nine indicators",
# "six were showing"; not "one of", "two-tier", "six more KPIs", "one fewer than".
_WORD_COUNTS = re.compile(r"^\s+(?!(?:more|fewer|less|times|of|or|to|and|further|other|another|years?|months?|weeks?|"
                          r"days?|hours?)\b)(?:[A-Za-z][\w’'-]*s\b|(?:were|are|had|have)\b)")
_ONE_COUNTS = re.compile(r"^\s+(?:had|has|was|is)\b")
# A rate or amount "per year" is not the value of a period.
_ANNUAL = re.compile(r"^\s*(?:per|a|each|every)\s+(?:year|annum)\b|^\s*p\.?a\.?\b", re.I)
_DANGLING = re.compile(r"\s+(?:at|in|on|for|during|by|as at|over|since|to|from)(?:\s+the(?:\s+(?:end|start)\s+of)?)?"
                       r"(?:\s+the)?\s*$", re.I)
# Names that say what kind of money or change a figure is, but not of what.
_GENERIC = frozenset("overspend underspend variance saving savings forecast outturn increase decrease reduction budget "
                     "spend cost costs total balance income pressure pressures".split())
_FOR_WHAT = re.compile(r"\b(?P<prep>for|on)\s+(?:the\s+)?(?P<what>[A-Za-z][^.;:,()£%\d]{3,60}?)"
                       r"(?=\s+(?:is|was|are|were|has|have|and|which|in|by|at)\b|[.;:,()]|\s*$)", re.I)
# A sentence or bullet that opens by naming a measure ("Number of Children 'out of education' with EHCP, has
# reduced", "Average time taken to produce ... timescales: there is") names the figures it goes on to give.
_LEAD = re.compile(
    r"^[\s\-–•*●▪]*(?:o\s+)?(?:\d+(?:\.\d+)*\.?\s+)?(?P<lead>(?:(?:the|our)\s+)?(?:number|no\.|average|mean|median|"
    r"percentage|proportion|rate|total|%)\b[^,:;.]{5,140}?)(?=\s*[,:;–]|\s+-\s|(?<!who)(?<!which)(?<!that)\s+(?:there\s+)?"
    r"(?:has|have|is|are|was|were)\b)",
    re.I)
_RATE_BEFORE = re.compile(r"\bper\s*(?:10k|10,?000)\b[^.;]{0,40}$", re.I)


@dataclass(frozen=True)
class SentenceFigure:
    """A figure of a sentence; ``annual`` when it is an amount per year, which no period dates."""

    number: Number
    metric: str
    period: Period | None
    unit: str
    geography: str | None
    sentence_start: int
    sentence_end: int
    annual: bool = False


def _tidy(phrase: str) -> str:
    phrase = re.sub(r"^[\W\d.,]*(?:bn|m|k)?\b\W*|[\W_]+$", "", phrase)
    phrase = re.sub(r"^(?:and|but|so|whilst|while|although|however|that|which|with|the|a|an|of|in)\s+", "", phrase, flags=re.I)
    phrase = " ".join(phrase.split())
    return phrase + ")" * (phrase.count("(") - phrase.count(")"))  # "(All CME cases)" keeps its bracket


def lead_metric(sentence: str, reported: str | None = None) -> str | None:
    """The measure a sentence opens by naming, up to its first comma or verb, without its period:
    "- Average time in days for arranging alternative education provision (All CME cases), within ..."."""
    match = _LEAD.match(sentence)
    if match is None:
        return None
    lead = re.sub(r"\s*\((?:[^()\s]+\s+){4,}[^()]*\)", "", match.group("lead"))  # a long aside explains, not names
    periods = find_periods(lead, reported)
    if periods:
        lead = _DANGLING.sub("", lead[:periods[0].char_start])
    return _tidy(lead) or None


def _metric(sentence: str, start: int, end: int, lead: str | None) -> str:
    """The words the sentence gives the figure at ``start:end``: its own phrase where the sentence says
    "the number of X" or "N% of X", else the measure the sentence or its bullet opened by naming, else
    the words around it; a bare "overspend" or "savings" with what it is for ("An overspend of £3.375m is
    currently forecast for General Fund Children's Services")."""
    metric, strong = _phrase(sentence, start, end)
    if not strong and lead:
        return lead
    if metric.lower() in _GENERIC:
        what = _FOR_WHAT.search(sentence)
        if what:
            return f"{metric} {what.group('prep').lower()} {_tidy(what.group('what'))}"
    return metric


def _phrase(sentence: str, start: int, end: int) -> tuple[str, bool]:
    """The figure's own words, and whether the sentence says outright that they name it."""
    before, after = sentence[:start], sentence[end:]
    heads = [m for m in _METRIC_HEAD.finditer(sentence) if m.end() <= start]
    if heads and start - heads[-1].end() < 60:
        return _tidy(heads[-1].group("head")), True
    if re.match(r"^\s*of\s+", after):  # "93% of looked after children with ..."
        words = re.match(r"^\s*of\s+(?P<what>[^.;:,()]{3,80}?)(?=\s+(?:was|were|is|are|had|have|in|at|by|"
                         r"compared|against|and|than)\b|[,.;()]|$)", after)
        if words:
            return _tidy(words.group("what")), True
    noun = []
    for word in re.findall(r"[A-Za-z][\w'’-]*|\S", after)[:5]:
        if not word[0].isalpha() or word.lower() in _STOP_WORDS:
            break
        noun.append(word)
    if noun:
        return _tidy(" ".join(noun)), False
    verb = _VERB_BEFORE.search(re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), before))  # asides aside
    if verb:
        clause = re.split(r"[,;]|\band\b|\bwhilst\b|\bwhile\b|\bbut\b", verb.group("what"))[-1]
        periods = find_periods(clause)
        if periods and clause[periods[-1].char_end:].strip():  # "Sept 2020 figure is 1103": the words after it
            clause = clause[periods[-1].char_end:]
        elif periods and periods[0].char_start > 0:  # "total return ... over the 6 months since 31 March 2024 is"
            clause = _DANGLING.sub("", clause[:periods[0].char_start])
        if len(clause.split()) >= 1:
            return _tidy(" ".join(clause.split()[-8:])), False
    clause = re.split(r"[,;(]", before)[-1]
    return _tidy(" ".join(clause.split()[-6:])), False


def _is_figure(sentence: str, number: Number, start: int, end: int, periods: list[Period], opens_line: bool) -> bool:
    if any(p.char_start <= start < p.char_end or start <= p.char_start < end for p in periods):
        return False
    before, after = sentence[:start], sentence[end:]
    if re.match(r"^-(?:day|week|month|year|hour)s?\b", after, re.I):
        return False  # part of a measure's name: "the 20-week timescale"
    if number.unit is None:
        if _REFERENCE_BEFORE.search(before) or _AFTER_NOT_A_FIGURE.match(after):
            return False
        if re.match(r"^\s*(?:working\s+|calendar\s+)?(?:days?|weeks?|months?|years?)\b", after) \
                and _DEFINITION_BEFORE.search(before):
            return False
        if re.search(r"(?:^|[\s(:])0\d{3,5}\s*(?:\d{3,4}\s*)?$", before) and re.fullmatch(r"\d{3,8}", number.text):
            return False  # the rest of a telephone number ("03000 416833")
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
    if number.unit is None and re.search(r"\n[ \t]*$", before) and (
            re.match(r"^(?:\.\d+)*[.)]?[ \t]+[A-Z]", after) or (re.fullmatch(r"[.)]\s*", after)
                                                            and re.fullmatch(r"\d{1,2}", number.text))):
        return False  # a numbered heading or paragraph opening a line the sentence runs on to ("1. Background")
    if opens_line and number.text[:1].isdigit() and re.match(r"^[\s\-–•*●▪]*$", before):
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


def _numbers(sentence: str) -> list[Number]:
    """The sentence's numbers, printed as figures or as words that count something, in order."""
    words = [n for n in words_in(sentence) if (_ONE_COUNTS if n.value == 1 else _WORD_COUNTS).match(sentence[n.char_end:])
             and n.value > 0 and not re.search(r"\b(?:no|any|every|the only)\s+$", sentence[:n.char_start], re.I)]
    return sorted(numbers_in(sentence, accounting=False) + words, key=lambda n: n.char_start)


def _unit(sentence: str, number: Number, previous_unit: str | None) -> str:
    """The figure's unit: its own, a rate's base printed after it or named before it ("our rate per 10k is
    63.8"), the unit of the figure before it in a list ("averages of 63.2 and 65.3"), else a count."""
    start, end = number.char_start, number.char_end
    after = sentence[end:]
    if number.unit is not None:
        return number.unit
    if re.match(r"^\s*(?:per|/)\s*(?:10k|10,?000)", after, re.I) or _RATE_BEFORE.search(sentence[:start]):
        return "rate per 10,000"
    next_word = re.match(r"^\s*([A-Za-z]+)", after)
    if previous_unit not in (None, "count") and (next_word is None or next_word.group(1).lower() in _STOP_WORDS
                                                   or next_word.group(1).lower() == "respectively"):
        return previous_unit  # type: ignore[return-value]
    near = sentence[max(0, start - 40): end + 25]
    return "%" if re.search(r"\bper ?cent|\bpercentage\b", near, re.I) and "of" not in after[:4] else "count"


def sentence_figures(sentence: str, offset: int, reported: str | None, opens_line: bool = True,
                     anchor: Period | None = None, lead: str | None = None) -> list[SentenceFigure]:
    """The figures of one sentence; spans shifted by ``offset``.

    Args:
        sentence: The sentence's text.
        offset: Where it starts in the source.
        reported: The paper's date, for periods printed without a year.
        opens_line: Whether the sentence starts a line (so a number opening it may be a list number).
        anchor: The period the paragraph printed last, which "the 6 months" and "the half-year" end on.
        lead: The measure the bullet or paragraph opened by naming, for figures the sentence does not name.
    """
    periods = sorted(find_periods(sentence, reported) + relative_ranges(sentence, anchor), key=lambda p: p.char_start)
    numbers = [n for n in _numbers(sentence) if _is_figure(sentence, n, n.char_start, n.char_end, periods, opens_line)]
    spans = [(n.char_start, n.char_end) for n in numbers]
    owned = own_periods(sentence, periods, spans)
    lead = lead_metric(sentence, reported) or lead
    figures: list[SentenceFigure] = []
    previous_unit = None
    named: dict[str, str] = {}  # per unit, the measure the list's last figure outside an aside was given
    for index, number in enumerate(numbers):
        start, end = number.char_start, number.char_end
        unit = _unit(sentence, number, previous_unit)
        previous_unit = unit
        annual = bool(_ANNUAL.match(sentence[end:])) and not owned.get(index)
        geography = _geography(sentence, start, end)
        period = None if annual else period_of(sentence, periods, spans, index, owned, borrow=geography is None)
        metric = _metric(sentence, start, end, lead)
        aside = sentence[:start].count("(") > sentence[:start].count(")")
        if not metric and not aside:  # a list goes on: "savings of £0.56m in 18/19, £3.08m in 19/20"
            metric = named.get(unit, "")
        elif metric and not aside:
            named[unit] = metric
        figures.append(SentenceFigure(
            Number(number.text, number.value, unit, offset + start, offset + end),
            metric, period, unit, geography, offset, offset + len(sentence), annual))
    return figures
