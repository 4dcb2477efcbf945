"""What a hit marks: every word sharing a query word's stem, whatever its ending, figures and dates first."""

from __future__ import annotations

from qa.highlight import find_highlights


def marked(text: str, terms: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(text[h.start:h.end], h.kind) for h in find_highlights(text, terms)]


def test_words_are_marked_by_stem_whatever_their_ending():
    text = "Timeliness of plans: the Toy Library and toys; happy, HAPPIER children. Timelines slipped."
    found = marked(text, ("timeliness", "toy", "happy"))
    assert ("Timeliness", "term") in found and ("Toy", "term") in found and ("toys", "term") in found
    assert ("happy", "term") in found
    assert ("Timelines", "term") not in found  # "timelin" is not "timeli"
    assert all(kind == "term" for _, kind in found)


def test_a_word_inside_another_is_not_marked_and_a_bare_letter_never_is():
    text = "Children's services: s. 17 support; transport and sport."
    found = marked(text, ("sport", "s"))
    assert found == [("sport", "term")]


def test_figures_and_dates_win_over_terms():
    text = "In March 2024 there were 1,179 children, 12% more than in 2023."
    found = marked(text, ("children", "march"))
    assert ("March 2024", "date") in found and ("1,179 children", "figure") in found and ("12%", "figure") in found
