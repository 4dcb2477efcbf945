"""Open the live index generation read-only (SQLite, FAISS and manifest together) and read records from it."""

from __future__ import annotations

import json
import sqlite3
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import numpy as np

from indexer.errors import IndexCorrupt
from indexer.records import AgendaEntry, ParagraphSpan
from indexer.store.figures import FigureReads
from indexer.store.layout import GenerationHold, current_generation
from indexer.store.manifest import Manifest, read_manifest
from indexer.store.rows import (
    DocumentOutline,
    DocumentSummary,
    EntitySummary,
    StoredPart,
    StoredPassage,
    StoredPerson,
    StoredSection,
)
from indexer.store.vectors import load_faiss
from indexer.store.writer import DATABASE
from models.records import GlossaryEntry

# A passage joined with its document and part: the tables every passage query reads.
PASSAGE_JOIN = "passages p JOIN documents d ON d.id = p.document_id JOIN parts pt ON pt.id = p.part_id"
# The same join read paper first (CROSS JOIN fixes SQLite's order): for a condition on the papers alone
# (a council, a committee), their passages are reached through passages_document, not by reading all.
PAPER_FIRST_JOIN = "documents d CROSS JOIN passages p ON p.document_id = d.id JOIN parts pt ON pt.id = p.part_id"
_PASSAGE_COLUMNS = (
    "p.id, p.document_id, p.ordinal, d.source_file, d.title, d.body,"
    " COALESCE(pt.meeting_date, d.meeting_date) AS meeting_date, d.kind AS document_kind, pt.kind AS part_kind,"
    " pt.item_number, pt.title AS part_title, p.section_path_json, p.paragraph_nos_json, p.page, p.char_start,"
    " p.char_end, p.text, p.header, p.context, p.vector, p.fingerprint, p.paragraph_spans_json")
_SELECT_PASSAGES = f"SELECT {_PASSAGE_COLUMNS} FROM {PASSAGE_JOIN}"


def _passage(row: sqlite3.Row) -> StoredPassage:
    return StoredPassage(
        id=row["id"], document_id=row["document_id"], ordinal=row["ordinal"], source_file=row["source_file"],
        title=row["title"], body=row["body"], meeting_date=row["meeting_date"], document_kind=row["document_kind"],
        part_kind=row["part_kind"], item_number=row["item_number"], part_title=row["part_title"],
        section_path=tuple(json.loads(row["section_path_json"])),
        paragraph_nos=tuple(json.loads(row["paragraph_nos_json"])), page=row["page"],
        char_start=row["char_start"], char_end=row["char_end"], text=row["text"], header=row["header"],
        context=row["context"], vector=row["vector"], fingerprint=row["fingerprint"],
        paragraph_spans=tuple(ParagraphSpan(*span) for span in json.loads(row["paragraph_spans_json"])))


def _placeholders(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class IndexReader(FigureReads):
    """A consistent, read-only view of one index generation.

    The generation is pinned when the reader opens, so a build that publishes a
    new generation meanwhile does not change what this reader sees, and held
    (``GenerationHold``) until ``close``, so a build does not delete it either.
    Each thread gets its own SQLite connection.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.generation = current_generation(index_dir)
        hold = GenerationHold(self.generation)
        # A reader dropped without close() still lets its generation go when it is collected.
        self._release = weakref.finalize(self, hold.release)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        try:
            self.manifest: Manifest = read_manifest(self.generation)
            try:
                self.faiss = load_faiss(self.generation)
            except RuntimeError as error:
                raise IndexCorrupt(f"cannot read the vector index in {self.generation}: {error}") from error
            self.connection()  # fail now, not on the first request
        except BaseException:
            self.close()
            raise

    @property
    def pointer(self) -> str:
        """What ``CURRENT`` names while this generation is the live one."""
        return self.generation.name

    def close(self) -> None:
        """Close every thread's connection and release the generation; closing twice is harmless."""
        with self._connections_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._release()

    def __enter__(self) -> "IndexReader":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def connection(self) -> sqlite3.Connection:
        """This thread's read-only connection to the generation's database."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            path = self.generation / DATABASE
            if not path.is_file():
                raise IndexCorrupt(f"the index database is missing from {self.generation}")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            # Term statistics straight from the full-text index (temp schema: the file stays read-only).
            conn.execute("CREATE VIRTUAL TABLE temp.passage_terms USING fts5vocab(main, passages_fts, col)")
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    # Passages ----------------------------------------------------------------

    def passages(self, ids: Sequence[int]) -> dict[int, StoredPassage]:
        """The passages with these ids, by id; unknown ids are left out."""
        if not ids:
            return {}
        rows = self.connection().execute(f"{_SELECT_PASSAGES} WHERE p.id IN ({_placeholders(ids)})", list(ids))
        return {row["id"]: _passage(row) for row in rows}

    def passage(self, passage_id: int) -> StoredPassage | None:
        """One passage, or None when there is no such id."""
        return self.passages([passage_id]).get(passage_id)

    def passages_around(self, passage: StoredPassage, context: int) -> list[StoredPassage]:
        """The passage and up to ``context`` passages either side of it in its paper, in paper order."""
        rows = self.connection().execute(
            f"{_SELECT_PASSAGES} WHERE p.document_id = ? AND p.ordinal BETWEEN ? AND ? ORDER BY p.ordinal",
            (passage.document_id, passage.ordinal - context, passage.ordinal + context))
        return [_passage(row) for row in rows]

    def passages_with_fingerprints(self, fingerprints: Sequence[str]) -> list[StoredPassage]:
        """Every passage whose text is a verbatim copy of one of these, in paper order."""
        if not fingerprints:
            return []
        rows = self.connection().execute(
            f"{_SELECT_PASSAGES} WHERE p.fingerprint IN ({_placeholders(fingerprints)})"
            " ORDER BY p.document_id, p.ordinal", list(fingerprints))
        return [_passage(row) for row in rows]

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How many passages hold each (Porter-stemmed) term in their text, from FTS5's own vocabulary."""
        if not terms:
            return {}
        rows = self.connection().execute(
            f"SELECT term, doc FROM passage_terms WHERE col = 'body' AND term IN ({_placeholders(terms)})", list(terms))
        return {row[0]: row[1] for row in rows}

    def term_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """How many passages hold each (Porter-stemmed) term anywhere, text or context header."""
        if not terms:
            return {}
        rows = self.connection().execute(
            f"SELECT term, doc FROM passage_terms WHERE term IN ({_placeholders(terms)})", list(terms))
        counts: dict[str, int] = {}
        for term, doc in rows:
            counts[term] = counts.get(term, 0) + doc
        return counts

    def boilerplate_ids(self) -> list[int]:
        """Ids of the passages marked as template text (searched only when asked for)."""
        return [row[0] for row in self.connection().execute("SELECT id FROM passages WHERE boilerplate = 1")]

    def all_vectors(self, limit: int = 5000) -> np.ndarray:
        """Up to ``limit`` passage vectors (a sample for statistics), as a float32 matrix."""
        rows = self.connection().execute("SELECT vector FROM passages ORDER BY id LIMIT ?", (limit,)).fetchall()
        return np.frombuffer(b"".join(r[0] for r in rows), dtype=np.float32).reshape(len(rows), self.manifest.dim) \
            if rows else np.zeros((0, self.manifest.dim), dtype=np.float32)

    # Documents ---------------------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        """Every paper, by meeting date then file name."""
        rows = self.connection().execute(
            "SELECT d.id, d.title, d.source_file, d.body, d.meeting_date, d.kind, d.media_type,"
            " (SELECT COUNT(*) FROM passages p WHERE p.document_id = d.id) AS passages, d.council, d.reference"
            " FROM documents d"
            " ORDER BY d.meeting_date, d.source_file")
        return [DocumentSummary(**dict(row)) for row in rows]

    def document(self, document_id: int) -> DocumentOutline | None:
        """A paper's metadata, agenda and outline, or None when there is no such id."""
        conn = self.connection()
        row = conn.execute("SELECT id, title, source_file, body, meeting_date, venue, kind, council, reference,"
                           " media_type, sha256,"
                           " warnings_json FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            return None
        agenda = tuple(AgendaEntry(r["number"], r["title"], r["page"]) for r in conn.execute(
            "SELECT number, title, page FROM agenda WHERE document_id = ?", (document_id,)))
        parts = tuple(self._part(part) for part in conn.execute(
            "SELECT id, document_id, ordinal, kind, title, item_number, meeting_date, start_page,"
            " responsible_director, cabinet_member FROM parts WHERE document_id = ? ORDER BY ordinal",
            (document_id,)).fetchall())
        fields = {key: row[key] for key in row.keys() if key != "warnings_json"}
        return DocumentOutline(**fields, warnings=tuple(json.loads(row["warnings_json"])), agenda=agenda, parts=parts)

    def _part(self, part: sqlite3.Row) -> StoredPart:
        sections = tuple(
            StoredSection(tuple(json.loads(s["heading_path_json"])), s["number"], s["page"], s["first_passage_id"])
            for s in self.connection().execute(
                "SELECT s.heading_path_json, s.number, s.page, (SELECT MIN(p.id) FROM passages p WHERE"
                " p.document_id = s.document_id AND p.char_start >= s.char_start AND p.char_start < s.char_end)"
                " AS first_passage_id FROM sections s WHERE s.document_id = ? AND s.part_ordinal = ?"
                " ORDER BY s.char_start", (part["document_id"], part["ordinal"])))
        fields = {key: part[key] for key in part.keys() if key != "document_id"}
        return StoredPart(**fields, sections=sections)

    # Directories -------------------------------------------------------------

    def entities(self, label: str | None, query: str | None, limit: int) -> list[EntitySummary]:
        """Entities by how many passages mention them, optionally of one label or matching a name."""
        rows = self.connection().execute(
            "SELECT e.id, e.label, e.norm AS name, COUNT(m.passage_id) AS mentions FROM entities e"
            " JOIN mentions m ON m.entity_id = e.id WHERE (? IS NULL OR e.label = ?) AND (? IS NULL OR e.norm LIKE ?)"
            " GROUP BY e.id ORDER BY mentions DESC, e.norm LIMIT ?", (label, label, query, f"%{query}%", limit))
        return [EntitySummary(**dict(row)) for row in rows]

    def entity(self, entity_id: int) -> tuple[EntitySummary, list[StoredPassage]] | None:
        """An entity and the passages that mention it (by meeting date), or None when there is no such id."""
        conn = self.connection()
        row = conn.execute("SELECT e.id, e.label, e.norm AS name, (SELECT COUNT(DISTINCT passage_id) FROM mentions"
                           " WHERE entity_id = e.id) AS mentions FROM entities e WHERE e.id = ?",
                           (entity_id,)).fetchone()
        if row is None:
            return None
        return EntitySummary(**dict(row)), self.entity_mentions(entity_id)

    def entity_mentions(self, entity_id: int, limit: int = 100) -> list[StoredPassage]:
        """Passages that mention the entity, by meeting date."""
        rows = self.connection().execute(
            f"{_SELECT_PASSAGES} JOIN mentions m ON m.passage_id = p.id WHERE m.entity_id = ?"
            " GROUP BY p.id ORDER BY COALESCE(pt.meeting_date, d.meeting_date), p.id LIMIT ?", (entity_id, limit))
        return [_passage(row) for row in rows]

    def people(self) -> list[StoredPerson]:
        """Everyone the papers list, by name."""
        rows = self.connection().execute(
            "SELECT id, name, role, is_councillor, meetings_json, documents_json FROM people ORDER BY name")
        return [StoredPerson(r["id"], r["name"], r["role"], bool(r["is_councillor"]),
                             tuple(json.loads(r["meetings_json"])), tuple(json.loads(r["documents_json"])))
                for r in rows]

    def glossary(self) -> list[GlossaryEntry]:
        """The acronyms mined from the papers and stored with the index, in a fixed order (by acronym, then
        long form): which long form comes first must not depend on the order papers were indexed in."""
        return [GlossaryEntry(r["acronym"], r["long_form"], r["source"]) for r in self.connection().execute(
            "SELECT acronym, long_form, source FROM glossary ORDER BY acronym, long_form, source")]

    # Checks ------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """Everything that is wrong with this generation; empty when it is sound."""
        conn = self.connection()
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        passages = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        if self.faiss.ntotal != passages:
            problems.append(f"FAISS holds {self.faiss.ntotal} vectors for {passages} passages")
        if passages != self.manifest.passages:
            problems.append(f"manifest says {self.manifest.passages} passages, database has {passages}")
        documents = dict(conn.execute("SELECT source_file, sha256 FROM documents").fetchall())
        if documents != self.manifest.documents:
            problems.append("manifest document hashes differ from the database")
        fts = conn.execute("SELECT COUNT(*) FROM passages_fts").fetchone()[0]
        if fts != passages:
            problems.append(f"full-text index holds {fts} rows for {passages} passages")
        return problems
