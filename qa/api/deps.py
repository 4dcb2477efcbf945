"""Request dependencies: the service from app state, and filters from query parameters."""

from __future__ import annotations

from datetime import date

from fastapi import Query, Request

from indexer.errors import BadQuery, IndexNotFound
from qa.retrieval.filters import Filters
from qa.service import QAService


def get_service(request: Request) -> QAService:
    """The loaded service; opens the index now if it appeared since start-up."""
    state = request.app.state
    if state.service is None:
        state.open_service()
    if state.service is None:
        raise state.startup_error or IndexNotFound("no index: run `qa index`")
    return state.service


def iso_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadQuery(f"{name} must be a date written YYYY-MM-DD, got '{value[:40]}'") from None


def get_filters(
    body: str | None = Query(None, max_length=200, description="Committee or board (substring)", examples=["People and Communities"]),
    date_from: str | None = Query(None, max_length=10, description="Meeting on or after (YYYY-MM-DD)", examples=["2018-01-01"]),
    date_to: str | None = Query(None, max_length=10, description="Meeting on or before (YYYY-MM-DD)", examples=["2022-12-31"]),
    kind: str | None = Query(None, max_length=50, description="agenda_pack, presentation, minutes, report, appendix"),
    item: str | None = Query(None, max_length=10, description="Agenda item number"),
    person: str | None = Query(None, max_length=200, description="Passages mentioning this person", examples=["Sara Tough"]),
    entity: int | None = Query(None, ge=1, le=2**62, description="Passages mentioning this entity id"),
) -> Filters:
    filters = Filters(body=body or None, date_from=iso_date(date_from, "date_from"), date_to=iso_date(date_to, "date_to"),
                      kind=kind or None, item=item or None, person=person or None, entity=entity)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise BadQuery("date_from is after date_to")
    return filters
