"""Citations name the paragraph that holds a sentence, and a passage over several paragraphs gives the range."""

from __future__ import annotations

from indexer.records import ParagraphSpan
from qa.answer import sentence_paragraph
from qa.api.schemas import citation_text
from qa.records import Hit, Location

TEXT = ("1.1 The council agreed the plan for the year ahead.\n"
        "1.2 Officers reported that 412 routes were re-tendered.\n"
        "1.3 The saving was £1.2m a year across the county.")


def location(spans: tuple[ParagraphSpan, ...], start: int = 100) -> Location:
    return Location(passage_id=1, document_id=1, source_file="report.pdf", title="Transport review",
                    body="Cabinet", meeting_date="2025-01-30", kind="report", part_kind="report", item_number="7",
                    item_title="Transport review", section_path=("1. Summary",), paragraph=spans[0].number if spans else None,
                    page=3, char_start=start, char_end=start + len(TEXT), paragraph_spans=spans)


def spans_of(text: str, start: int) -> tuple[ParagraphSpan, ...]:
    out, offset = [], start
    for line in text.split("\n"):
        out.append(ParagraphSpan(line.split()[0], offset, offset + len(line) + 1))
        offset += len(line) + 1
    return tuple(out)


def test_a_passage_over_three_paragraphs_cites_the_range() -> None:
    cited = citation_text(location(spans_of(TEXT, 100)))
    assert cited == "Cabinet, 30 January 2025, Item 7, paras 1.1–1.3, p. 3"


def test_an_answer_sentence_is_cited_by_its_own_paragraph() -> None:
    hit = Hit(location(spans_of(TEXT, 100)), TEXT, "", 1.0)
    assert sentence_paragraph(hit, "The saving was £1.2m a year across the county.") == "1.3"
    assert sentence_paragraph(hit, "Officers reported that 412 routes were re-tendered.") == "1.2"


def test_a_sentence_outside_every_span_falls_back_to_the_first_paragraph() -> None:
    hit = Hit(location(spans_of(TEXT, 100)), TEXT, "", 1.0)
    assert sentence_paragraph(hit, "Words that are not in the passage at all.") == "1.1"


def test_form_fields_headings_and_table_rows_are_not_answer_sentences() -> None:
    from qa.answer import sentences

    passage = ("Report title: Special Educational Needs Performance Framework\n"
               "Officer name : Sara Tough Executive Director\n"
               "Performance Framework And Green Paper Response\n"
               "EHCPs issued within 20 weeks\t62%\t58%\t71%\n"
               "The Director said that 71% of plans were now issued within the 20 week timescale.")
    assert sentences(passage) == ["The Director said that 71% of plans were now issued within the 20 week timescale."]


def test_a_sentence_cut_off_by_a_table_is_not_an_answer_sentence() -> None:
    from qa.answer import sentences

    passage = ("6.6 At 30 September 2024, the Council had outstanding loans totalling\n"
               "At 30 September 2024 the Council held £746.8m of loans as part of its strategy.")
    assert sentences(passage) == ["At 30 September 2024 the Council held £746.8m of loans as part of its strategy."]


def test_a_sentence_printed_in_two_passages_is_answered_once() -> None:
    # Minutes print a motion, then the same words again as resolved: one answer sentence, not two.
    import numpy as np

    from models.embedder import KeywordEmbedder
    from qa.answer import Question, extract_answer
    from qa.answerhood import QuestionForm
    from tests.fakes import VOCABULARY

    embedder = KeywordEmbedder(VOCABULARY, name="keyword")
    motion = "The Council urges the Cabinet Member to fund the family hubs from the transport budget."
    texts = [f"The motion was moved and seconded. {motion}", f"4) {motion}",
             "5) Members noted that the children's plan had a budget for transport."]
    hits = [Hit(location(spans_of(t, 100 * n)), t, "", 1.0 - n / 10) for n, t in enumerate(texts)]
    question = "What did the Council decide about the family hubs budget?"
    vector = np.asarray(embedder.encode_queries([question])[0])
    asked = Question(question, ("family", "hubs", "budget"), vector, QuestionForm.of(question, False), {}, 1.0)
    chosen = extract_answer(asked, hits, embedder, None, keep=0.0)
    assert [s.text.removeprefix("4) ") for s in chosen].count(motion) == 1 and len(chosen) == 2
