"""What users read is clean (no markup, wrapped lines joined) while citations keep exact source spans."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fakes import VOCABULARY, fake_components
from fastapi.testclient import TestClient

from indexer.pipeline import IndexBuilder
from indexer.structure.display import display_text
from indexer.structure.sentences import join_wraps, split_sentences
from models.embedder import KeywordEmbedder
from qa.answer import sentences
from qa.api.app import create_app
from qa.api.schemas import hit_out
from qa.records import Hit, Location
from qa.settings import ServiceSettings

MARKUP = re.compile(r"<p\b|</p>|<ul\b|<li\b|<b>|\*\*|&amp;|^\s*#|\]\(|\|---", re.M | re.I)


def kept_characters_map_to_themselves(source: str, offset: int = 0) -> None:
    shown = display_text(source, offset)
    for i, char in enumerate(shown.text):
        if shown.ends[i] - shown.starts[i] == 1 and not char.isspace():  # kept, not a replacement
            assert source[shown.starts[i] - offset] == char, (i, char)


# --- markup ------------------------------------------------------------------------------------

HTML_ROW = ('<p>Strategic impact</p> <p>This report sets out the duty.</p> <ul style="list-style-type: none"> '
            '• Our duty as a Local Authority (LA) • The current landscape</ul>')


def test_html_tags_are_removed_and_blocks_stay_apart() -> None:
    shown = display_text(HTML_ROW).text
    assert not MARKUP.search(shown)
    assert shown.startswith("Strategic impact This report sets out the duty. • Our duty")
    kept_characters_map_to_themselves(HTML_ROW)


def test_markdown_marks_are_removed() -> None:
    source = ("### **Advisory Groups**\n\nThe Board **agreed** the plan &amp; budget, see [the report](#).\n"
              "| Name | Post |\n|---|---|\n| Sue | Chief Officer |")
    shown = display_text(source)
    assert shown.text == ("Advisory Groups\n\nThe Board agreed the plan & budget, see the report.\n"
                          "| Name | Post |\n| Sue | Chief Officer |")
    kept_characters_map_to_themselves(source)


def test_spans_of_the_display_text_map_back_to_the_source() -> None:
    source = "## Budget\n\nThe **EHCP** budget was agreed at £9m &amp; noted."
    shown = display_text(source, offset=1000)
    start = shown.text.index("EHCP")
    a, b = shown.source_span(start, start + 4)
    assert source[a - 1000:b - 1000] == "EHCP"
    amp = shown.text.index("&")
    a, b = shown.source_span(amp, amp + 1)
    assert source[a - 1000:b - 1000] == "&amp;"  # a replacement maps to all it replaced
    assert shown.source_span(0, len(shown.text)) == (1003, 1000 + len(source))


# --- line wraps ---------------------------------------------------------------------------------

WRAPPED = ("3.1 Mr Shipton said the council had agreed to carry eligible pupils each \n"
           "day to school, at a cost of £4.6m, as set out in the Provisional Local \n"
           "Government Finance Settlement. The policy will be reviewed in the 2024-\n"
           "25 financial year and is an exam-\nple of good practice.\n"
           "3.2 The Chairman thanked officers.\n"
           "• Members noted the report.\n"
           "a. lettered items start a line of their own.\n"
           "\n"
           "RESOLVED that the report be noted.")


def test_wrapped_lines_join_into_sentences() -> None:
    assert split_sentences(WRAPPED) == [
        "3.1 Mr Shipton said the council had agreed to carry eligible pupils each day to school, at a cost of £4.6m, "
        "as set out in the Provisional Local Government Finance Settlement.",
        "The policy will be reviewed in the 2024-25 financial year and is an example of good practice.",
        "3.2 The Chairman thanked officers.",
        "• Members noted the report.",
        "a. lettered items start a line of their own.",
        "RESOLVED that the report be noted.",
    ]


def test_display_keeps_paragraphs_bullets_and_numbers_on_their_lines() -> None:
    shown = display_text(WRAPPED)
    assert shown.text.split("\n") == [
        "3.1 Mr Shipton said the council had agreed to carry eligible pupils each day to school, at a cost of £4.6m, "
        "as set out in the Provisional Local Government Finance Settlement. The policy will be reviewed in the "
        "2024-25 financial year and is an example of good practice.",
        "3.2 The Chairman thanked officers.", "• Members noted the report.",
        "a. lettered items start a line of their own.", "", "RESOLVED that the report be noted."]
    start = shown.text.index("example")
    a, b = shown.source_span(start, start + len("example"))
    assert WRAPPED[a:b] == "exam-\nple"
    kept_characters_map_to_themselves(WRAPPED)


def test_lines_a_writer_broke_stay_broken() -> None:
    members = "Membership:\nCllr Shelagh Gurney (Chair)\nCllr Fabian Eagle (Vice-Chair)\nCllr Tim Adams"
    assert join_wraps(members) == members
    heading = "Background\nThe council agreed the plan."
    assert join_wraps(heading) == heading
    table = "Scheme\tCost\nroads\t£1.2m"
    assert join_wraps(table) == table


def test_a_full_line_runs_on_only_in_wrapped_text() -> None:
    prose = ("The Health and Care Act 2022 requires Integrated Care Partnerships to produce a plan,\n"
             "and the council published its strategy for the county and the wider region in 2024.\n"
             "Commissioners must have regard to it.")
    assert join_wraps(prose).count("\n") == 0
    listed = ("Chief Officer of NHS North Norfolk Clinical Commissioning Group\n"
              "Chief Officer of NHS South Norfolk Clinical Commissioning Group")
    assert join_wraps(listed) == listed


def test_a_page_break_in_mid_sentence_joins_but_a_paragraph_break_does_not() -> None:
    assert join_wraps("the direction of travel was clear and\n\nthe question was how") == \
        "the direction of travel was clear and the question was how"
    assert join_wraps("The report was agreed.\n\nthe next item") == "The report was agreed.\n\nthe next item"


def test_answer_sentences_are_clean_and_whole() -> None:
    passage = ('**Transport**\n\n<ul style="list-style-type: none">The council agreed to carry eligible <b>pupils</b> each\n'
               'day to school at a cost of £2m.</ul>')
    assert sentences(passage) == ["The council agreed to carry eligible pupils each day to school at a cost of £2m."]


def test_api_hits_show_a_clean_header() -> None:
    location = Location(1, 1, "paper.txt", "Paper", None, None, "report", "report", "8", "Budget", (), None, None, 0, 9)
    hit = Hit(location, "Roads 2m.", "Capital schemes\n| <ul style=\"x\">Scheme</ul> | **Cost**", 1.0)
    shown = hit_out(hit)
    assert shown.header == "Capital schemes\n| Scheme | Cost" and shown.text == "Roads 2m."


# --- the real corpus ------------------------------------------------------------------------------


def test_no_norfolk_passage_shows_markup(parsed_corpus) -> None:
    shown = [(name, p.ordinal) for name, doc in parsed_corpus.items() for p in doc.passages
             if MARKUP.search(display_text(p.text, p.char_start).text)]
    assert shown == []
    marked = sum(1 for doc in parsed_corpus.values() for p in doc.passages if MARKUP.search(p.text))
    assert marked > 500  # the source slices keep their markup: citations quote the source as it is


# --- through the API -------------------------------------------------------------------------------

PAPER = """# Children's Services Committee

Date: 10 July 2018

## 8. EHCP timeliness

<p>The **EHCP** timeliness rate improved to 53% &amp; the service agreed a new
plan with schools across the county.</p>

The budget for education transport was agreed at £4.6m and will carry eligible children each
day to school from September.
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("display")
    (root / "corpus").mkdir()
    (root / "corpus" / "2018-07-children.md").write_text(PAPER, encoding="utf-8")
    shutil.copy(Path(__file__).parent / "data" / "mini" / "2019-06-health.md", root / "corpus")
    IndexBuilder(root / "index", fake_components()).run([root / "corpus"])
    app = create_app(ServiceSettings(index_dir=root / "index", embedding_model="keyword"),
                     embedder=KeywordEmbedder(VOCABULARY))
    with TestClient(app) as client:
        yield client


def test_search_hits_read_clean_and_cite_exactly(client) -> None:
    results = client.get("/search", params={"q": "EHCP timeliness", "k": 5}).json()["results"]
    hit = next(r for r in results if "EHCP" in r["display_text"])
    assert PAPER[hit["char_start"]:hit["char_end"]] == hit["text"] and "**EHCP**" in hit["text"]
    assert not MARKUP.search(hit["display_text"])
    assert "a new plan with schools" in hit["display_text"]
    marked = {hit["display_text"][h["start"]:h["end"]] for h in hit["highlights"]}
    assert {"EHCP", "timeliness", "53%"} <= marked
    for h in hit["highlights"]:  # each highlight also says where its words are in the source
        assert PAPER[h["char_start"]:h["char_end"]] == hit["display_text"][h["start"]:h["end"]]


def test_passage_endpoint_reads_clean(client) -> None:
    results = client.get("/search", params={"q": "EHCP timeliness", "k": 5}).json()["results"]
    passage_id = next(r["passage_id"] for r in results if "EHCP" in r["display_text"])
    found = client.get(f"/passages/{passage_id}").json()
    assert "The EHCP timeliness rate improved to 53% & the service agreed a new plan" in found["passage"]["display_text"]
    assert all(not MARKUP.search(h["display_text"]) for h in [found["passage"], *found["before"], *found["after"]])


def test_answer_sentence_is_not_cut_at_a_line_wrap(client) -> None:
    body = client.post("/ask", json={"question": "what was the education transport budget?", "k": 3}).json()
    quoted = [s["text"] for s in body["answer"]]
    assert "The budget for education transport was agreed at £4.6m and will carry eligible children each " \
           "day to school from September." in quoted
