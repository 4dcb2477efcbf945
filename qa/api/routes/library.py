"""Documents, passages, entities, people and glossary endpoints."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Path, Query

from qa.api.deps import get_service
from qa.api.schemas import hit_out
from qa.service import QAService

router = APIRouter(tags=["library"])


def _id() -> object:
    """A fresh Path parameter: FastAPI must not share one between routes."""
    return Path(..., ge=1, le=2**62, description="A numeric id", examples=[1])


@router.get("/documents", summary="Every indexed paper")
def documents(service: QAService = Depends(get_service)) -> list[dict]:
    return [asdict(document) for document in service.documents()]


@router.get("/documents/{document_id}", summary="A paper's metadata and outline")
def document(document_id: int = _id(), service: QAService = Depends(get_service)) -> dict:
    return asdict(service.document(document_id))


@router.get("/passages/{passage_id}", summary="A passage with the passages around it")
def passage(passage_id: int = _id(), context: int = Query(2, ge=0, le=10),
            service: QAService = Depends(get_service)) -> dict:
    found = service.passage(passage_id, context)
    return {"passage": hit_out(found.passage), "before": [hit_out(h) for h in found.before],
            "after": [hit_out(h) for h in found.after]}


@router.get("/entities", summary="Entities: people, posts, schools, bodies, figures")
def entities(type: str | None = Query(None, max_length=20, examples=["SCHOOL"]),
             q: str | None = Query(None, max_length=200), limit: int = Query(100, ge=1, le=1000),
             service: QAService = Depends(get_service)) -> list[dict]:
    return [asdict(entity) for entity in service.entities(type.upper() if type else None, q or None, limit)]


@router.get("/entities/{entity_id}", summary="An entity's mentions with citations")
def entity(entity_id: int = _id(), service: QAService = Depends(get_service)) -> dict:
    found = service.entity(entity_id)
    return {"id": found.entity.id, "label": found.entity.label, "name": found.entity.name,
            "mentions": [hit_out(h) for h in found.mentions]}


@router.get("/people", summary="Officers and councillors with their posts and meetings")
def people(service: QAService = Depends(get_service)) -> list[dict]:
    return [asdict(person) for person in service.people()]


@router.get("/glossary", summary="Acronyms and their long forms")
def glossary(service: QAService = Depends(get_service)) -> list[dict]:
    return service.glossary()
