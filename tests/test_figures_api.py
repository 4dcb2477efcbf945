"""Figures through the API over the real corpus index: a series with citations, the metric list,
CSV export, and a "how many" question answered from a figure."""

from __future__ import annotations

import csv
import io


def test_figures_of_a_measure_come_back_over_time_with_citations(real_client) -> None:
    response = real_client.get("/figures", params={"q": "number of looked after children"})
    assert response.status_code == 200
    body = response.json()
    assert body["metric"] is not None and body["metric"]["unit"] == "count"
    figures = body["figures"]
    assert len(figures) >= 5
    # oldest first by when each period ends (a figure with no period by the meeting that reported it)
    ends = [f["period_end"] or f["period_start"] or f["document"]["meeting_date"] for f in figures]
    assert ends == sorted(ends)
    assert any(f["value"] == 1179 and f["period_start"] == "2018-04-01" for f in figures)
    for figure in figures:
        assert figure["citation"] and figure["passage_id"] > 0
        assert figure["value_text"].strip("()£%") in figure["context"].replace(",", "") or \
            figure["value_text"] in figure["context"]


def test_metrics_list_counts_and_dates(real_client) -> None:
    metrics = real_client.get("/metrics").json()
    assert metrics and all(m["figures"] >= 1 for m in metrics)
    assert any(m["documents"] >= 2 for m in metrics)


def test_figures_export_as_csv(real_client) -> None:
    response = real_client.get("/figures", params={"q": "looked after children", "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {"period", "value", "unit", "citation"} <= set(rows[0])


def test_figures_need_a_measure_and_good_dates(real_client) -> None:
    assert real_client.get("/figures").status_code == 422
    assert real_client.get("/figures", params={"q": "looked after children", "from": "2019-13-01"}).status_code == 422
    assert real_client.get("/figures", params={"metric": 10**9}).status_code == 404


def test_a_how_many_question_is_answered_from_a_figure(real_client) -> None:
    answer = real_client.post("/ask", json={"question": "How many looked after children were there in April 2018?"}).json()
    first = answer["answer"][0]
    assert "1179" in first["text"].replace(",", "") and "April 2018" in first["text"]
    assert first["citations"] == [1]


def test_cli_prints_a_measure_as_a_table(real_index, monkeypatch) -> None:
    from typer.testing import CliRunner

    import qa.cli

    monkeypatch.setenv("QA_NO_SERVER", "1")
    monkeypatch.setenv("COLUMNS", "200")  # rich would wrap the citations at 80
    result = CliRunner().invoke(qa.cli.app, ["figures", "number of looked after children", "--index-dir", str(real_index)])
    assert result.exit_code == 0, result.output
    assert "(count)" in result.output and "Apr-18" in result.output and "1179" in result.output
    assert "Children's Services Committee, 10 July 2018" in result.output
    empty = CliRunner().invoke(qa.cli.app, ["figures", "looked after children", "--from", "2030-01-01",
                                            "--index-dir", str(real_index)])
    assert empty.exit_code == 0 and "no figures in the dates" in empty.output


def _ranked_for(real_index, question: str):
    """The open generation, the ten passages search ranks for ``question``, its figure index and the vector
    of the measure it names."""
    from qa.figures import FigureIndex, metric_text
    from qa.service import QAService
    from qa.settings import ServiceSettings, load_query_embedder

    settings = ServiceSettings(index_dir=real_index)
    service = QAService(settings, load_query_embedder(settings))
    generation = service.current
    ranked = [h.location.passage_id for h in service.search(question, k=10).hits]
    return generation, ranked, FigureIndex(generation.reader), generation.engine.encode_query(metric_text(question))


def test_a_figure_question_can_be_answered_from_the_figures_of_the_passages_search_ranked(real_index) -> None:
    from qa.figures import answer_from_passages

    question = "How many children were missing education in Norfolk in September 2020?"
    generation, ranked, index, vector = _ranked_for(real_index, question)
    printed = generation.reader.figures_in_passages(ranked)
    assert printed and {f.passage_id for f in printed} <= set(ranked)
    found = answer_from_passages(index, question, vector, ranked)
    assert found is not None and found.figure.passage_id in ranked
    assert found.figure.value == 722 and found.figure.unit == "count"
    assert (found.figure.period_start, found.figure.period_end) == ("2020-09-01", "2020-09-30")
    assert found.sentence.startswith("722 in September 2020 (")
    # Only figures of the unit and period asked for answer: none in these passages is a percentage for 1990.
    assert answer_from_passages(index, "What percentage of children were missing education in 1990?", vector,
                                ranked) is None
    assert answer_from_passages(index, question, vector, []) is None


def test_a_figure_for_the_month_asked_beats_one_for_a_longer_period_around_it(real_index) -> None:
    # The passages print "Sept 2020 figure is 1103" and a forecast of 1222 "by 2020/21": both overlap
    # September 2020, but only the first is for it.
    from qa.figures import answer_from_passages

    question = "How many children were in care in Norfolk in September 2020?"
    generation, ranked, index, vector = _ranked_for(real_index, question)
    around = [f for f in generation.reader.figures_in_passages(ranked)
              if f.unit == "count" and f.period_start and f.period_start < "2020-09-01" <= (f.period_end or "")]
    assert around, "a figure for a longer period around September 2020 is among the candidates"
    found = answer_from_passages(index, question, vector, ranked)
    assert found is not None and found.figure.value == 1103
    assert (found.figure.period_start, found.figure.period_end) == ("2020-09-01", "2020-09-30")
