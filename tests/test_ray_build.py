"""`qa index --ray` builds the index the in-process build builds: documents, passages, entities, people,
vectors and search results, on two tiny papers (every run) and on the whole corpus (slow)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS
from typer.testing import CliRunner

from indexer.distributed import RayRunner, connect, import_ray
from indexer.errors import BuildTaskFailed
from indexer.factory import build_index, create_builder
from indexer.settings import IndexSettings
from indexer.store.layout import current_generation
from indexer.store.reader import IndexReader
from qa.cli import app
from qa.service import QAService
from qa.settings import ServiceSettings, load_query_embedder

MINUTES = """Westshire County Council

MINUTES of a meeting of the Cabinet held at County Hall, Westshire on 15 January 2024

Present:
Cllr Jane Morrow (Chair)
Cllr Peter Aldous
Cllr Samina Khan

Officers:
Dr Helen Okafor, Director of Public Health
Mark Ellery, Executive Director of Children's Services

1. Apologies for Absence

1.1 Apologies were received from Cllr Tom Reeve.

2. Children's Services Budget

2.1 Mark Ellery reported that the high needs budget for 2023-24 was £42.5m, an overspend of £3.1m.

2.2 The number of Education, Health and Care Plans (EHCP) rose by 12% to 4,210 in December 2023.

2.3 RESOLVED to approve the recovery plan.

3. Public Health Annual Report

3.1 Dr Helen Okafor introduced the report. Smoking prevalence fell to 11.2% in 2023.
"""
REPORT_PAGES = [
    ["Westshire County Council", "Report to Cabinet", "Date of meeting: 12 February 2024",
     "Report title: Home to School Transport",
     "Responsible Director: Mark Ellery, Executive Director of Children's Services"],
    ["1. Background", "1.1 Spending on home to school transport reached £18.4m in 2022-23.",
     "1.2 Samina Khan asked about the 1,150 children with an EHCP who travel to school by taxi.",
     "1.3 Jane Morrow noted that fuel costs rose by 9% over the year."],
    ["2. Recommendations", "2.1 Cabinet is asked to agree the new transport policy from September 2024.",
     "Officer contact: Mark Ellery, Executive Director of Children's Services"],
]
# Ray Data reads its own deprecated settings when it copies its context: not this project's to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")
QUERIES = ["high needs budget overspend", "home to school transport taxi", "smoking prevalence",
           "who chaired the cabinet?"]


def pdf_of(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in pages:
        for row, line in enumerate(lines):
            pdf.drawString(72, 720 - 18 * row, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write_papers(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "2024-01-15-cabinet-minutes.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "2024-02-12-transport-report.pdf").write_bytes(pdf_of(REPORT_PAGES))
    return folder


def index_contents(index_dir: Path) -> tuple[dict, dict[tuple[str, int], np.ndarray]]:
    """Everything a build writes, keyed by file and ordinal rather than row ids, and the vectors apart."""
    conn = sqlite3.connect(current_generation(index_dir) / "index.sqlite")

    def rows(sql: str) -> list[tuple]:  # sorted with NULLs first in each column
        return sorted((tuple(row) for row in conn.execute(sql)),
                      key=lambda row: [(value is not None, value if value is not None else 0) for value in row])

    passage = "SELECT d.source_file, p.ordinal, {} FROM passages p JOIN documents d ON d.id = p.document_id"
    contents = {
        "documents": rows("SELECT source_file, sha256, media_type, title, body, meeting_date, venue, kind, council,"
                          " reference, text, pages_json FROM documents"),
        "parts": rows("SELECT d.source_file, p.ordinal, p.kind, p.title, p.item_number, p.start_page, p.char_start,"
                      " p.char_end FROM parts p JOIN documents d ON d.id = p.document_id"),
        "passages": rows(passage.format("p.text, p.header, p.context, p.char_start, p.char_end, p.section_path_json,"
                                        " p.paragraph_nos_json, p.paragraph_spans_json, p.page, p.kind, p.boilerplate,"
                                        " p.token_count, p.fingerprint")),
        "mentions": rows("SELECT d.source_file, p.ordinal, e.label, e.norm, m.text, m.char_start, m.char_end"
                         " FROM mentions m JOIN entities e ON e.id = m.entity_id JOIN passages p ON p.id = m.passage_id"
                         " JOIN documents d ON d.id = p.document_id"),
        "people": rows("SELECT name, role, is_councillor, meetings_json, documents_json FROM people"),
        "glossary": rows("SELECT acronym, long_form, source FROM glossary"),
        "figures": rows("SELECT d.source_file, f.metric, f.value, f.unit, f.period, f.char_start FROM figures f"
                        " JOIN documents d ON d.id = f.document_id"),
        "metrics": rows("SELECT name, unit, keys_json, figures FROM metrics"),
    }
    vectors = {(source, ordinal): np.frombuffer(blob, dtype=np.float32)
               for source, ordinal, blob in conn.execute(passage.format("p.vector"))}
    conn.close()
    return contents, vectors


def assert_same_index(in_process: Path, on_ray: Path) -> dict:
    """The two indexes hold the same records, vectors within 1e-5 and the same FAISS entries."""
    expected, expected_vectors = index_contents(in_process)
    found, found_vectors = index_contents(on_ray)
    for table in expected:
        assert found[table] == expected[table], f"{table} differ"
    assert found_vectors.keys() == expected_vectors.keys()
    worst = max(float(np.abs(found_vectors[key] - expected_vectors[key]).max()) for key in expected_vectors)
    assert worst <= 1e-5, f"vectors differ by up to {worst}"
    with IndexReader(in_process) as one, IndexReader(on_ray) as other:
        assert (other.manifest.model, other.manifest.dim, other.manifest.documents, other.manifest.passages) == \
            (one.manifest.model, one.manifest.dim, one.manifest.documents, one.manifest.passages)
        assert other.faiss.ntotal == one.faiss.ntotal and other.integrity_problems() == []
    return expected


def assert_same_search(in_process: Path, on_ray: Path, queries: list[str]) -> int:
    """Every query gets the same passages in the same order with the same scores; returns the hits seen."""
    embedder = load_query_embedder(ServiceSettings(index_dir=in_process))
    one, other = (QAService(ServiceSettings(index_dir=index), embedder) for index in (in_process, on_ray))
    seen = 0
    for query in queries:
        expected, found = one.search(query, k=10).hits, other.search(query, k=10).hits
        assert [(h.location.source_file, h.location.char_start, h.location.char_end) for h in found] == \
            [(h.location.source_file, h.location.char_start, h.location.char_end) for h in expected], query
        assert np.allclose([h.score for h in found], [h.score for h in expected], atol=1e-5), query
        seen += len(found)
    return seen


def index_on_ray(paths: list[Path], index_dir: Path) -> str:
    """`qa index PATH... --ray`, through the command line; its output."""
    result = CliRunner().invoke(app, ["index", *map(str, paths), "--index-dir", str(index_dir), "--ray"])
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray for the module (start-up takes seconds); builds join it instead of starting their own."""
    ray = import_ray()
    connect("local")
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def two_builds(ray_cluster, tmp_path_factory) -> tuple[Path, Path, Path]:
    """Two tiny papers indexed in process and with `qa index --ray`: (papers, in-process, Ray)."""
    root = tmp_path_factory.mktemp("ray")
    papers = write_papers(root / "papers")
    report = build_index([papers], IndexSettings(index_dir=root / "in-process"))
    assert report.published and report.failures == []
    output = index_on_ray([papers], root / "on-ray")
    assert "index updated" in output and "2 documents" in output, output
    return papers, root / "in-process", root / "on-ray"


def test_the_ray_build_equals_the_in_process_build(two_builds) -> None:
    papers, in_process, on_ray = two_builds
    contents = assert_same_index(in_process, on_ray)
    # Not two empty indexes: both papers, pages from the PDF, people, and names learned from the lists.
    assert len(contents["documents"]) == 2 and len(contents["passages"]) >= 6
    assert {page for *_, page, _, _, _, _ in contents["passages"]} - {None}
    assert {"Jane Morrow", "Samina Khan"} <= {name for name, *_ in contents["people"]}
    mentioned = {(source, text) for source, _, label, _, text, _, _ in contents["mentions"]
                 if label in ("PERSON", "COUNCILLOR")}
    assert ("2024-02-12-transport-report.pdf", "Samina Khan") in mentioned
    assert assert_same_search(in_process, on_ray, QUERIES) > 0


def test_a_ray_runner_is_used_only_when_asked(tmp_path) -> None:
    settings = IndexSettings(index_dir=tmp_path / "index")
    assert not isinstance(create_builder(settings).runner, RayRunner)
    assert isinstance(create_builder(settings, ray=True).runner, RayRunner)
    runner = create_builder(IndexSettings(index_dir=tmp_path / "index", ray_address="ray://head:10001")).runner
    assert isinstance(runner, RayRunner) and runner.address == "ray://head:10001"


def test_a_bad_pdf_is_reported_and_changes_apply_alike(two_builds, tmp_path) -> None:
    """An incremental Ray build: a corrupt PDF is reported with the in-process reason, the rest indexed, the
    changed paper replaced, the unchanged one costs a hash, and both indexes still agree."""
    papers, in_process, on_ray = two_builds
    changed = tmp_path / "papers"
    shutil.copytree(papers, changed)
    minutes = changed / "2024-01-15-cabinet-minutes.txt"
    minutes.write_text(MINUTES + "\n4. Any Other Business\n\n4.1 Cllr Peter Aldous thanked officers.\n", encoding="utf-8")
    good = pdf_of(REPORT_PAGES)
    (changed / "corrupt.pdf").write_bytes(good[: len(good) // 2])
    shutil.copytree(in_process, tmp_path / "in-process")
    shutil.copytree(on_ray, tmp_path / "on-ray")
    expected = build_index([changed], IndexSettings(index_dir=tmp_path / "in-process"))
    found = build_index([changed], IndexSettings(index_dir=tmp_path / "on-ray"), ray=True)
    assert [f.source_file for f in found.failures] == ["corrupt.pdf"]
    assert found.failures == expected.failures
    assert (found.changed, found.unchanged, found.added, found.documents) == \
        (["2024-01-15-cabinet-minutes.txt"], 1, [], 2)
    assert (found.changed, found.unchanged, found.documents, found.passages) == \
        (expected.changed, expected.unchanged, expected.documents, expected.passages)
    contents = assert_same_index(tmp_path / "in-process", tmp_path / "on-ray")
    assert any("Any Other Business" in text for _, _, text, *_ in contents["passages"])
    again = build_index([changed], IndexSettings(index_dir=tmp_path / "on-ray"), ray=True)
    assert not again.published and again.unchanged == 2 and again.embedded == 0


def test_a_task_failing_on_a_worker_leaves_the_live_index(two_builds, tmp_path) -> None:
    papers, _, on_ray = two_builds
    changed = tmp_path / "papers"
    shutil.copytree(papers, changed)
    (changed / "2024-01-15-cabinet-minutes.txt").write_text(MINUTES + "\n4.1 A late note.\n", encoding="utf-8")
    index = shutil.copytree(on_ray, tmp_path / "on-ray")
    before, live = index_contents(index)[0], current_generation(index)
    with pytest.raises(BuildTaskFailed, match="no_such_spacy_model"):  # the workers' spaCy cannot load
        build_index([changed], IndexSettings(index_dir=index, spacy_model="no_such_spacy_model"), ray=True)
    assert current_generation(index) == live and index_contents(index)[0] == before
    assert not list(index.glob("gen-*.tmp"))


def encoder_processes() -> list[int]:
    """Process ids of this machine's Ray embedding actors (Ray names a worker's process after its actor)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if b"PassageEncoder" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:  # gone since the listing
            continue
    return found


@pytest.mark.slow
def test_an_embedding_worker_killed_mid_build_is_retried(ray_cluster, tmp_path) -> None:
    """SIGKILL one embedding actor once the first vectors are back: Ray restarts it and retries its
    batches, and the index equals the in-process one."""
    pack = CORPUS / "004_a82431731a549fbe.txt"  # 762 passages: six actor calls
    killed: list[int] = []

    def kill_one(stage: str, done: int, total: int) -> None:
        if stage == "embed" and 0 < done < total and not killed:
            killed.append(encoder_processes()[0])
            os.kill(killed[0], signal.SIGKILL)

    report = build_index([pack], IndexSettings(index_dir=tmp_path / "on-ray"), ray=True, progress=kill_one)
    assert killed and report.published and report.failures == []
    build_index([pack], IndexSettings(index_dir=tmp_path / "in-process"))
    assert_same_index(tmp_path / "in-process", tmp_path / "on-ray")


@pytest.mark.slow
def test_the_ray_build_of_the_corpus_equals_the_in_process_build(ray_cluster, real_index, tmp_path) -> None:
    """`qa index corpus --ray` against the session's in-process index of corpus/ (real models)."""
    output = index_on_ray([CORPUS], tmp_path / "on-ray")
    assert "index updated" in output, output
    contents = assert_same_index(real_index, tmp_path / "on-ray")
    assert len(contents["documents"]) == len(list(CORPUS.iterdir())) and contents["mentions"]
    queries = ["EHCP 20 week timescale", "looked after children April 2018", "school transport budget",
               "who is the director of children's services?", "obesity in reception year children"]
    assert assert_same_search(real_index, tmp_path / "on-ray", queries) >= len(queries)
