"""Write parsed documents, vectors, entities, people and the glossary into SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from indexer.context import context_header, fingerprint, passage_body
from indexer.figures.series import KeyStats, Series
from indexer.records import Figure, ParsedDocument, Person
from indexer.store.schema import SCHEMA
from models.metrics import metric_key
from models.records import Entity, GlossaryEntry

DATABASE = "index.sqlite"


def open_database(path: Path) -> sqlite3.Connection:
    """Open (and create) a generation's database for writing."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.executescript(SCHEMA)
    return conn


def passage_contexts(doc: ParsedDocument) -> list[str]:
    """The context header of each passage of a document, in order."""
    return [context_header(doc.meeting, doc.parts[p.part_ordinal], p.section_path) for p in doc.passages]


def delete_document(conn: sqlite3.Connection, source_file: str) -> None:
    """Remove a document and everything hanging off it."""
    row = conn.execute("SELECT id FROM documents WHERE source_file = ?", (source_file,)).fetchone()
    if row is None:
        return
    conn.execute("DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE document_id = ?)", row)
    conn.execute("DELETE FROM documents WHERE id = ?", row)
    conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT DISTINCT entity_id FROM mentions)")


def insert_document(conn: sqlite3.Connection, doc: ParsedDocument, contexts: Sequence[str], vectors: np.ndarray,
                    entities: Sequence[Sequence[Entity]], people: Sequence[Person] = (),
                    acronyms: Sequence[GlossaryEntry] = (), figures: Sequence[Figure] = ()) -> int:
    """Insert one parsed document with its passages' vectors, entity mentions and figures."""
    source, meeting = doc.source, doc.meeting
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    cursor = conn.execute(
        "INSERT INTO documents (source_file, sha256, media_type, encoding, title, body, meeting_date, venue, kind,"
        " council, reference, text, pages_json, warnings_json, indexed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (source.source_file, source.sha256, source.media_type, source.encoding, meeting.title, meeting.body,
         meeting.meeting_date, meeting.venue, meeting.kind, meeting.council, meeting.reference, source.text,
         json.dumps([[p.page, p.char_start, p.char_end] for p in source.pages]), json.dumps(list(source.warnings)), now))
    document_id = int(cursor.lastrowid)
    conn.executemany("INSERT INTO agenda (document_id, number, title, page) VALUES (?,?,?,?)",
                     [(document_id, e.number, e.title, e.page) for e in doc.agenda])
    part_ids, passage_ids = [], {}
    for part in doc.parts:
        cursor = conn.execute(
            "INSERT INTO parts (document_id, ordinal, kind, title, item_number, meeting_date, start_page,"
            " responsible_director, cabinet_member, char_start, char_end) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (document_id, part.ordinal, part.kind, part.title, part.item_number, part.meeting_date, part.start_page,
             part.responsible_director, part.cabinet_member, part.char_start, part.char_end))
        part_ids.append(int(cursor.lastrowid))
    conn.executemany(
        "INSERT INTO sections (document_id, part_ordinal, heading_path_json, number, char_start, char_end, page)"
        " VALUES (?,?,?,?,?,?,?)",
        [(document_id, s.part_ordinal, json.dumps(list(s.heading_path)), s.number, s.char_start, s.char_end, s.page)
         for s in doc.sections])
    for passage, context, vector, found in zip(doc.passages, contexts, vectors, entities, strict=True):
        cursor = conn.execute(
            "INSERT INTO passages (document_id, part_id, ordinal, text, header, context, char_start, char_end,"
            " section_path_json, paragraph_nos_json, paragraph_spans_json, page, kind, boilerplate, token_count,"
            " fingerprint, vector) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (document_id, part_ids[passage.part_ordinal], passage.ordinal, passage.text, passage.header, context,
             passage.char_start, passage.char_end, json.dumps(list(passage.section_path)),
             json.dumps(list(passage.paragraph_nos)),
             json.dumps([[span.number, span.char_start, span.char_end] for span in passage.paragraph_spans]), passage.page, passage.kind, int(passage.boilerplate),
             passage.token_count, fingerprint(passage), np.asarray(vector, dtype=np.float32).tobytes()))
        passage_id = int(cursor.lastrowid)
        passage_ids[passage.ordinal] = passage_id
        conn.execute("INSERT INTO passages_fts (rowid, body, context) VALUES (?,?,?)",
                     (passage_id, passage_body(passage), context))
        for entity in found:
            conn.execute("INSERT OR IGNORE INTO entities (label, norm) VALUES (?,?)", (entity.label, entity.norm))
            entity_id = conn.execute("SELECT id FROM entities WHERE label = ? AND norm = ?",
                                     (entity.label, entity.norm)).fetchone()[0]
            conn.execute("INSERT INTO mentions (entity_id, passage_id, text, char_start, char_end) VALUES (?,?,?,?,?)",
                         (entity_id, passage_id, entity.text, passage.char_start + entity.char_start,
                          passage.char_start + entity.char_end))
    conn.executemany(
        "INSERT INTO document_people (document_id, name, role, is_councillor, meeting_date) VALUES (?,?,?,?,?)",
        [(document_id, p.name, p.role, int(p.is_councillor), date) for p in people for date in (p.meeting_dates or (None,))])
    conn.executemany("INSERT INTO document_acronyms (document_id, acronym, long_form) VALUES (?,?,?)",
                     [(document_id, a.acronym, a.long_form) for a in acronyms])
    conn.executemany(
        "INSERT INTO figures (document_id, passage_id, metric, metric_printed, metric_key, value, value_text, unit,"
        " period, period_start, period_end, geography, comparator, role, kind, table_caption, row_label, column_header,"
        " char_start, char_end, context_start, context_end, paragraph, page)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(document_id, passage_ids[f.passage_ordinal], f.metric, f.metric_printed, metric_key(f.metric), f.value,
          f.value_text, f.unit, f.period, f.period_start, f.period_end, f.geography, f.comparator, f.role, f.kind,
          f.table, f.row, f.column, f.char_start, f.char_end, f.context_start, f.context_end, f.paragraph, f.page)
         for f in figures if f.passage_ordinal in passage_ids and f.metric])
    return document_id


def metric_keys(conn: sqlite3.Connection) -> list[KeyStats]:
    """Every metric key and unit the figures use, with its most printed name and how many figures."""
    rows = conn.execute(
        "SELECT metric_key, unit, metric, COUNT(*) FROM figures WHERE role = 'value' AND metric_key != ''"
        " GROUP BY metric_key, unit, metric ORDER BY metric_key, unit, COUNT(*) DESC").fetchall()
    stats: dict[tuple[str, str], KeyStats] = {}
    for key, unit, name, count in rows:
        found = stats.get((key, unit))
        stats[(key, unit)] = KeyStats(key, unit, found.name if found else name, (found.figures if found else 0) + count)
    return list(stats.values())


def metric_vectors(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, np.ndarray]:
    """The stored name vectors of ``keys`` (computed once, kept across incremental builds)."""
    found = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys[start:start + 500])
        rows = conn.execute(f"SELECT metric_key, vector FROM metric_vectors WHERE metric_key IN ({','.join('?' * len(chunk))})",
                            chunk).fetchall()
        found.update({key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows})
    return found


def store_metric_vectors(conn: sqlite3.Connection, vectors: dict[str, np.ndarray]) -> None:
    conn.executemany("INSERT OR REPLACE INTO metric_vectors (metric_key, vector) VALUES (?,?)",
                     [(key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()])


def replace_metrics(conn: sqlite3.Connection, series: Iterable[Series]) -> None:
    """Replace the metric directory: each series with its keys, then (in one statement) how many figures
    and papers it has and the span of its periods."""
    conn.execute("DELETE FROM metric_members")
    conn.execute("DELETE FROM metrics")
    for one in series:
        cursor = conn.execute(
            "INSERT INTO metrics (name, unit, keys_json, figures, documents, vector) VALUES (?,?,?,0,0,?)",
            (one.name, one.unit, json.dumps(list(one.keys)), one.vector.tobytes()))
        conn.executemany("INSERT INTO metric_members (metric_id, metric_key, unit) VALUES (?,?,?)",
                         [(cursor.lastrowid, key, one.unit) for key in one.keys])
    conn.execute(
        "UPDATE metrics SET (figures, documents, first_period, last_period) = (SELECT COUNT(*),"
        " COUNT(DISTINCT f.document_id), NULLIF(MIN(COALESCE(f.period_start, '')), ''),"
        " NULLIF(MAX(COALESCE(f.period_end, '')), '') FROM metric_members m JOIN figures f"
        " ON f.metric_key = m.metric_key AND f.unit = m.unit AND f.role = 'value' WHERE m.metric_id = metrics.id)")


def document_people(conn: sqlite3.Connection) -> list[tuple[Person, str]]:
    """Every person found in every document, with the document's source file."""
    rows = conn.execute("SELECT p.name, p.role, p.is_councillor, p.meeting_date, d.source_file FROM document_people p"
                        " JOIN documents d ON d.id = p.document_id").fetchall()
    return [(Person(name, role, bool(councillor), (date,) if date else ()), source) for name, role, councillor, date, source in rows]


def document_acronyms(conn: sqlite3.Connection) -> list[GlossaryEntry]:
    rows = conn.execute("SELECT DISTINCT acronym, long_form FROM document_acronyms").fetchall()
    return [GlossaryEntry(acronym, long_form, "corpus") for acronym, long_form in rows]


def replace_people(conn: sqlite3.Connection, people: Iterable[tuple[Person, Sequence[str]]]) -> None:
    """Replace the people directory: each person with the documents that name them."""
    conn.execute("DELETE FROM people")
    conn.executemany(
        "INSERT INTO people (name, role, is_councillor, meetings_json, documents_json) VALUES (?,?,?,?,?)",
        [(p.name, p.role, int(p.is_councillor), json.dumps(sorted(p.meeting_dates)), json.dumps(sorted(docs)))
         for p, docs in people])


def replace_glossary(conn: sqlite3.Connection, entries: Iterable[GlossaryEntry]) -> None:
    conn.execute("DELETE FROM glossary")
    conn.executemany("INSERT OR IGNORE INTO glossary (acronym, long_form, source) VALUES (?,?,?)",
                     [(e.acronym, e.long_form, e.source) for e in entries])


def all_vectors(conn: sqlite3.Connection, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Every passage id and vector, for (re)building the FAISS index."""
    return decode_vectors(conn.execute("SELECT id, vector FROM passages ORDER BY id").fetchall(), dim)


def decode_vectors(rows: Sequence[tuple[int, bytes]], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(id, vector blob) rows as an id array and a float32 matrix (one row each)."""
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim) if rows \
        else np.zeros((0, dim), dtype=np.float32)
    return ids, vectors
