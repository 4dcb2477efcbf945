"""Benchmark the index at scale: a synthetic index of N passages, searched and updated as the product does.

Passages are sentences of the real corpus recombined, spread over 200 councils, their committees and ten
years of meetings; each vector is a real passage vector mixed with another's and with noise, renormalised
(the point is the index, not the model). The index is written through the real store writer and FAISS
build, opened with SearchEngine and the ONNX query encoder, and one real Norfolk pack is then added
through the real incremental IndexBuilder.

Run: .venv/bin/python -m evaluation.bench_scale --passages 100000 --json evaluation/results/bench_scale_100k.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import faiss
import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from indexer.factory import create_builder
from indexer.loaders import load_paths
from indexer.records import Meeting, ParsedDocument, Part, Passage, Section, SourceText
from indexer.settings import REPO_ROOT, IndexSettings
from indexer.store.layout import current_generation, new_generation, publish
from indexer.store.manifest import Manifest, read_manifest, write_manifest
from indexer.store.reader import IndexReader
from indexer.store.schema import READER_VERSION, SCHEMA_VERSION
from indexer.store.vectors import AUTO, build_faiss, recall_at, save_faiss
from indexer.store.writer import (
    DATABASE,
    all_vectors,
    insert_document,
    open_database,
    passage_contexts,
    replace_glossary,
)
from indexer.structure.sentences import split_sentences
from models.calibration import measure_background
from models.glossary import load_curated, load_glossary
from qa.engine import SearchEngine
from qa.retrieval.dense import AllowedIds, dense_search
from qa.retrieval.filters import Filters, allowed_ids
from qa.retrieval.query import QueryPlanner
from qa.settings import ServiceSettings, load_query_embedder

PACK = "000_2015e9705d707e29.txt"  # the smallest Norfolk agenda pack: held out, then added
SEED = Path.home() / ".cache" / "council-qa" / "bench-scale-seed"
PLACES = [a + b for a in ("Ash", "Bar", "Brook", "Castle", "Elm", "Fair", "Glen", "Hart", "Kings", "Long", "Mill",
                          "North", "Oak", "Red", "South", "Stone", "West", "Whit", "Wood", "Ax")
          for b in ("ford", "ham", "ley", "field", "bury", "ton", "wick", "mouth", "by", "stead")]
COUNCILS = [f"{place} {('County', 'District', 'Borough', 'City')[i % 4]} Council" for i, place in enumerate(PLACES)]
COMMITTEES = ("Planning Committee", "Children's Services Committee", "Health and Wellbeing Board",
              "Audit and Governance Committee", "Scrutiny Committee", "Licensing Committee",
              "Adult Social Care Committee", "Environment and Transport Committee", "Full Council")
KINDS = (("minutes", "minutes"), ("agenda_pack", "report"), ("report", "report"))
NOISE = 0.02  # per dimension: a synthetic vector keeps cosine ~0.8 with the real vectors it was mixed from


def seed_index(corpus: Path) -> Path:
    """A real index of the corpus without PACK (built once with the real models, then cached)."""
    if not (SEED / "CURRENT").exists():
        paths = [p for p in sorted(corpus.iterdir()) if p.name != PACK]
        create_builder(IndexSettings(index_dir=SEED)).run(paths)
    return SEED


def read_seed(seed: Path) -> tuple[Manifest, list[list[str]], np.ndarray, np.ndarray]:
    """The seed's manifest, each passage's sentences, vectors and boilerplate flags."""
    generation = current_generation(seed)
    conn = sqlite3.connect(f"file:{generation / DATABASE}?mode=ro", uri=True)
    manifest = read_manifest(generation)
    rows = conn.execute("SELECT text, boilerplate FROM passages ORDER BY id").fetchall()
    _, vectors = all_vectors(conn, manifest.dim)
    conn.close()
    return manifest, [split_sentences(text) or [text] for text, _ in rows], vectors, np.array([b for _, b in rows])


def synthetic_documents(count: int, sentences: list[list[str]], vectors: np.ndarray, boilerplate: np.ndarray,
                        rng: np.random.Generator):
    """(document, its vectors) until ``count`` passages: real sentences recombined, metadata spread wide."""
    committees = {council: ("Cabinet",) + tuple(rng.choice(COMMITTEES, 5, replace=False)) for council in COUNCILS}
    start, days = date(2015, 1, 1), (date(2024, 12, 31) - date(2015, 1, 1)).days
    made, number = 0, 0
    while made < count:
        size = min(count - made, max(5, int(rng.poisson(60))))
        council = COUNCILS[rng.integers(len(COUNCILS))]
        body = committees[council][rng.integers(6)]
        meeting_date = (start + timedelta(days=int(rng.integers(days)))).isoformat()
        kind, part_kind = KINDS[rng.integers(len(KINDS))]
        first, second = rng.integers(0, len(sentences), (2, size))
        weight = rng.uniform(0.6, 1.0, (size, 1)).astype(np.float32)
        mixed = weight * vectors[first] + (1 - weight) * vectors[second] \
            + NOISE * rng.standard_normal((size, vectors.shape[1])).astype(np.float32)
        faiss.normalize_L2(mixed)
        texts = [" ".join(sentences[a][: rng.integers(1, 4)] + sentences[b][: rng.integers(1, 3)])[:1200]
                 for a, b in zip(first, second)]
        yield _document(f"synthetic/{number:07d}.txt", council, body, meeting_date, kind, part_kind, texts,
                        boilerplate[first]), mixed
        made, number = made + size, number + 1


def _document(name: str, council: str, body: str, meeting_date: str, kind: str, part_kind: str, texts: list[str],
              boilerplate: np.ndarray) -> ParsedDocument:
    title = f"{body}, {meeting_date}"
    passages, offset = [], len(title) + 2
    for ordinal, (text, flag) in enumerate(zip(texts, boilerplate)):
        passages.append(Passage(ordinal, text, offset, offset + len(text), 0, (title,), (), None,
                                boilerplate=bool(flag), token_count=len(text) // 4))
        offset += len(text) + 2
    text = "\n\n".join([title, *texts])
    source = SourceText(name, text, hashlib.sha256(text.encode()).hexdigest(), "text")
    part = Part(0, part_kind, title, "5", meeting_date, None, None, None, 0, len(text))
    return ParsedDocument(source, Meeting(body, meeting_date, None, kind, title, council), (), (part,),
                          (Section(0, (title,), None, 0, len(text)),), tuple(passages))


def build_synthetic(index_dir: Path, passages: int, seed: Path, rng: np.random.Generator) -> dict:
    """Write the synthetic index through the store writer and the FAISS build, and publish it."""
    manifest, sentences, vectors, boilerplate = read_seed(seed)
    started = time.perf_counter()
    work = new_generation(index_dir)
    conn = open_database(work / DATABASE)
    documents = {}
    with conn:
        for doc, doc_vectors in track(synthetic_documents(passages, sentences, vectors, boilerplate, rng),
                                      description="writing passages", total=passages // 60):
            insert_document(conn, doc, passage_contexts(doc), doc_vectors, [[] for _ in doc.passages])
            documents[doc.source.source_file] = doc.source.sha256
        replace_glossary(conn, load_curated())
    sqlite_s = time.perf_counter() - started
    ids, stored = all_vectors(conn, manifest.dim)
    conn.close()
    built = build_faiss(ids, stored, AUTO)
    save_faiss(built.index, work)
    faiss_s = time.perf_counter() - started - sqlite_s
    background = measure_background(stored)
    write_manifest(work, Manifest(
        schema_version=SCHEMA_VERSION, model=manifest.model, dim=manifest.dim, normalized=True,
        context_headers=manifest.context_headers, faiss_factory=built.factory,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"), documents=documents, passages=len(ids),
        model_setting=manifest.model_setting, chunking=manifest.chunking,
        cosine_background=asdict(background) if background else None, faiss_setting=AUTO,
        faiss_nprobe=built.nprobe, faiss_trained_on=built.trained_on, reader_version=READER_VERSION))
    publish(index_dir, work)
    return {"build_s": round(time.perf_counter() - started, 1), "sqlite_s": round(sqlite_s, 1),
            "faiss_s": round(faiss_s, 1), "factory": built.factory, "nprobe": built.nprobe,
            "documents": len(documents), "background_mean": round(background.mean, 3) if background else None}


def unseen_queries(pack: Path, count: int, rng: np.random.Generator) -> list[str]:
    """Sentences of the held-out pack, cut to query length: the synthetic index never saw them."""
    source = load_paths([pack], root=pack.parent)[0][0]
    candidates = sorted({" ".join(s.split()[:12]) for s in split_sentences(source.text)
                         if 6 <= len(s.split()) <= 40 and "http" not in s})
    return [candidates[i] for i in rng.choice(len(candidates), min(count, len(candidates)), replace=False)]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def measure_search(index_dir: Path, queries: list[str], rng: np.random.Generator) -> dict:
    """Latency through SearchEngine, recall@10 of dense search against exact, RSS."""
    reader = IndexReader(index_dir)
    embedder = load_query_embedder(ServiceSettings(index_dir=index_dir))
    engine = SearchEngine(reader, embedder, QueryPlanner(load_glossary(reader.glossary())))
    councils = sorted(r[0] for r in reader.connection().execute("SELECT DISTINCT council FROM documents") if r[0])
    filters = {"none": lambda: None, "council": lambda: Filters(council=councils[rng.integers(len(councils))]),
               "committee": lambda: Filters(body=COMMITTEES[rng.integers(len(COMMITTEES))])}
    for query in queries[:3]:  # warm the encoder, not counted
        engine.search(query)
    timings: dict[str, list[float]] = {name: [] for name in filters}
    chosen: dict[str, list[Filters | None]] = {name: [] for name in filters}
    for query in track(queries, description="searching"):
        for name, make in filters.items():
            chosen[name].append(make())
            started = time.perf_counter()
            engine.search(query, k=10, filters=chosen[name][-1])
            timings[name].append((time.perf_counter() - started) * 1000)
    # RSS after opening and querying; the load average says how much other work shared the CPU meanwhile.
    result: dict = {"rss_mb": rss_mb(), "load_average": round(os.getloadavg()[0], 1)}
    for name, values in timings.items():
        result[f"p50_ms_{name}"] = round(float(np.percentile(values, 50)), 1)
        result[f"p95_ms_{name}"] = round(float(np.percentile(values, 95)), 1)
    conn = reader.connection()
    ids, vectors = all_vectors(conn, reader.manifest.dim)
    boilerplate = frozenset(reader.boilerplate_ids())
    non_boilerplate = np.flatnonzero(~np.isin(ids, np.fromiter(boilerplate, np.int64)))
    query_vectors = embedder.encode_queries(queries)  # type: ignore[attr-defined]
    for name in filters:
        found, exact, admitted, dense_ms = [], [], [], []
        for vector, chosen_filter in zip(query_vectors, chosen[name]):
            allowed = AllowedIds(allowed_ids(conn, chosen_filter)) if chosen_filter else None
            started = time.perf_counter()
            found.append([i for i, _ in dense_search(reader.faiss, vector, 10, allowed, boilerplate)])
            dense_ms.append((time.perf_counter() - started) * 1000)
            # Exact: every admitted vector scored (all but boilerplate without a filter), the best ten kept.
            scores = np.full(len(ids), -np.inf, dtype=np.float32)
            keep = np.searchsorted(ids, allowed.ids) if allowed else non_boilerplate
            scores[keep] = (vectors @ vector)[keep]
            top = np.argpartition(-scores, 10)[:10]
            exact.append(ids[top[np.isfinite(scores[top])]].tolist())
            admitted.append(len(keep))
        result[f"recall_at_10_{name}"] = round(recall_at(_padded(found), _padded(exact)), 4)
        result[f"admitted_{name}"] = int(np.median(admitted))
        result[f"dense_p50_ms_{name}"] = round(float(np.percentile(dense_ms, 50)), 2)
        result[f"dense_p95_ms_{name}"] = round(float(np.percentile(dense_ms, 95)), 2)
    reader.close()
    return result


def _padded(rows: list[list[int]], width: int = 10) -> np.ndarray:
    return np.array([row + [-1] * (width - len(row)) for row in rows], dtype=np.int64)


def add_pack(index_dir: Path, pack: Path) -> dict:
    """One real pack through the production IndexBuilder's incremental path (real models), timed."""
    before = read_manifest(current_generation(index_dir))
    builder = create_builder(IndexSettings(index_dir=index_dir))
    started = time.perf_counter()
    report = builder.run([pack])
    seconds = time.perf_counter() - started
    after = read_manifest(current_generation(index_dir))
    return {"add_one_pack_s": round(seconds, 1), "add_encode_s": round(report.encode_seconds, 1),
            "add_passages": report.embedded, "add_retrained": after.faiss_trained_on != before.faiss_trained_on,
            "factory_after_add": after.faiss_factory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--json", type=Path, default=None, help="where to write the numbers")
    parser.add_argument("--index-dir", type=Path, default=None, help="keep the index here (default: a temp dir)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT / "corpus")
    args = parser.parse_args()
    rng = np.random.default_rng(20261124)
    seed = seed_index(args.corpus)
    with tempfile.TemporaryDirectory() as scratch:
        index_dir = args.index_dir or Path(scratch) / "index"
        result: dict = {"passages": args.passages, **build_synthetic(index_dir, args.passages, seed, rng)}
        result.update(measure_search(index_dir, unseen_queries(args.corpus / PACK, args.queries, rng), rng))
        result.update(add_pack(index_dir, args.corpus / PACK))
    table = Table("measure", "value", title=f"bench_scale: {args.passages:,} passages")
    for key, value in result.items():
        table.add_row(key, str(value))
    Console().print(table)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
