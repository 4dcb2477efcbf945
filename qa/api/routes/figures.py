"""Figures as data: a measure's values over time, with citations, and the list of measures."""

from __future__ import annotations

import csv
import io
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from indexer.errors import BadQuery
from qa.api.deps import get_service, iso_date
from qa.api.schemas import FiguresOut, MetricOut, figure_out, figures_out, metric_out
from qa.service import QAService

router = APIRouter(tags=["figures"])
CSV_COLUMNS = ("period", "period_start", "period_end", "value", "value_text", "unit", "metric_printed", "geography",
               "comparator", "citation", "context", "passage_id")


@router.get("/figures", response_model=FiguresOut, summary="A measure's figures over time, each with its citation",
            responses={200: {"content": {"text/csv": {}}}})
def figures(
    q: str | None = Query(None, max_length=300, description="Words naming a measure", examples=["looked after children"]),
    metric: int | None = Query(None, ge=1, le=2**62, description="A metric id from /metrics"),
    date_from: str | None = Query(None, alias="from", max_length=10, description="Periods ending on or after (YYYY-MM-DD)"),
    date_to: str | None = Query(None, alias="to", max_length=10, description="Periods starting on or before (YYYY-MM-DD)"),
    council: str | None = Query(None, max_length=200, description="Council (substring)"),
    format: Literal["json", "csv"] = Query("json", description="json, or csv to download the values"),
    service: QAService = Depends(get_service),
) -> FiguresOut | Response:
    if not (q or "").strip() and metric is None:
        raise BadQuery("say which figures: give q (words naming a measure) or metric (an id from /metrics)")
    start, end = iso_date(date_from, "from"), iso_date(date_to, "to")
    if start and end and start > end:
        raise BadQuery("from is after to")
    series = service.figures(q, metric, start, end, council or None)
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for figure in series.figures:
            writer.writerow(figure_out(figure).model_dump())
        name = (series.metric.name if series.metric else "figures")[:60].replace('"', "")
        return Response(out.getvalue(), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return figures_out(series)


@router.get("/metrics", response_model=list[MetricOut], summary="Every measure with figures: how many and their dates")
def metrics(service: QAService = Depends(get_service)) -> list[MetricOut]:
    return [metric_out(m) for m in service.metrics()]
