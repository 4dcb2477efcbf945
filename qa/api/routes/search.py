"""Search, ask and timeline endpoints."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Response

from indexer.errors import BadQuery
from qa.api.deps import get_filters, get_service
from qa.api.schemas import AskIn, AskOut, SearchOut, ask_out, hit_out, search_out
from qa.retrieval.filters import Filters
from qa.service import QAService

router = APIRouter(tags=["search"])


def _query(q: str) -> str:
    if not q.strip():
        raise BadQuery("the query is empty: type some words to search for")
    return q


@router.get("/search", response_model=SearchOut, summary="Search passages with citations")
def search(
    q: str = Query(..., max_length=1000, description="What to look for", examples=["EHCP 20 week timescale"]),
    k: int = Query(10, ge=1, le=100, description="How many results"),
    mode: Literal["hybrid", "bm25", "dense"] = Query("hybrid", description="First-stage retrievers"),
    expand: bool = Query(True, description="Expand acronyms and long forms with the glossary"),
    rerank: bool = Query(True, description="Apply the second stage"),
    filters: Filters = Depends(get_filters),
    service: QAService = Depends(get_service),
) -> Response:
    # Serialised once by pydantic's own JSON writer: returned as a model, FastAPI would validate the
    # response again and walk it in Python (about 2 ms of a repeat search's 13 over HTTP).
    found = search_out(service.search(_query(q), k, filters, mode, expand, rerank))
    return Response(found.model_dump_json(), media_type="application/json")


@router.post("/ask", response_model=AskOut, summary="An extractive answer with numbered citations")
def ask(request: AskIn, service: QAService = Depends(get_service)) -> AskOut:
    filters = get_filters(body=request.body, date_from=request.date_from, date_to=request.date_to,
                          kind=request.kind, item=None, person=request.person, entity=None)
    return ask_out(service.ask(_query(request.question), request.k, filters))


@router.get("/timeline", summary="Matching passages per meeting date for a topic")
def timeline(q: str = Query(..., max_length=1000, examples=["carers charter"]),
             filters: Filters = Depends(get_filters), service: QAService = Depends(get_service)) -> dict:
    result = service.timeline(_query(q), filters)
    return {"query": result.query, "took_ms": result.took_ms, "message": result.message,
            "points": [{"meeting_date": p.meeting_date, "body": p.body, "count": p.count, "top": hit_out(p.top)}
                       for p in result.points]}
