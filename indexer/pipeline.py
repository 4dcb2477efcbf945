"""Build or refresh an index: load, parse, embed, extract entities, store, publish."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from indexer.components import Components
from indexer.errors import IndexMismatch, IndexNotFound
from indexer.figures import extract_figures
from indexer.figures.series import group_series
from indexer.loaders import discover_files
from indexer.records import LoadFailure, ParsedDocument, Person
from indexer.runner import LocalRunner, Progress, StageRunner
from indexer.stages import BuildSpec, ReadOutcome, passage_inputs, split_by_document
from indexer.store.layout import MOMENTS, WriteLock, current_generation, new_generation, publish, shard_dirs
from indexer.store.manifest import Manifest, read_manifest, write_manifest
from indexer.store.schema import READER_VERSION, SCHEMA_VERSION
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
    replace_glossary,
    replace_metrics,
    replace_people,
    store_metric_vectors,
)
from indexer.structure.passages import PassageBudget
from models.catalog import FORMER_PRODUCT_MODELS, PRODUCT_MODEL
from models.calibration import VectorMoments, background_for

__all__ = ["BuildReport", "Components", "IndexBuilder", "Progress", "StageRunner"]

log = logging.getLogger(__name__)


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


class IndexBuilder:
    """Builds an index directory incrementally, one crash-safe generation per run.

    The runner reads and parses the files and runs the models (in this process, or on Ray); the
    builder decides what changed and writes every result into the new generation itself.
    """

    def __init__(self, index_dir: Path, components: Components, budget: PassageBudget | None = None,
                 faiss_factory: str = AUTO, context_headers: bool = True, max_bytes: int = 25 * 2**20,
                 chunking: str = "structure", faiss_ivf_min: int = IVF_MIN_VECTORS,
                 runner: StageRunner | None = None) -> None:
        self.index_dir = index_dir
        self.components = components
        self.runner = runner or LocalRunner(components)
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
        if shard_dirs(self.index_dir):  # a CURRENT here would hide every shard from the service
            raise IndexMismatch(f"{self.index_dir} is a collection of shards: index into one of them with "
                                "`qa index PATH --shard NAME`")
        with WriteLock(self.index_dir):
            previous = None if rebuild else self._previous()
            with self.runner.session():
                report = self._update(paths, previous, prune, progress)
            report.seconds = time.perf_counter() - started
            return report

    def _update(self, paths: Sequence[Path], previous: tuple[Path, Manifest] | None, prune: bool,
                progress: Progress) -> BuildReport:
        """Read the files, and write a new generation when any was added, changed or removed."""
        report = BuildReport()
        known = previous[1].documents if previous else {}
        spec = BuildSpec(self.budget, self.chunking, self.context_headers, self.max_bytes)
        loaded, report.failures = _first_of_each(self.runner.read(list(discover_files(paths)), known, spec, progress))
        report.tried = len(loaded) + len(report.failures)
        seen = {o.source_file for o in loaded} | {f.source_file for f in report.failures}
        todo = [o for o in loaded if o.document is not None]
        report.added = [o.source_file for o in todo if o.source_file not in known]
        report.changed = [o.source_file for o in todo if o.source_file in known]
        report.unchanged = len(loaded) - len(todo)
        report.removed = sorted(name for name in known if name not in seen) if prune else []
        if previous and not todo and not report.removed:
            report.documents, report.passages = len(known), previous[1].passages
        else:
            self._write(previous, todo, report, progress)
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
        if manifest.reader_version != READER_VERSION:  # this version reads unchanged papers differently
            log.warning("the index at %s was read by reader version %s, this program's is %s; rebuilding every paper",
                        self.index_dir, manifest.reader_version, READER_VERSION)
            return None
        if manifest.model_setting in FORMER_PRODUCT_MODELS and self.components.model_setting == PRODUCT_MODEL:
            log.warning("the index at %s was built with model '%s', this version's is '%s'; rebuilding every paper",
                        self.index_dir, manifest.model_setting, PRODUCT_MODEL)
            return None
        if manifest.model_setting != self.components.model_setting \
                or manifest.context_headers != self.context_headers or manifest.chunking != self.chunking:
            raise IndexMismatch(
                f"the index at {self.index_dir} was built with model '{manifest.model_setting}' "
                f"(schema {manifest.schema_version}, context headers {manifest.context_headers}, "
                f"chunking {manifest.chunking}); "
                "rebuild it with `qa index --rebuild`")
        return generation, manifest

    def _write(self, previous: tuple[Path, Manifest] | None, todo: list[ReadOutcome], report: BuildReport,
               progress: Progress) -> None:
        work = new_generation(self.index_dir)
        try:
            conn = self._database(work, previous)
            parsed: list[ParsedDocument] = [o.document for o in todo]  # type: ignore[misc]
            people_by_doc = [list(o.people) for o in todo]
            contexts, inputs, texts = [], [], []
            for doc in parsed:
                doc_contexts, doc_inputs, doc_texts = passage_inputs(doc, self.context_headers)
                contexts.append(doc_contexts)
                inputs += doc_inputs
                texts += doc_texts
            found = self.runner.annotate(inputs, texts, self._known_people(conn, people_by_doc), progress) \
                if parsed else None
            report.encode_seconds = found.encode_seconds if found else 0.0
            vectors_by_doc = split_by_document(found.vectors, parsed) if found else []
            entities_by_doc = split_by_document(found.entities, parsed) if found else []
            stale = document_passage_ids(conn, report.changed + report.removed)
            with conn:
                for name in report.changed + report.removed:
                    delete_document(conn, name)
                for doc, doc_contexts, vectors, entities, people in zip(
                        parsed, contexts, vectors_by_doc, entities_by_doc, people_by_doc):
                    # Attendees' initials ("Chris Knighton (CK)") are not acronyms.
                    acronyms = self.components.acronyms(doc.source.text, [p.name for p in people])
                    insert_document(conn, doc, doc_contexts, vectors, entities, people, acronyms, extract_figures(doc))
                    report.embedded += len(doc.passages)
                self._directories(conn, report)
                self._metrics(conn)
            dim = found.dim if found else previous[1].dim  # type: ignore[index]
            model = found.model if found else previous[1].model  # type: ignore[index]
            vectors, sample = refresh_faiss(conn, previous, stale, [doc.source.source_file for doc in parsed], dim,
                                            self.faiss_factory, self.faiss_ivf_min)
            save_faiss(vectors.index, work)
            moments = VectorMoments.of(sample)  # a collection of shards adds these up (indexer.store.collection)
            moments.save(work / MOMENTS)
            documents = dict(conn.execute("SELECT source_file, sha256 FROM documents").fetchall())
            report.entities = dict(conn.execute(
                "SELECT e.label, COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity_id GROUP BY e.label"))
            conn.close()
            write_manifest(work, Manifest(
                schema_version=SCHEMA_VERSION, model=model, dim=dim, normalized=True,
                context_headers=self.context_headers, faiss_factory=vectors.factory,
                built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), documents=documents,
                passages=vectors.index.ntotal, model_setting=self.components.model_setting,
                chunking=self.chunking, cosine_background=_background(model, moments),
                faiss_setting=self.faiss_factory, faiss_nprobe=vectors.nprobe, faiss_trained_on=vectors.trained_on,
                reader_version=READER_VERSION))
            report.documents, report.passages = len(documents), vectors.index.ntotal
            publish(self.index_dir, work)
            report.published = True
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise

    def _database(self, work: Path, previous: tuple[Path, Manifest] | None) -> sqlite3.Connection:
        if previous is not None:
            source = previous[0] / DATABASE
            if any(source.with_name(source.name + suffix).exists() for suffix in ("-journal", "-wal")):
                # not as a publish leaves it: let SQLite copy what it would read
                reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
                target = sqlite3.connect(work / DATABASE)
                reader.backup(target)
                reader.close()
                target.close()
            else:
                # A published generation's database is never written again and has no journal, so the file is
                # the database: copied in the kernel (3.8 GB at 1M passages: 3.4 s, against 16.6 s through
                # SQLite's backup API).
                shutil.copyfile(source, work / DATABASE)
        return open_database(work / DATABASE)

    def _known_people(self, conn: sqlite3.Connection, people_by_doc: list[list[Person]]) -> list[Person] | None:
        """People listed in the papers (already indexed or new), for entity extraction to know by name."""
        if self.components.learn_people is None:
            return None
        known = [person for person, _ in document_people(conn)] + [p for people in people_by_doc for p in people]
        return self.components.merge_people(known)

    def _metrics(self, conn: sqlite3.Connection) -> None:
        """Regroup every figure's metric into series; names new to the index are embedded once."""
        stats = metric_keys(conn)
        vectors = metric_vectors(conn, [s.key for s in stats])
        missing = sorted({s.key for s in stats} - set(vectors))
        if missing:
            names = {s.key: s.name for s in stats}
            encoded = self.runner.encode_queries([names[key] for key in missing])
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


def _first_of_each(outcomes: Sequence[ReadOutcome]) -> tuple[list[ReadOutcome], list[LoadFailure]]:
    """The papers read, the first of each name where two paths give one, and every failure, in order."""
    loaded: dict[str, ReadOutcome] = {}
    failures = []
    for outcome in outcomes:
        if outcome.failure is not None:
            failures.append(outcome.failure)
        else:
            loaded.setdefault(outcome.source_file, outcome)
    return list(loaded.values()), failures


def _background(model: str, moments: VectorMoments) -> dict[str, float] | None:
    background = background_for(model, moments)
    return asdict(background) if background else None
