"""Wire the real models into an index build, from the settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from indexer.glossary import mine_acronyms
from indexer.structure.passages import PassageBudget
from indexer.people import document_people, merge_people
from indexer.pipeline import BuildReport, Components, IndexBuilder, Progress
from indexer.records import Person
from indexer.settings import IndexSettings
from models.embedder import create_embedder
from models.entities import add_people, create_entity_pipeline, extract_entities
from models.glossary import load_curated
from models.names import normalise_name
from models.records import Entity
from models.tokens import create_token_counter


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


def create_components(settings: IndexSettings) -> Components:
    """The production models: sentence-transformers, the model's tokenizer, spaCy."""
    counter = create_token_counter(settings.embedding_model)
    extract, learn = _lazy_entities(settings)
    return Components(
        embedder=lambda: create_embedder(settings.embedding_backend, model=settings.embedding_model,
                                         precision=settings.precision),
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


def create_builder(settings: IndexSettings, components: Components | None = None) -> IndexBuilder:
    """An IndexBuilder for the settings' index directory."""
    return IndexBuilder(
        settings.index_dir, components or create_components(settings),
        budget=PassageBudget(max_tokens=settings.passage_max_tokens, max_chars=settings.passage_max_chars),
        faiss_factory=settings.faiss_factory, context_headers=settings.context_headers,
        max_bytes=int(settings.max_file_mb * 2**20), chunking=settings.chunking)


def build_index(paths: Sequence[Path], settings: IndexSettings, prune: bool = False, rebuild: bool = False,
                progress: Progress | None = None) -> BuildReport:
    """Build or refresh the index of ``paths`` with the production models."""
    return create_builder(settings).run(paths, prune=prune, rebuild=rebuild, progress=progress)
