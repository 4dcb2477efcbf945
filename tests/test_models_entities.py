"""Council patterns on spacy.blank("en"), the clean-up of model entities, and the real model under -m slow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import Span

from indexer.loaders import load_file
from indexer.people import document_people, merge_people
from indexer.records import Person
from indexer.structure import parse_document
from indexer.structure.covers import parse_report_officers
from models.records import Entity
from models.entities import LABELS, add_people, create_entity_pipeline, doc_entities, extract_entities

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def blank_nlp() -> Any:
    return create_entity_pipeline(blank=True)


def found(nlp: Any, text: str) -> list[tuple[str, str, str]]:
    """(label, text, norm) of each entity, checking that offsets slice the text."""
    (entities,) = extract_entities(nlp, [text])
    for entity in entities:
        assert text[entity.char_start : entity.char_end] == entity.text
    return [(e.label, e.text, e.norm) for e in entities]


def test_councillors_in_minutes_and_membership_style(blank_nlp: Any) -> None:
    text = "Apologies from Cllr Fabian Eagle, Cllr. John Fisher and Cllr Mike Smith-Clare; Mr S Dark - Vice-Chairman."
    assert found(blank_nlp, text) == [
        ("COUNCILLOR", "Cllr Fabian Eagle", "Fabian Eagle"),
        ("COUNCILLOR", "Cllr. John Fisher", "John Fisher"),
        ("COUNCILLOR", "Cllr Mike Smith-Clare", "Mike Smith-Clare"),
        ("COUNCILLOR", "Mr S Dark", "S Dark"),
    ]


def test_a_councillor_pattern_stops_at_the_next_title(blank_nlp: Any) -> None:
    labels = found(blank_nlp, "Cllr Tim Adams Cllr David Bills")
    assert [norm for _, _, norm in labels] == ["Tim Adams", "David Bills"]


def test_officer_posts(blank_nlp: Any) -> None:
    text = (
        "The Director of Learning and Inclusion introduced the report. The Assistant Director (Performance, "
        "Planning & Quality Assurance) replied. Sara Tough, Executive Director of Children's Services, and "
        "the Cabinet Member for Adult Social Care, Public Health and Prevention."
    )
    posts = [entity_text for label, entity_text, _ in found(blank_nlp, text) if label == "POST"]
    assert posts == [
        "Director of Learning and Inclusion",
        "Assistant Director (Performance, Planning & Quality Assurance)",
        "Executive Director of Children's Services",
        "Cabinet Member for Adult Social Care, Public Health and Prevention",
    ]
    assert not [e for e in found(blank_nlp, text) if e[0] == "PERSON"]  # the patterns know no one by name
    nlp = create_entity_pipeline(blank=True)  # the paper's own cover names her
    cover = "Responsible Director: Sara Tough, Executive Director of Children's Services"
    add_people(nlp, parse_report_officers(cover))
    assert ("PERSON", "Sara Tough", "Sara Tough") in found(nlp, text)


def test_schools_need_a_name_before_the_type(blank_nlp: Any) -> None:
    text = "Alderman Swindell School, Brancaster Academy and Winterton Primary School; a new Free School."
    assert [e for e in found(blank_nlp, text) if e[0] == "SCHOOL"] == [
        ("SCHOOL", "Alderman Swindell School", "Alderman Swindell School"),
        ("SCHOOL", "Brancaster Academy", "Brancaster Academy"),
        ("SCHOOL", "Winterton Primary School", "Winterton Primary School"),
    ]


def test_bodies_share_a_norm_across_their_names(blank_nlp: Any) -> None:
    text = "the LGSCO (Local Government & Social Care Ombudsman), North Norfolk CCG and Ofsted"
    assert found(blank_nlp, text) == [
        ("ORG", "LGSCO", "Local Government and Social Care Ombudsman"),
        ("ORG", "Local Government & Social Care Ombudsman", "Local Government and Social Care Ombudsman"),
        ("ORG", "North Norfolk CCG", "North Norfolk Clinical Commissioning Group"),
        ("ORG", "Ofsted", "Ofsted"),
    ]


def test_money_keeps_its_surface_as_norm(blank_nlp: Any) -> None:
    text = "£50k, £3.142m, £9m, £1.2 million and £250,000"
    assert [(label, norm) for label, _, norm in found(blank_nlp, text)] == [
        ("MONEY", "£50k"), ("MONEY", "£3.142m"), ("MONEY", "£9m"), ("MONEY", "£1.2 million"), ("MONEY", "£250,000"),
    ]


def test_percentages_counts_and_dates(blank_nlp: Any) -> None:
    text = (
        "37.6% and 53 per cent; 1103 children, 55 pupils in 211 days; 2 Minutes; "
        "on Tuesday, 10 July 2018, in 2020/21."
    )
    assert found(blank_nlp, text) == [
        ("PERCENT", "37.6%", "37.6%"),
        ("PERCENT", "53 per cent", "53 per cent"),
        ("COUNT", "1103 children", "1103 children"),
        ("COUNT", "55 pupils", "55 pupils"),
        ("COUNT", "211 days", "211 days"),
        ("DATE", "Tuesday, 10 July 2018", "Tuesday, 10 July 2018"),
        ("DATE", "2020/21", "2020/21"),
    ]


def test_words_the_model_gets_wrong_yield_no_entity(blank_nlp: Any) -> None:
    assert found(blank_nlp, "The COVID-19 pandemic and Covid recovery. Email: someone") == []


def test_known_people_are_recognised_by_name(blank_nlp: Any) -> None:
    nlp = create_entity_pipeline(blank=True)
    add_people(nlp, [Person("Debbie Olley", "Director of Integrated Care", False),
                     Person("Fabian Eagle", "Chair", True), Person("S Dark", None, True)])
    text = "Debbie Olley and Fabian Eagle spoke."
    assert found(nlp, text) == [
        ("PERSON", "Debbie Olley", "Debbie Olley"), ("COUNCILLOR", "Fabian Eagle", "Fabian Eagle"),
    ]
    assert found(blank_nlp, text) == []


def model_says(nlp: Any, text: str, label: str, start: int, end: int) -> list[Entity]:
    """doc_entities for one entity as if the statistical model had predicted tokens start..end."""
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, start, end, label=label)]
    return doc_entities(doc)


def test_model_people_are_trimmed_to_their_name_words(blank_nlp: Any) -> None:
    (entity,) = model_says(blank_nlp, "Lead: Phil Watson Data: Andy Goff", "PERSON", 2, 5)
    assert (entity.label, entity.text) == ("PERSON", "Phil Watson")
    assert model_says(blank_nlp, "Covid Recovery plans", "PERSON", 0, 2) == []
    assert model_says(blank_nlp, "the Advisory Groups met", "PERSON", 1, 3) == []
    assert model_says(blank_nlp, "Colin said", "PERSON", 0, 1) == []  # one word is not enough


def model_finds(nlp: Any, text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, str]]:
    """(label, text) of doc_entities as if the model had predicted ``spans`` (label, start, end)."""
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, start, end, label=label) for label, start, end in spans]
    return [(entity.label, entity.text) for entity in doc_entities(doc)]


def test_model_people_that_name_places_are_dropped(blank_nlp: Any) -> None:
    listed = "housing for Breckland, Kings Lynn and Norwich"  # beside places the model found
    assert model_finds(blank_nlp, listed, [("GPE", 2, 3), ("PERSON", 4, 6), ("GPE", 7, 8)]) == []
    assert model_finds(blank_nlp, "a hub in Kings Lynn", [("PERSON", 3, 5)]) == []
    bodies = "Swale Borough Council and Medway Council wrote to Medway Swale and Sara Tough"
    spans = [("ORG", 0, 3), ("ORG", 4, 6), ("PERSON", 8, 10), ("PERSON", 11, 13)]
    assert model_finds(blank_nlp, bodies, spans) == [
        ("ORG", "Swale Borough Council"), ("ORG", "Medway Council"), ("PERSON", "Sara Tough"),
    ]


def test_people_beside_people_are_kept(blank_nlp: Any) -> None:
    assert model_finds(blank_nlp, "Sara Tough and James Wilson", [("PERSON", 0, 2), ("PERSON", 3, 5)]) == [
        ("PERSON", "Sara Tough"), ("PERSON", "James Wilson"),
    ]
    # The small model reads some titled names as places ("Mr Hills"); they make no one a place.
    assert model_finds(blank_nlp, "Mr Hills, Mr Bond", [("GPE", 0, 2), ("PERSON", 3, 5)]) == [("PERSON", "Mr Bond")]


def test_general_patterns_name_councils_and_health_bodies(blank_nlp: Any) -> None:
    text = ("Swale Borough Council, NHS Kent and Medway CCG, Suffolk Constabulary and the Kent Safeguarding "
            "Children Partnership")
    assert [(label, norm) for label, _, norm in found(blank_nlp, text)] == [
        ("ORG", "Swale Borough Council"), ("ORG", "Kent and Medway Clinical Commissioning Group"),
        ("ORG", "Suffolk Constabulary"),
        ("ORG", "Kent Safeguarding Children Partnership"),
    ]


def test_model_orgs_must_end_like_a_body(blank_nlp: Any) -> None:
    (entity,) = model_says(blank_nlp, "the Norfolk Youth Justice Board's plan", "ORG", 0, 6)
    assert (entity.text, entity.norm) == ("Norfolk Youth Justice Board", "Norfolk Youth Justice Board")
    assert model_says(blank_nlp, "Financial Implications", "ORG", 0, 2) == []
    assert model_says(blank_nlp, "SEND", "ORG", 0, 1) == []


def test_model_figures_need_a_unit_or_a_symbol(blank_nlp: Any) -> None:
    assert [e.text for e in model_says(blank_nlp, "There were 55 placements", "CARDINAL", 2, 3)] == ["55 placements"]
    assert [e.label for e in model_says(blank_nlp, "There were 55 placements", "CARDINAL", 2, 3)] == ["COUNT"]
    assert model_says(blank_nlp, "Table 55 shows", "CARDINAL", 1, 2) == []
    assert model_says(blank_nlp, "paragraph 3.142 of", "MONEY", 1, 2) == []
    assert [e.text for e in model_says(blank_nlp, "from January to", "DATE", 1, 3)] == ["January"]
    assert model_says(blank_nlp, "annual review", "DATE", 0, 1) == []
    assert model_says(blank_nlp, "in Norwich", "GPE", 1, 2) == []


def test_every_label_is_one_of_ours(blank_nlp: Any) -> None:
    texts = [(CORPUS / "002_66e6f918fce42da5.txt").read_text(encoding="utf-8")]
    labels = {entity.label for entities in extract_entities(blank_nlp, texts) for entity in entities}
    assert labels and labels <= set(LABELS)


@pytest.fixture(scope="module")
def real_entities() -> dict[tuple[str, str], set[str]]:
    """Labels given to each surface text by the real pipeline over three corpus packs, by paragraph,
    taught the people the packs list, as an index build teaches it."""
    nlp = create_entity_pipeline()
    paragraphs: list[str] = []
    people: list[Person] = []
    for name in ("003_6730343735bd187f.txt", "002_66e6f918fce42da5.txt", "000_2015e9705d707e29.txt"):
        paragraphs += [p for p in (CORPUS / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]
        people += document_people(parse_document(load_file(CORPUS / name)))
    add_people(nlp, merge_people(people))
    labels: dict[tuple[str, str], set[str]] = {}
    for entities in extract_entities(nlp, paragraphs, batch_size=128):
        for entity in entities:
            labels.setdefault((entity.label, entity.text), set()).add(entity.norm)
    return labels


@pytest.mark.slow
def test_real_model_fixes_sara_tough_and_finds_money(real_entities: dict[tuple[str, str], set[str]]) -> None:
    assert ("PERSON", "Sara Tough") in real_entities
    assert not any(text == "Sara Tough" for label, text in real_entities if label != "PERSON")
    assert ("MONEY", "£3.142m") in real_entities
    assert not any(label == "PERSON" and "covid" in text.lower() for label, text in real_entities)


@pytest.mark.slow
def test_real_model_finds_2018_schools_and_posts(real_entities: dict[tuple[str, str], set[str]]) -> None:
    schools = ("Winterton Primary School", "Hemsby Primary School", "Alderman Swindell School", "Brancaster Academy")
    for school in schools:
        assert ("SCHOOL", school) in real_entities
    assert ("POST", "Director of Quality and Transformation") in real_entities
    assert ("COUNCILLOR", "Mr S Dark") in real_entities
