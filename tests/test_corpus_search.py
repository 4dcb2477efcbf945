"""End to end on the real corpus with the real bundled models: retrieval, answers, entities, people."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS

from qa.answer import SAID_VERBS

TWENTY_WEEKS = re.compile(r"20[\s-]*weeks?", re.I)


def search(client, q, **params):
    response = client.get("/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()["results"]


@pytest.mark.parametrize("query", ["EHCP 20 week timescale", "education health and care plan 20 week timescale"])
def test_acronym_and_long_form_find_the_timescale(real_client, query):
    results = search(real_client, query, k=5)
    assert any(TWENTY_WEEKS.search(r["header"] + r["text"]) for r in results)


def test_glossary_expansion_both_ways(real_client):
    body = real_client.get("/search", params={"q": "EHCP timeliness"}).json()
    assert any("Education" in e for e in body["expansions"])
    body = real_client.get("/search", params={"q": "looked after children numbers"}).json()
    assert "LAC" in body["expansions"]


@pytest.mark.parametrize("query", ["spaceship koala", "planning permission for wind farms in Cornwall",
                                   "Premier League football results"])
def test_relevance_floor(real_client, query):
    body = real_client.get("/search", params={"q": query}).json()
    assert body["results"] == [] and body["message"]


def test_spans_point_into_corpus_files(real_client):
    for query in ("carers charter working group", "looked after children April 2018", "Better Care Fund"):
        for result in search(real_client, query, k=10):
            source = (CORPUS / result["document"]["source_file"]).read_text(encoding="utf-8")
            assert source[result["char_start"]:result["char_end"]] == result["text"]


def test_figure_question_is_answered_with_citation(real_client):
    body = real_client.post("/ask", json={"question": "how many looked after children were there in April 2018?"}).json()
    assert "1179" in body["answer"][0]["text"]
    cited = body["citations"][body["answer"][0]["citations"][0] - 1]
    assert cited["document"]["source_file"] == "003_6730343735bd187f.txt" and cited["paragraph"] == "4.4.1"
    assert cited["item"]["number"] == "8"


def test_decision_is_found_in_the_minutes(real_client):
    results = search(real_client, "when did the committee agree the carers charter group", k=3)
    top = results[0]
    assert "AGREED" in top["text"] and top["paragraph"] == "9.3"
    assert top["document"]["meeting_date"] == "2020-09-18" or top["citation"].startswith("People and Communities")


def test_date_filter_changes_results(real_client):
    everything = {r["document"]["source_file"] for r in search(real_client, "SEND performance", k=20)}
    recent = search(real_client, "SEND performance", k=20, date_from="2022-01-01")
    assert len(everything) > 1
    assert recent and all(r["document"]["meeting_date"] >= "2022-01-01" for r in recent)


def test_people_directory(real_client):
    people = {p["name"]: p for p in real_client.get("/people").json()}
    assert "Executive Director" in (people["Sara Tough"]["role"] or "")
    assert "Director of Quality and Transformation" in (people["James Wilson"]["role"] or "")


def test_entities_pinned(real_client):
    money = [e["name"] for e in real_client.get("/entities", params={"type": "MONEY", "q": "3.142", "limit": 50}).json()]
    assert any("3.142m" in name for name in money)
    schools = real_client.get("/entities", params={"type": "SCHOOL", "limit": 1000}).json()
    names = " | ".join(e["name"] for e in schools)
    assert sum(school in names for school in ("Winterton", "Hemsby", "Alderman Swindell", "Brancaster")) >= 3
    persons = [e["name"] for e in real_client.get("/entities", params={"type": "PERSON", "q": "Sara Tough"}).json()]
    assert "Sara Tough" in persons


def test_glossary_mined_from_corpus(real_client):
    glossary = {g["acronym"]: g["long_forms"] for g in real_client.get("/glossary").json()}
    assert "DSG" in glossary or "EHCP" in glossary
    assert any("Education" in form and "Care" in form for form in glossary.get("EHCP", []))


def test_person_filter_finds_minutes_that_name_them_only_by_post(real_client):
    # Chris Snudden is listed as Director of Learning and Inclusion at the 18 September 2020 meeting;
    # the minutes of item 10 (boys' attainment) speak of "the Director of Learning and Inclusion".
    body = real_client.get("/search", params={"q": "Chris Snudden Director of Learning and Inclusion",
                                              "person": "Chris Snudden"}).json()
    paragraphs = {r["paragraph"] for r in body["results"]}
    assert "10.1.1" in paragraphs, paragraphs
    assert all("Snudden" in r["text"] or "Director of Learning and Inclusion" in r["text"] for r in body["results"])


def test_what_did_a_post_say_quotes_their_minuted_statements(real_client):
    """The Director is named only by post in the minutes; their bullets run under 'introduced the report:'."""
    body = real_client.post("/ask", json={"question": "what did the Director of Learning and Inclusion say about "
                                                      "boys' attainment"}).json()
    assert body["answer"], body
    assert "boys" in body["answer"][0]["text"] and body["answer"][0]["paragraph"] == "10.1.2"
    speakers = {s["speaker"] for meeting in body["digest"] for s in meeting["statements"]}
    assert speakers == {"Director of Learning and Inclusion"}
    assert {s["person"] for meeting in body["digest"] for s in meeting["statements"]} == {"Chris Snudden"}


def test_what_did_a_person_say_finds_minutes_naming_their_post(real_client):
    body = real_client.post("/ask", json={"question": "what did Sara Tough say"}).json()
    first = body["answer"][0]["text"]
    post = "The Executive Director of Children's Services "
    assert first.startswith(post) and re.match(rf"(?:{SAID_VERBS})\b", first[len(post):]), first
    assert not any("Report title" in s["text"] or "Officer name" in s["text"] for s in body["answer"])


def test_answer_numbers_only_the_sources_it_cites(real_client):
    body = real_client.post("/ask", json={"question": "when did the committee agree the carers charter group",
                                          "k": 5}).json()
    cited = sorted({n for s in body["answer"] for n in s["citations"]})
    assert cited == list(range(1, len(body["citations"]) + 1))


def test_index_stores_its_cosine_background(real_index):
    """The whole corpus is large enough to measure its own background; the floor is counted against it."""
    from indexer.store.layout import current_generation
    from indexer.store.manifest import read_manifest

    background = read_manifest(current_generation(real_index)).cosine_background
    assert background and 0.2 < background["mean"] < 0.6 and background["std"] > 0.05 and background["pairs"] > 10_000
