"""Answer-sentence features and weights, and "what did X say" questions (no models needed)."""

from __future__ import annotations

import numpy as np

from indexer.records import Person
from models.calibration import answer_weights
from models.catalog import DEFAULT_MODEL_NAME
from qa.answer import statements
from qa.answerhood import FEATURES, Candidate, QuestionForm, answer_scores, features
from qa.speech import Attribution, parse_speaker_question

PEOPLE = [Person("Chris Snudden", "Director of Learning and Inclusion, Children's Services", False, ("2020-09-18",)),
          Person("Sara Tough", "Executive Director of Children's Services", False, ("2020-09-18",)),
          Person("Ed Maxfield", None, True, ("2020-09-18",))]


def test_question_form_reads_what_is_asked():
    assert QuestionForm.of("How many looked after children were there?", False).number
    assert QuestionForm.of("When did the committee agree the charter?", False).date
    assert QuestionForm.of("When did the committee agree the charter?", False).decision
    assert QuestionForm.of("Who chaired the meeting?", False).person
    assert not QuestionForm.of("what was said about EHCP timeliness", True).number


def test_features_reward_what_the_question_asks_for():
    form = QuestionForm.of("How many looked after children were there in April 2018?", False)
    candidates = [Candidate("The number of Looked After Children at the end of April 18 was 1179.", 1, 1.0, True, None),
                  Candidate("Looked after children remain a priority for the service and its partners.", 1, 1.0, False, None)]
    matrix = features(form, ("looked", "children", "april"), {}, 1.0, candidates, np.array([0.6, 0.6]))
    assert matrix.shape == (2, len(FEATURES))
    column = dict(zip(FEATURES, matrix.T))
    assert list(column["figure_for_number"]) == [1.0, 0.0]
    weights = answer_weights(DEFAULT_MODEL_NAME)
    assert weights is not None and weights.features == FEATURES
    scores = answer_scores(matrix, weights)
    assert scores[0] > scores[1]


def test_unknown_model_falls_back_to_cosine_and_coverage():
    assert answer_weights("some/other-model") is None
    matrix = np.zeros((2, len(FEATURES)))
    matrix[:, 0] = [0.2, 0.5]
    matrix[:, 3] = 1.0
    assert list(np.argsort(-answer_scores(matrix, None))) == [1, 0]


def test_speaker_questions_resolve_names_and_posts():
    asked = parse_speaker_question("What did the Director of Learning and Inclusion say about boys' attainment?", PEOPLE)
    assert asked and asked.person and asked.person.name == "Chris Snudden" and asked.topic == "boys' attainment"
    asked = parse_speaker_question("what has Tough said on SEND", PEOPLE)
    assert asked and asked.person and asked.person.name == "Sara Tough" and asked.topic == "SEND"
    assert parse_speaker_question("what did the committee say about SEND", PEOPLE) is None
    assert parse_speaker_question("what was said about SEND", PEOPLE) is None
    assert parse_speaker_question("what did Nobody Known say", PEOPLE) is None


def test_a_speaker_question_without_a_topic_searches_what_their_post_said():
    """Minutes name officers by post; the bare post reads like the report covers that print it."""
    asked = parse_speaker_question("what did Sara Tough say", PEOPLE)
    assert asked and asked.search_text == "what did the Executive Director of Children's Services say"
    asked = parse_speaker_question("what did Sara Tough say about SEND", PEOPLE)
    assert asked and asked.search_text == "SEND"


def test_table_cells_are_statements_only_when_they_end_as_sentences():
    agenda = ("| 17. Committee Forward Plan and update on decisions taken under delegated authority\n"
              "Report by the Executive Director of Children's Services | Page 171 |\n\n"
              "8.1 The Committee agreed the forward plan and asked for a report on exclusions.\n")
    assert statements(agenda) == ["The Committee agreed the forward plan and asked for a report on exclusions."]
    commentary = "| Exclusions | Performance has improved since April as schools used the new protocol. |\n"
    assert statements(commentary) == ["Performance has improved since April as schools used the new protocol."]


def test_attribution_follows_a_lead_in_and_its_list_into_the_next_passage():
    asked = parse_speaker_question("what did Chris Snudden say about boys", PEOPLE)
    first = ("10.1.2 The Director of Learning and Inclusion introduced the report:\n"
             " - Schools were designing bespoke programmes for children\n")
    second = " - The attainment gap between boys and girls was no worse than nationally\n10.2 Members noted the report.\n"
    attribution = Attribution(asked, PEOPLE, lambda pid: first if pid == 2 else None)
    spans = attribution.spans(1, first, "2020-09-18")
    assert spans and first[spans[0][0]:spans[0][1]].strip().startswith("- Schools")
    (start, stop), = attribution.spans(2, second, "2020-09-18")
    assert "attainment gap" in second[start:stop] and "Members noted" not in second[start:stop]
    assert attribution.speaks("the Executive Director of Children's Services said x", "2020-09-18") is False
    assert attribution.speaks("Chris Snudden said the gap had narrowed.", None)


def test_cosine_background_is_measured_and_small_indexes_borrow_the_models():
    from models.calibration import (
        MIN_PASSAGES_FOR_BACKGROUND,
        VectorMoments,
        background_for,
        measure_background,
        model_background,
    )

    def index_background(model: str, vectors: np.ndarray):
        return background_for(model, VectorMoments.of(vectors))

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(MIN_PASSAGES_FOR_BACKGROUND, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    own = measure_background(vectors)
    assert own is not None and abs(own.mean) < 0.05 and 0.15 < own.std < 0.35
    assert index_background(DEFAULT_MODEL_NAME, vectors) == own
    shipped = model_background(DEFAULT_MODEL_NAME)
    assert shipped is not None and index_background(DEFAULT_MODEL_NAME, vectors[:10]) == shipped
    assert index_background("another/model", vectors[:10]) == measure_background(vectors[:10])
    assert measure_background(vectors[:1]) is None


def test_the_floor_counts_closeness_over_the_background_not_raw_cosine():
    from qa.retrieval.rerank import Tuning, passes_floor

    signals = {"dense": 0.45, "coverage": 0.0, "coverage_expanded": 0.0, "idf": 0.0}
    # The same cosine is well clear of a low background and below a high one.
    assert passes_floor({**signals, "closeness": (0.45 - 0.10) / 0.1}, Tuning(), "hybrid")
    assert not passes_floor({**signals, "closeness": (0.45 - 0.70) / 0.1}, Tuning(), "hybrid")
