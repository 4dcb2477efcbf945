"""Search filters, turned into SQL that selects the passages a search may rank."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from indexer.store.reader import PAPER_FIRST_JOIN, PASSAGE_JOIN
from indexer.structure.cover_fields import body_name


@dataclass(frozen=True)
class Filters:
    """Restrictions applied before ranking.

    Attributes:
        body: Committee or board, matched as a case-insensitive substring.
        date_from: ISO date; the meeting (or minuted meeting) is on or after it.
        date_to: ISO date; on or before it.
        kind: Document kind ("agenda_pack", "presentation"...) or part kind
            ("minutes", "report", "appendix").
        item: Agenda item number.
        person: A person's name; passages that mention them, or reports they are
            responsible for.
        entity: An entity id; passages that mention it.
        council: The publishing council, matched as a case-insensitive substring.
        include_boilerplate: Also search template text.
    """

    body: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    kind: str | None = None
    item: str | None = None
    person: str | None = None
    entity: int | None = None
    council: str | None = None
    include_boilerplate: bool = False

    @property
    def restricts(self) -> bool:
        """True when anything beyond the boilerplate rule applies."""
        return any(v is not None for v in (self.body, self.date_from, self.date_to, self.kind, self.item,
                                           self.person, self.entity, self.council))

    def where(self) -> tuple[str, list[object]]:
        """A WHERE clause over passages p, documents d and parts pt."""
        clauses, params = ["1 = 1"], []
        if not self.include_boilerplate:
            clauses.append("p.boilerplate = 0")
        if self.body:  # bodies are stored normalised ("&" is "and"); a filter written either way finds them
            clauses.append("d.body LIKE ?")
            params.append(f"%{body_name(self.body) or self.body}%")
        if self.date_from:
            clauses.append("COALESCE(pt.meeting_date, d.meeting_date) >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("COALESCE(pt.meeting_date, d.meeting_date) <= ?")
            params.append(self.date_to)
        if self.kind:
            clauses.append("(d.kind = ? OR pt.kind = ?)")
            params += [self.kind, self.kind]
        if self.item:
            clauses.append("pt.item_number = ?")
            params.append(self.item)
        if self.person:
            words = [w for w in self.person.replace(",", " ").split() if w.lower() not in ("cllr", "councillor", "mr", "mrs", "ms", "dr")]
            pattern = "%" + "%".join(words) + "%"
            clauses.append("(p.id IN (SELECT m.passage_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
                           " WHERE e.norm LIKE ?) OR p.text LIKE ? OR pt.responsible_director LIKE ?"
                           f" OR p.id IN ({SPOKEN_AS_POST}))")
            params += [pattern, pattern, pattern, pattern]
        if self.council:
            clauses.append("d.council LIKE ?")
            params.append(f"%{self.council}%")
        if self.entity is not None:
            clauses.append("p.id IN (SELECT passage_id FROM mentions WHERE entity_id = ?)")
            params.append(self.entity)
        return " AND ".join(clauses), params


# Passages that name a person by their post ("the Director of Learning and Inclusion said...") in a paper
# whose attendance or officer lists give them that post, for the same meeting where both dates are known.
# Only real posts count: a role that is just an organisation ("Healthwatch Norfolk") names no one.
SPOKEN_AS_POST = """
    WITH posts AS (
        SELECT document_id, meeting_date,
               trim(CASE WHEN instr(role, ',') > 0 THEN substr(role, 1, instr(role, ',') - 1) ELSE role END) AS post
        FROM document_people WHERE name LIKE ? AND role IS NOT NULL)
    SELECT q.id FROM passages q
    JOIN parts qp ON qp.id = q.part_id
    JOIN posts ON posts.document_id = q.document_id
    WHERE (posts.meeting_date IS NULL OR qp.meeting_date IS NULL OR posts.meeting_date = qp.meeting_date)
      AND length(posts.post) >= 12
      AND (posts.post LIKE '%Director%' OR posts.post LIKE '%Head of%' OR posts.post LIKE '%Manager%'
           OR posts.post LIKE '%Officer%' OR posts.post LIKE '%Commissioner%' OR posts.post LIKE '%Consultant%')
      AND instr(lower(q.text), lower(posts.post)) > 0
"""



def allowed_ids(conn: sqlite3.Connection, filters: Filters) -> np.ndarray:
    """Ids of every passage the filters admit."""
    where, params = filters.where()
    # A council or committee admits a few papers: start from them (1M passages, one council of 200:
    # 1.3 s -> 37 ms). Without one, reading the passages in order is the cheaper way.
    join = PAPER_FIRST_JOIN if filters.council or filters.body else PASSAGE_JOIN
    rows = conn.execute(f"SELECT p.id FROM {join} WHERE {where}", params).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)
