"""Reading figures and their series (metrics) from an open generation: mixed into IndexReader."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import fields

import numpy as np

from indexer.store.manifest import Manifest
from indexer.store.rows import StoredFigure, StoredMetric


def _placeholders(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class FigureReads:
    """The figure queries of an index reader (which supplies ``connection()`` and ``manifest``)."""

    manifest: Manifest

    def connection(self) -> sqlite3.Connection:  # pragma: no cover - provided by IndexReader
        raise NotImplementedError

    def metrics(self) -> list[StoredMetric]:
        """Every series of figures, the most reported first."""
        rows = self.connection().execute(
            "SELECT id, name, unit, keys_json, figures, documents, first_period, last_period FROM metrics"
            " ORDER BY documents DESC, figures DESC, name")
        return [StoredMetric(r["id"], r["name"], r["unit"], tuple(json.loads(r["keys_json"])), r["figures"],
                             r["documents"], r["first_period"], r["last_period"]) for r in rows]

    def metric_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Metric ids and their name vectors (one row each), for finding a measure by meaning."""
        rows = self.connection().execute("SELECT id, vector FROM metrics ORDER BY id").fetchall()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.manifest.dim), dtype=np.float32)
        return (np.array([r[0] for r in rows], dtype=np.int64),
                np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows]))

    def figures(self, metric_ids: Sequence[int] = (), date_from: str | None = None, date_to: str | None = None,
                council: str | None = None, roles: Sequence[str] = ("value",), limit: int = 500) -> list[StoredFigure]:
        """Figures of the given series (all when none given), oldest period first, with their citations."""
        where, args = [f"f.role IN ({_placeholders(roles)})"], list(roles)
        if metric_ids:
            where.append(f"EXISTS (SELECT 1 FROM metric_members m WHERE m.metric_id IN ({_placeholders(metric_ids)})"
                         " AND m.metric_key = f.metric_key AND m.unit = f.unit)")
            args += list(metric_ids)
        when = "COALESCE(f.period_end, f.period_start, pt.meeting_date, d.meeting_date)"
        if date_from:
            where.append(f"{when} >= ?")
            args.append(date_from)
        if date_to:
            where.append("COALESCE(f.period_start, f.period_end, pt.meeting_date, d.meeting_date) <= ?")
            args.append(date_to)
        if council:
            where.append("d.council LIKE ?")
            args.append(f"%{council}%")
        return self._select(where, args, f"{when}, d.meeting_date, f.id", limit)

    def figures_in_passages(self, passage_ids: Sequence[int], roles: Sequence[str] = ("value",),
                            limit: int = 2000) -> list[StoredFigure]:
        """The figures printed in these passages, in the order they are printed."""
        if not passage_ids:
            return []
        where = [f"f.passage_id IN ({_placeholders(passage_ids)})", f"f.role IN ({_placeholders(roles)})"]
        return self._select(where, [*passage_ids, *roles], "f.passage_id, f.char_start", limit)

    def metric_key_vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The name vectors of these metric keys (``models.metrics.metric_key``), where the index has them."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            rows = self.connection().execute(
                f"SELECT metric_key, vector FROM metric_vectors WHERE metric_key IN ({_placeholders(chunk)})", chunk)
            found.update({key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows})
        return found

    def _select(self, where: list[str], args: list[object], order: str, limit: int) -> list[StoredFigure]:
        rows = self.connection().execute(
            "SELECT f.*, substr(d.text, f.context_start + 1, f.context_end - f.context_start) AS context,"
            " p.ordinal AS passage_ordinal, d.source_file, d.title, d.body, d.kind AS document_kind,"
            " COALESCE(pt.meeting_date, d.meeting_date) AS meeting_date, d.council, pt.item_number"
            " FROM figures f JOIN documents d ON d.id = f.document_id"
            " JOIN passages p ON p.id = f.passage_id JOIN parts pt ON pt.id = p.part_id"
            f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?", [*args, limit]).fetchall()
        return [StoredFigure(**{name: row[_COLUMNS.get(name, name)] for name in _FIELDS}) for row in rows]


# StoredFigure fields read from a column of another name.
_COLUMNS = {"table": "table_caption", "row": "row_label", "column": "column_header"}
_FIELDS = [field.name for field in fields(StoredFigure)]
