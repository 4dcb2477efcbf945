"""Embedder interface, the keyword fake, the factory, token counting; the real model under -m slow."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.errors import ModelUnavailable
from models.embedder import (
    EMBEDDERS, Embedder, KeywordEmbedder, SentenceTransformerEmbedder, create_embedder, l2_normalise, length_order,
)
from models.tokens import ApproximateTokenCounter, TokenCounter, approximate_token_count, create_token_counter

VOCABULARY = ("ehcp", "budget", "school")


def test_keyword_embedder_marks_keywords_and_normalises_rows() -> None:
    embedder = KeywordEmbedder(VOCABULARY)
    vectors = embedder.encode_passages(["EHCP timeliness", "The budget for the school", "nothing relevant"])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dim) == (3, 4)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(vectors[0], [1, 0, 0, 0])
    np.testing.assert_allclose(vectors[1], [0, 1 / np.sqrt(2), 1 / np.sqrt(2), 0], rtol=1e-6)
    np.testing.assert_allclose(vectors[2], [0, 0, 0, 1])  # no keyword: the fixed unit vector


def test_keyword_embedder_ranks_the_passage_with_the_query_keyword_first() -> None:
    embedder = KeywordEmbedder(VOCABULARY)
    passages = embedder.encode_passages(["The school budget", "EHCP plans issued late", "Apologies"])
    query = embedder.encode_queries(["ehcp"])[0]
    assert int(np.argmax(passages @ query)) == 1


def test_keyword_embedder_matches_whole_words_only() -> None:
    vectors = KeywordEmbedder(("school",)).encode_passages(["schools", "school"])
    np.testing.assert_allclose(vectors, [[0, 1], [1, 0]])


@pytest.mark.parametrize("vocabulary", [(), ("a", "A"), ("two words",)])
def test_keyword_embedder_rejects_a_bad_vocabulary(vocabulary: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        KeywordEmbedder(vocabulary)


def test_empty_input_gives_an_empty_matrix_of_the_right_width() -> None:
    assert KeywordEmbedder(VOCABULARY).encode_passages([]).shape == (0, 4)


def test_factory_builds_by_name_and_names_the_choices_when_unknown() -> None:
    assert set(EMBEDDERS) == {"sentence-transformers", "keyword"}
    embedder = create_embedder("keyword", vocabulary=VOCABULARY)
    assert isinstance(embedder, KeywordEmbedder) and embedder.name == "keyword"
    with pytest.raises(ValueError, match="keyword, sentence-transformers"):
        create_embedder("sentence")  # no substring matching


def test_l2_normalise_leaves_zero_rows_at_zero() -> None:
    rows = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
    assert rows.dtype == np.float32


def test_length_order_is_longest_first() -> None:
    assert length_order(["bb", "a", "cccc"]) == [2, 0, 1]


def test_approximate_token_count_by_hand() -> None:
    # "EHCP" 1 + "(" 1 + "2018" 2 + ")" 1 + "timeliness" 2 + "." 1
    assert approximate_token_count("EHCP (2018) timeliness.") == 8
    assert approximate_token_count("") == 0
    counter = ApproximateTokenCounter()
    assert counter.count_many(["a b", "c"]) == [2, 1] and counter.special_tokens == 2


@pytest.fixture(scope="module")
def token_counter() -> TokenCounter:
    return create_token_counter()


def test_token_counter_counts_word_pieces_without_special_tokens(token_counter: TokenCounter) -> None:
    # education , health and care plan ( eh ##cp )
    assert token_counter.count("Education, Health and Care Plan (EHCP)") == 10
    assert token_counter.count("") == 0
    assert token_counter.special_tokens == 2


def test_token_counter_does_not_truncate_at_the_tokenizer_file_limit(token_counter: TokenCounter) -> None:
    assert token_counter.count("word " * 300) == 300


def test_token_counter_batches_and_adds_up_over_spaces(token_counter: TokenCounter) -> None:
    texts = ["The Dedicated Schools Grant", "overspent by £3.142m in 2018/19."]
    counts = token_counter.count_many(texts)
    assert counts == [token_counter.count(text) for text in texts]
    assert token_counter.count(" ".join(texts)) == sum(counts)


def test_token_counter_for_a_missing_model_directory_says_so(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="tokenizer.json"):
        create_token_counter(str(tmp_path))


@pytest.fixture(scope="module")
def real_embedder() -> Embedder:
    return create_embedder("sentence-transformers", precision="bf16")


@pytest.mark.slow
def test_real_embedder_gives_normalised_384_dimensional_rows(real_embedder: Embedder) -> None:
    assert real_embedder.dim == 384 and real_embedder.max_tokens == 256
    assert real_embedder.name == "sentence-transformers/all-MiniLM-L6-v2"
    vectors = real_embedder.encode_passages(["Short.", "A much longer passage about school transport budgets."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_real_embedder_puts_an_ehcp_query_nearest_the_ehcp_paragraph(real_embedder: Embedder) -> None:
    ehcp = (
        "Education, Health and Care Plans (EHCPs): 58% of new EHCPs were issued within the statutory "
        "20 week timescale, up from 37.6% last year."
    )
    other = "The Committee agreed the minutes of the meeting held on 22 May 2018 as a correct record."
    passages = real_embedder.encode_passages([other, ehcp])
    query = real_embedder.encode_queries(["EHCP timeliness"])[0]
    scores = passages @ query
    assert scores[1] > scores[0] + 0.1


@pytest.mark.slow
def test_real_embedder_returns_rows_in_input_order(real_embedder: Embedder) -> None:
    texts = ["A short one.", "A considerably longer sentence about the Dedicated Schools Grant overspend."]
    forward = real_embedder.encode_passages(texts)
    backward = real_embedder.encode_passages(texts[::-1])
    np.testing.assert_allclose(forward, backward[::-1], atol=1e-5)


@pytest.mark.slow
def test_real_embedder_for_a_missing_model_raises_model_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="offline"):
        create_embedder("sentence-transformers", model=str(tmp_path / "no-such-model"))


@pytest.mark.slow
def test_bf16_falls_back_to_fp32_with_a_log_line_where_the_cpu_lacks_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("models.embedder.cpu_supports_bf16", lambda: False)
    with caplog.at_level("INFO", logger="models.embedder"):
        embedder = SentenceTransformerEmbedder(precision="bf16")
    assert embedder.precision == "fp32" and "fp32 instead" in caplog.text
    assert SentenceTransformerEmbedder(precision="bf16", allow_emulated_bf16=True).precision == "bf16"
