"""The models an index build uses, behind one record, and the production ones created from the settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from indexer.glossary import mine_acronyms
from indexer.people import document_people, merge_people
from indexer.records import ParsedDocument, Person
from indexer.settings import IndexSettings
from models.catalog import PRODUCT_MODEL
from models.embedder import Embedder, create_embedder
from models.entities import add_people, create_entity_pipeline, extract_entities
from models.glossary import load_curated
from models.names import normalise_name
from models.onnx_embedder import passage_embedder
from models.records import Entity, GlossaryEntry
from models.tokens import create_token_counter


@dataclass
class Components:
    """The models a build needs, created only when there is something to embed.

    Attributes:
        embedder: Factory for the Embedder (loading a model takes seconds).
        count_tokens: Word-piece counter for sizing passages.
        extract_entities: Entities for each text (offsets into that text).
        people: People named in one document's attendance lists.
        acronyms: Acronyms defined in one document's text, given the names of its people.
        curated_glossary: The curated glossary shipped with the models.
        merge_people: Merges the same person found in several places.
        normalise_name: "Cllr Fabian Eagle" -> "Fabian Eagle".
        model_setting: The model setting as given, recorded in the manifest.
        learn_people: Teaches entity extraction the people the papers list, before it reads them
            (None: extraction knows no one in particular).
    """

    embedder: Callable[[], object]
    count_tokens: Callable[[str], int]
    extract_entities: Callable[[Sequence[str]], list[list[Entity]]]
    people: Callable[[ParsedDocument], list[Person]]
    acronyms: Callable[[str, Sequence[str]], list[GlossaryEntry]]
    curated_glossary: Callable[[], list[GlossaryEntry]]
    merge_people: Callable[[Iterable[Person]], list[Person]]
    normalise_name: Callable[[str], str]
    model_setting: str = PRODUCT_MODEL
    learn_people: Callable[[Sequence[Person]], None] | None = None


def _lazy_entities(
    settings: IndexSettings,
) -> tuple[Callable[[Sequence[str]], list[list[Entity]]], Callable[[Sequence[Person]], None]]:
    """Load spaCy only when a build has papers to read; teach it each listed person once."""
    state: dict[str, object] = {}
    taught: set[str] = set()

    def pipeline() -> object:
        if "nlp" not in state:
            state["nlp"] = create_entity_pipeline(settings.spacy_model)
        return state["nlp"]

    def extract(texts: Sequence[str]) -> list[list[Entity]]:
        return extract_entities(pipeline(), texts)  # type: ignore[arg-type]

    def learn(people: Sequence[Person]) -> None:
        new = [person for person in people if person.name not in taught]
        taught.update(person.name for person in new)
        add_people(pipeline(), new)  # type: ignore[arg-type]

    return extract, learn


def create_passage_embedder(settings: IndexSettings, device: str = "cpu") -> Embedder:
    """The settings' embedder; ``device`` names a GPU for a distributed build's GPU workers."""
    if settings.embedding_backend == "sentence-transformers":
        return cast(Embedder, passage_embedder(settings.passage_backend, settings.embedding_model,
                                               settings.precision, device))
    placement = {} if device == "cpu" else {"device": device}
    return create_embedder(settings.embedding_backend, model=settings.embedding_model,
                           precision=settings.precision, **placement)


def create_components(settings: IndexSettings) -> Components:
    """The production models: sentence-transformers, the model's tokenizer, spaCy."""
    counter = create_token_counter(settings.embedding_model)
    extract, learn = _lazy_entities(settings)
    return Components(
        embedder=lambda: create_passage_embedder(settings),
        count_tokens=counter.count,
        extract_entities=extract,
        people=document_people,
        acronyms=mine_acronyms,
        curated_glossary=load_curated,
        merge_people=merge_people,
        normalise_name=normalise_name,
        model_setting=settings.embedding_model,
        learn_people=learn,
    )
