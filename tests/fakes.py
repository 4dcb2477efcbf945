"""Fake models for fast tests: a keyword embedder, regex entities, simple people and glossary."""

from __future__ import annotations

import re

from indexer.pipeline import Components
from indexer.records import Person
from models.records import Entity, GlossaryEntry
from models.tokens import approximate_token_count
from models.embedder import KeywordEmbedder

VOCABULARY = ("ehcp", "budget", "obesity", "care", "children", "transport", "apologies", "education", "plan", "timeliness", "looked", "fund")


def fake_entities(texts):
    return [[Entity("MONEY", m.group(0), m.group(0), m.start(), m.end()) for m in re.finditer(r"£[\d.,]+m?", t)]
            for t in texts]


def fake_people(doc):
    return [Person("Fabian Eagle", "Chair", True, (doc.meeting.meeting_date or "",))] if "Eagle" in doc.source.text else []


def fake_components(model="keyword") -> Components:
    return Components(
        embedder=lambda: KeywordEmbedder(VOCABULARY, name=model),
        count_tokens=approximate_token_count,
        extract_entities=fake_entities,
        people=fake_people,
        acronyms=lambda text, people=(): [GlossaryEntry(m.group(2), m.group(1).strip(), "corpus")
                               for m in re.finditer(r"((?:[A-Z][a-z]+,? (?:and )?){2,5})\(([A-Z]{2,6})\)", text)],
        curated_glossary=lambda: [GlossaryEntry("LAC", "looked after children", "curated")],
        merge_people=lambda people: list({p.name: p for p in people}.values()),
        normalise_name=lambda name: name.replace("Cllr ", ""),
        model_setting=model,
    )
