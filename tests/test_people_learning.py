"""An index build teaches entity extraction the people its papers list, before extraction reads them."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from fakes import fake_components, fake_entities

from indexer.pipeline import IndexBuilder
from indexer.records import Person
from models.records import Entity

MINI = Path(__file__).resolve().parent / "data" / "mini"


def test_a_build_teaches_the_listed_people_before_extracting(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    calls: list[tuple[str, list[str]]] = []

    def learn(people: Sequence[Person]) -> None:
        calls.append(("learn", [person.name for person in people]))

    def extract(texts: Sequence[str]) -> list[list[Entity]]:
        calls.append(("extract", []))
        return fake_entities(texts)

    components = replace(fake_components(), learn_people=learn, extract_entities=extract)
    IndexBuilder(tmp_path / "index", components).run([corpus])
    assert calls[0] == ("learn", ["Fabian Eagle"]) and calls[1][0] == "extract"

    health = corpus / "2019-06-health.md"
    health.write_text(health.read_text(encoding="utf-8") + "\nA late note.\n", encoding="utf-8")
    calls.clear()
    IndexBuilder(tmp_path / "index", components).run([corpus])
    assert calls[0] == ("learn", ["Fabian Eagle"])  # listed in a paper indexed before, unchanged since


def test_a_build_without_a_teacher_still_runs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    report = IndexBuilder(tmp_path / "index", fake_components()).run([corpus])
    assert report.published and report.people == 1
