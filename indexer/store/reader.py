"""Open the live index generation read-only: SQLite, FAISS and manifest together."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from indexer.errors import IndexCorrupt
from indexer.store.layout import current_generation
from indexer.store.manifest import Manifest, read_manifest
from indexer.store.vectors import load_faiss
from indexer.store.writer import DATABASE


class IndexReader:
    """A consistent, read-only view of one index generation.

    The generation is pinned when the reader opens, so a build that publishes a
    new generation meanwhile does not change what this reader sees. Each thread
    gets its own SQLite connection.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.generation = current_generation(index_dir)
        self.manifest: Manifest = read_manifest(self.generation)
        self._local = threading.local()
        try:
            self.faiss = load_faiss(self.generation)
        except RuntimeError as error:
            raise IndexCorrupt(f"cannot read the vector index in {self.generation}: {error}") from error
        self.connection()  # fail now, not on the first request

    def connection(self) -> sqlite3.Connection:
        """This thread's read-only connection to the generation's database."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            path = self.generation / DATABASE
            if not path.is_file():
                raise IndexCorrupt(f"the index database is missing from {self.generation}")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

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
