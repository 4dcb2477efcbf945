"""A collection of shards read as one index: every shard's live generation, ids that say which shard.

Each shard is an ordinary index directory under ``<collection>/shards/<name>`` (one council, or a
council and year), built and published on its own by ``qa index --shard NAME``. A
``CollectionReader`` opens every shard's live generation and answers what an ``IndexReader``
answers, over all of them: a record's id is its shard's number times ``STRIDE`` plus its id in the
shard, so ids from different shards never meet and each read goes to the one shard that holds it.

What a search needs of the whole index is added up over the shards, so that the collection ranks
as one index of the same papers would: passages per word (the rarity the second stage weighs) and
the vectors' moments (the cosine background the relevance floor counts in).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from indexer.errors import IndexMismatch, IndexNotFound
from indexer.store.layout import MOMENTS, shard_dirs
from indexer.store.manifest import Manifest
from indexer.store.reader import IndexReader
from indexer.store.rows import DocumentOutline, DocumentSummary, EntitySummary, StoredFigure, StoredMetric
from indexer.store.rows import StoredPassage, StoredPerson
from models.calibration import VectorMoments, background_for
from models.records import GlossaryEntry

STRIDE = 1 << 40  # ids per shard: a shard's record ids stay below it, and ids stay exact in JSON


@dataclass(frozen=True)
class Shard:
    """One shard as a search sees it: its reader, and what its local ids are offset by."""

    name: str
    reader: IndexReader
    base: int

    def glob(self, local: int) -> int:
        return self.base + local

    def passage(self, passage: StoredPassage) -> StoredPassage:
        return passage if not self.base else replace(passage, id=self.base + passage.id,
                                                     document_id=self.base + passage.document_id)


def single_shard(reader: IndexReader) -> list[Shard]:
    """A single index as a collection of one shard (ids unchanged)."""
    return [Shard("", reader, 0)]


def open_reader(index_dir: Path) -> IndexReader | CollectionReader:
    """The reader for ``index_dir``: a collection when it holds shards, else a single index."""
    return CollectionReader(index_dir) if shard_dirs(index_dir) else IndexReader(index_dir)


class CollectionReader:
    """A consistent, read-only view of every shard of a collection (each pinned as ``IndexReader`` pins)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        found = shard_dirs(index_dir)
        if not found:
            raise IndexNotFound(f"no shards at {index_dir}: run `qa index --shard NAME` to build one")
        self.shards: list[Shard] = []
        try:
            for number, (name, path) in enumerate(found):
                self.shards.append(Shard(name, IndexReader(path), number * STRIDE))
            self.manifest = self._manifest()
        except BaseException:
            self.close()
            raise
        self.pointer = ";".join(f"{s.name}/{s.reader.generation.name}" for s in self.shards)

    def _manifest(self) -> Manifest:
        manifests = [s.reader.manifest for s in self.shards]
        first = manifests[0]
        for shard, manifest in zip(self.shards, manifests):
            if (manifest.model_setting, manifest.dim, manifest.context_headers, manifest.schema_version) != \
                    (first.model_setting, first.dim, first.context_headers, first.schema_version):
                raise IndexMismatch(
                    f"shard '{shard.name}' was built with model '{manifest.model_setting}' (dim {manifest.dim}), "
                    f"shard '{self.shards[0].name}' with '{first.model_setting}' (dim {first.dim}): rebuild one "
                    "with `qa index --shard NAME --rebuild`")
        documents: dict[str, str] = {}
        for manifest in manifests:
            documents.update(manifest.documents)
        moments = self.moments()
        background = background_for(first.model, moments) if moments else None
        return replace(first, built_at=max(m.built_at for m in manifests), documents=documents,
                       passages=sum(m.passages for m in manifests),
                       faiss_factory=", ".join(dict.fromkeys(m.faiss_factory for m in manifests)),
                       cosine_background={"mean": background.mean, "std": background.std,
                                          "pairs": background.pairs} if background else None)

    def moments(self) -> VectorMoments | None:
        """The shards' vector moments added up; None when a shard has none stored (built before them)."""
        total = None
        for shard in self.shards:
            path = shard.reader.generation / MOMENTS
            if not path.is_file():
                return None
            moments = VectorMoments.load(path)
            total = moments if total is None else total + moments
        return total

    def close(self) -> None:
        for shard in self.shards:
            shard.reader.close()

    def __enter__(self) -> CollectionReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _shard(self, global_id: int) -> tuple[Shard, int] | None:
        number, local = divmod(global_id, STRIDE)
        if global_id < 0 or number >= len(self.shards):
            return None
        return self.shards[number], local

    def _by_shard(self, ids: Iterable[int]) -> dict[int, tuple[Shard, list[int]]]:
        grouped: dict[int, tuple[Shard, list[int]]] = {}
        for global_id in ids:
            found = self._shard(global_id)
            if found:
                grouped.setdefault(found[0].base, (found[0], []))[1].append(found[1])
        return grouped

    # Passages ----------------------------------------------------------------

    def passages(self, ids: Sequence[int]) -> dict[int, StoredPassage]:
        found: dict[int, StoredPassage] = {}
        for shard, local in self._by_shard(ids).values():
            for passage in shard.reader.passages(local).values():
                found[shard.glob(passage.id)] = shard.passage(passage)
        return found

    def passage(self, passage_id: int) -> StoredPassage | None:
        return self.passages([passage_id]).get(passage_id)

    def passages_around(self, passage: StoredPassage, context: int) -> list[StoredPassage]:
        found = self._shard(passage.id)
        if found is None:
            return []
        shard, local = found
        own = replace(passage, id=local, document_id=passage.document_id - shard.base)
        return [shard.passage(p) for p in shard.reader.passages_around(own, context)]

    def passages_with_fingerprints(self, fingerprints: Sequence[str]) -> list[StoredPassage]:
        return [shard.passage(p) for shard in self.shards for p in shard.reader.passages_with_fingerprints(fingerprints)]

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        return _summed(shard.reader.document_frequencies(terms) for shard in self.shards)

    def term_counts(self, terms: Sequence[str]) -> dict[str, int]:
        return _summed(shard.reader.term_counts(terms) for shard in self.shards)

    def boilerplate_ids(self) -> list[int]:
        return [shard.glob(i) for shard in self.shards for i in shard.reader.boilerplate_ids()]

    def all_vectors(self, limit: int = 5000) -> np.ndarray:
        parts = [shard.reader.all_vectors(limit) for shard in self.shards]
        return np.concatenate(parts)[:limit]

    # Documents ---------------------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        found = [replace(d, id=shard.glob(d.id)) for shard in self.shards for d in shard.reader.documents()]
        return sorted(found, key=lambda d: (d.meeting_date is not None, d.meeting_date or "", d.source_file))

    def document(self, document_id: int) -> DocumentOutline | None:
        found = self._shard(document_id)
        outline = found[0].reader.document(found[1]) if found else None
        if outline is None or found is None:
            return None
        shard = found[0]
        parts = tuple(replace(part, id=shard.glob(part.id), sections=tuple(
            replace(s, first_passage_id=None if s.first_passage_id is None else shard.glob(s.first_passage_id))
            for s in part.sections)) for part in outline.parts)
        return replace(outline, id=document_id, parts=parts)

    # Directories -------------------------------------------------------------

    def entities(self, label: str | None, query: str | None, limit: int) -> list[EntitySummary]:
        """Entities over every shard; one printed in several shards is listed once, its mentions added."""
        merged: dict[tuple[str, str], EntitySummary] = {}
        for shard in self.shards:
            for entity in shard.reader.entities(label, query, limit):
                key = (entity.label, entity.name)
                seen = merged.get(key)
                merged[key] = replace(entity, id=shard.glob(entity.id)) if seen is None else \
                    replace(seen, mentions=seen.mentions + entity.mentions)
        return sorted(merged.values(), key=lambda e: (-e.mentions, e.name))[:limit]

    def _same_entity(self, entity_id: int) -> list[tuple[Shard, EntitySummary]]:
        """The entity and the same name and label in the other shards."""
        found = self._shard(entity_id)
        own = found[0].reader.entity(found[1]) if found else None
        if own is None or found is None:
            return []
        summary = own[0]
        same = [(found[0], summary)]
        for shard in self.shards:
            if shard is not found[0]:
                same += [(shard, e) for e in shard.reader.entities(summary.label, summary.name, 50)
                         if e.name == summary.name]
        return same

    def entity_locals(self, entity_id: int) -> dict[int, int]:
        """Per shard (by its id base), the id this entity, or the same name and label, has there."""
        return {shard.base: entity.id for shard, entity in self._same_entity(entity_id)}

    def entity(self, entity_id: int) -> tuple[EntitySummary, list[StoredPassage]] | None:
        same = self._same_entity(entity_id)
        if not same:
            return None
        summary = replace(same[0][1], id=entity_id, mentions=sum(e.mentions for _, e in same))
        return summary, self._mentions(same, 100)

    def entity_mentions(self, entity_id: int, limit: int = 100) -> list[StoredPassage]:
        return self._mentions(self._same_entity(entity_id), limit)

    @staticmethod
    def _mentions(same: list[tuple[Shard, EntitySummary]], limit: int) -> list[StoredPassage]:
        passages = [shard.passage(p) for shard, e in same for p in shard.reader.entity_mentions(e.id, limit)]
        return sorted(passages, key=lambda p: (p.meeting_date or "", p.id))[:limit]

    def people(self) -> list[StoredPerson]:
        """Everyone the shards' papers list; a name listed in several shards is one person."""
        merged: dict[str, StoredPerson] = {}
        for shard in self.shards:
            for person in shard.reader.people():
                seen = merged.get(person.name)
                merged[person.name] = replace(person, id=shard.glob(person.id)) if seen is None else replace(
                    seen, role=seen.role or person.role, is_councillor=seen.is_councillor or person.is_councillor,
                    meetings=tuple(sorted(set(seen.meetings) | set(person.meetings))),
                    documents=tuple(sorted(set(seen.documents) | set(person.documents))))
        return [merged[name] for name in sorted(merged)]

    def glossary(self) -> list[GlossaryEntry]:
        """Every shard's acronyms, once each, in the order one index's ``glossary()`` gives them."""
        entries: dict[tuple[str, str], GlossaryEntry] = {}
        for shard in self.shards:
            for entry in shard.reader.glossary():
                entries.setdefault((entry.acronym, entry.long_form), entry)
        return sorted(entries.values(), key=lambda e: (e.acronym, e.long_form, e.source))

    # Figures -----------------------------------------------------------------

    def metrics(self) -> list[StoredMetric]:
        found = [replace(m, id=shard.glob(m.id)) for shard in self.shards for m in shard.reader.metrics()]
        return sorted(found, key=lambda m: (-m.documents, -m.figures, m.name))

    def metric_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        ids, vectors = zip(*[(ids + shard.base, matrix) for shard in self.shards
                             for ids, matrix in [shard.reader.metric_matrix()]])
        return np.concatenate(ids), np.concatenate(vectors)

    def figures(self, metric_ids: Sequence[int] = (), date_from: str | None = None, date_to: str | None = None,
                council: str | None = None, roles: Sequence[str] = ("value",), limit: int = 500) -> list[StoredFigure]:
        wanted = self._by_shard(metric_ids) if metric_ids else {s.base: (s, []) for s in self.shards}
        found = self._global_figures((shard, shard.reader.figures(local, date_from, date_to, council, roles, limit))
                                     for shard, local in wanted.values())
        found.sort(key=lambda f: (f.period_end or f.period_start or f.meeting_date or "", f.meeting_date or "", f.id))
        return found[:limit]

    def figures_in_passages(self, passage_ids: Sequence[int], roles: Sequence[str] = ("value",),
                            limit: int = 2000) -> list[StoredFigure]:
        return self._global_figures((shard, shard.reader.figures_in_passages(local, roles, limit))
                                    for shard, local in self._by_shard(passage_ids).values())[:limit]

    @staticmethod
    def _global_figures(found: Iterable[tuple[Shard, list[StoredFigure]]]) -> list[StoredFigure]:
        return [replace(f, id=shard.glob(f.id), passage_id=shard.glob(f.passage_id), document_id=shard.glob(f.document_id))
                for shard, figures in found for f in figures]

    def metric_key_vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for shard in self.shards:  # one model for every shard: a key's vector is the same in each
            found.update(shard.reader.metric_key_vectors([key for key in keys if key not in found]))
        return found

    # Checks ------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        return [f"shard '{shard.name}': {problem}" for shard in self.shards
                for problem in shard.reader.integrity_problems()]


def _summed(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for found in counts:
        for key, value in found.items():
            total[key] = total.get(key, 0) + value
    return total
