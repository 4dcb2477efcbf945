"""Build or refresh an index: load, parse, embed, extract entities, store, publish."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from indexer.context import embedding_input
from indexer.errors import IndexMismatch, IndexNotFound
from indexer.figures import extract_figures
from indexer.figures.series import group_series
from indexer.loaders import load_paths
from indexer.records import LoadFailure, ParsedDocument, Person, SourceText
from indexer.store.layout import WriteLock, current_generation, new_generation, publish
from indexer.store.manifest import Manifest, read_manifest, write_manifest
from indexer.store.schema import SCHEMA_VERSION
from indexer.store.vector_update import document_passage_ids, refresh_faiss
from indexer.store.vectors import AUTO, IVF_MIN_VECTORS, save_faiss
from indexer.store.writer import (
    DATABASE,
    delete_document,
    document_acronyms,
    document_people,
    insert_document,
    metric_keys,
    metric_vectors,
    open_database,
    passage_contexts,
    replace_glossary,
    replace_metrics,
    replace_people,
    store_metric_vectors,
)
from indexer.structure import parse_document
from indexer.structure.naive import parse_naive
from indexer.structure.passages import PassageBudget
from indexer.structure.text import blank_markup
from models.calibration import index_background
from models.records import Entity, GlossaryEntry

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


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
    model_setting: str = "default"
    learn_people: Callable[[Sequence[Person]], None] | None = None


@dataclass
class BuildReport:
    """What a run did, for the summary and the exit code."""

    tried: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)
    documents: int = 0
    passages: int = 0
    embedded: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    people: int = 0
    seconds: float = 0.0
    encode_seconds: float = 0.0
    published: bool = False

    @property
    def passages_per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds else 0.0


def _load(paths: Sequence[Path], max_bytes: int) -> tuple[list[SourceText], list[LoadFailure]]:
    sources: dict[str, SourceText] = {}
    failures: list[LoadFailure] = []
    for path in paths:
        root = path if path.is_dir() else path.parent
        loaded, failed = load_paths([path], root=root, max_bytes=max_bytes)
        for source in loaded:
            sources.setdefault(source.source_file, source)
        failures.extend(failed)
    return list(sources.values()), failures


class IndexBuilder:
    """Builds an index directory incrementally, one crash-safe generation per run."""

    def __init__(self, index_dir: Path, components: Components, budget: PassageBudget | None = None,
                 faiss_factory: str = AUTO, context_headers: bool = True, max_bytes: int = 25 * 2**20,
                 chunking: str = "structure", faiss_ivf_min: int = IVF_MIN_VECTORS) -> None:
        self.index_dir = index_dir
        self.components = components
        self.budget = budget or PassageBudget()
        self.faiss_factory = faiss_factory
        self.faiss_ivf_min = faiss_ivf_min
        self.context_headers = context_headers
        self.max_bytes = max_bytes
        self.chunking = chunking

    def run(self, paths: Sequence[Path], prune: bool = False, rebuild: bool = False,
            progress: Progress | None = None) -> BuildReport:
        """Index ``paths`` (files or folders). Unchanged files cost a hash, nothing more."""
        started = time.perf_counter()
        progress = progress or (lambda stage, done, total: None)
        with WriteLock(self.index_dir):
            report = BuildReport()
            sources, report.failures = _load(paths, self.max_bytes)
            report.tried = len(sources) + len(report.failures)
            previous = None if rebuild else self._previous()
            known = previous[1].documents if previous else {}
            seen = {s.source_file for s in sources} | {f.source_file for f in report.failures}
            todo = [s for s in sources if known.get(s.source_file) != s.sha256]
            report.added = [s.source_file for s in todo if s.source_file not in known]
            report.changed = [s.source_file for s in todo if s.source_file in known]
            report.unchanged = len(sources) - len(todo)
            report.removed = sorted(name for name in known if name not in seen) if prune else []
            if previous and not todo and not report.removed:
                report.documents, report.passages = len(known), previous[1].passages
                report.seconds = time.perf_counter() - started
                return report
            self._write(previous, todo, report, progress)
            report.seconds = time.perf_counter() - started
            return report

    def _previous(self) -> tuple[Path, Manifest] | None:
        try:
            generation = current_generation(self.index_dir)
        except IndexNotFound:
            return None
        manifest = read_manifest(generation)
        if manifest.schema_version != SCHEMA_VERSION:  # written by an older version of this program
            log.warning("the index at %s has schema %s, this program writes %s; rebuilding every paper",
                        self.index_dir, manifest.schema_version, SCHEMA_VERSION)
            return None
        if manifest.model_setting != self.components.model_setting \
                or manifest.context_headers != self.context_headers or manifest.chunking != self.chunking:
            raise IndexMismatch(
                f"the index at {self.index_dir} was built with model '{manifest.model_setting}' "
                f"(schema {manifest.schema_version}, context headers {manifest.context_headers}, "
                f"chunking {manifest.chunking}); "
                "rebuild it with `qa index --rebuild`")
        return generation, manifest

    def _write(self, previous: tuple[Path, Manifest] | None, todo: list[SourceText], report: BuildReport,
               progress: Progress) -> None:
        work = new_generation(self.index_dir)
        try:
            conn = self._database(work, previous)
            parsed = []
            for done, source in enumerate(todo, 1):
                parsed.append(parse_naive(source) if self.chunking == "naive"
                              else parse_document(source, self.components.count_tokens, self.budget))
                progress("parse", done, len(todo))
            embedder = self.components.embedder() if parsed else None
            encode_started = time.perf_counter()
            vectors_by_doc = self._embed(embedder, parsed, progress)
            report.encode_seconds = time.perf_counter() - encode_started
            people_by_doc = [self.components.people(doc) for doc in parsed]
            self._learn_people(conn, people_by_doc)
            entities_by_doc = self._entities(parsed, progress)
            stale = document_passage_ids(conn, report.changed + report.removed)
            with conn:
                for name in report.changed + report.removed:
                    delete_document(conn, name)
                for doc, (contexts, vectors), entities, people in zip(
                        parsed, vectors_by_doc, entities_by_doc, people_by_doc):
                    # Attendees' initials ("Chris Knighton (CK)") are not acronyms.
                    acronyms = self.components.acronyms(doc.source.text, [p.name for p in people])
                    insert_document(conn, doc, contexts, vectors, entities, people, acronyms, extract_figures(doc))
                    report.embedded += len(doc.passages)
                self._directories(conn, report)
                self._metrics(conn, embedder)
            dim = embedder.dim if embedder is not None else previous[1].dim  # type: ignore[union-attr]
            model = embedder.name if embedder is not None else previous[1].model  # type: ignore[union-attr]
            vectors, sample = refresh_faiss(conn, previous, stale, [doc.source.source_file for doc in parsed], dim,
                                            self.faiss_factory, self.faiss_ivf_min)
            save_faiss(vectors.index, work)
            documents = dict(conn.execute("SELECT source_file, sha256 FROM documents").fetchall())
            report.entities = dict(conn.execute(
                "SELECT e.label, COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity_id GROUP BY e.label"))
            conn.close()
            write_manifest(work, Manifest(
                schema_version=SCHEMA_VERSION, model=model, dim=dim, normalized=True,
                context_headers=self.context_headers, faiss_factory=vectors.factory,
                built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), documents=documents,
                passages=vectors.index.ntotal, model_setting=self.components.model_setting,
                chunking=self.chunking, cosine_background=_background(model, sample),
                faiss_setting=self.faiss_factory, faiss_nprobe=vectors.nprobe, faiss_trained_on=vectors.trained_on))
            report.documents, report.passages = len(documents), vectors.index.ntotal
            publish(self.index_dir, work)
            report.published = True
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise

    def _database(self, work: Path, previous: tuple[Path, Manifest] | None) -> sqlite3.Connection:
        conn = open_database(work / DATABASE) if previous is None else None
        if previous is not None:
            source = sqlite3.connect(f"file:{previous[0] / DATABASE}?mode=ro", uri=True)
            target = sqlite3.connect(work / DATABASE)
            source.backup(target)
            source.close()
            target.close()
            conn = open_database(work / DATABASE)
        return conn  # type: ignore[return-value]

    def _embed(self, embedder: object, parsed: list[ParsedDocument], progress: Progress) -> list[tuple[list[str], np.ndarray]]:
        contexts = [passage_contexts(doc) for doc in parsed]
        inputs = [embedding_input(c, p, self.context_headers) for doc, cs in zip(parsed, contexts)
                  for c, p in zip(cs, doc.passages)]
        progress("embed", 0, len(inputs))
        vectors = embedder.encode_passages(inputs, show_progress=False) if inputs else np.zeros((0, 1))  # type: ignore[attr-defined]
        progress("embed", len(inputs), len(inputs))
        out, offset = [], 0
        for doc, cs in zip(parsed, contexts):
            out.append((cs, vectors[offset:offset + len(doc.passages)]))
            offset += len(doc.passages)
        return out

    def _learn_people(self, conn: sqlite3.Connection, people_by_doc: list[list[Person]]) -> None:
        """People listed in the papers (already indexed or new) become names entity extraction knows."""
        if self.components.learn_people is None or not people_by_doc:
            return
        known = [person for person, _ in document_people(conn)] + [p for people in people_by_doc for p in people]
        self.components.learn_people(self.components.merge_people(known))

    def _entities(self, parsed: list[ParsedDocument], progress: Progress) -> list[list[list[Entity]]]:
        texts = [blank_markup(p.text) for doc in parsed for p in doc.passages]
        found = self.components.extract_entities(texts) if texts else []
        progress("entities", len(texts), len(texts))
        out, offset = [], 0
        for doc in parsed:
            out.append(found[offset:offset + len(doc.passages)])
            offset += len(doc.passages)
        return out

    def _metrics(self, conn: sqlite3.Connection, embedder: object | None) -> None:
        """Regroup every figure's metric into series; names new to the index are embedded once."""
        stats = metric_keys(conn)
        vectors = metric_vectors(conn, [s.key for s in stats])
        missing = sorted({s.key for s in stats} - set(vectors))
        if missing and embedder is None:
            embedder = self.components.embedder()
        if missing:
            names = {s.key: s.name for s in stats}
            encoded = embedder.encode_queries([names[key] for key in missing])  # type: ignore[attr-defined]
            fresh = dict(zip(missing, np.asarray(encoded, dtype=np.float32)))
            store_metric_vectors(conn, fresh)
            vectors.update(fresh)
        replace_metrics(conn, group_series(stats, vectors))

    def _directories(self, conn: sqlite3.Connection, report: BuildReport) -> None:
        """Recompute the people directory and glossary over every document in the index."""
        found = document_people(conn)
        files: dict[str, set[str]] = {}
        for person, source_file in found:
            files.setdefault(self.components.normalise_name(person.name), set()).add(source_file)
        merged = self.components.merge_people(person for person, _ in found)
        replace_people(conn, ((p, sorted(files.get(self.components.normalise_name(p.name), ()))) for p in merged))
        replace_glossary(conn, self.components.curated_glossary() + document_acronyms(conn))
        report.people = len(merged)


def _background(model: str, vectors: np.ndarray) -> dict[str, float] | None:
    background = index_background(model, vectors)
    return asdict(background) if background else None
