"""Load test on loopback: 16 clients, /search and /ask, with an index update switched in under load.

Run: .venv/bin/python -m evaluation.bench_load --requests 10000
It copies corpus/ and the index it is given into a scratch folder, serves that, and halfway
through adds a paper and runs `qa index` against the live server's index directory.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from evaluation.bench_query import free_port, gold_query_texts, percentile, rss_mb, write_report
from indexer.settings import REPO_ROOT

NEW_PAPER = """Children's Services Committee

Date: 14 March 2023

Item No. 5

Report title:\tHome to School Transport Review
Date of meeting:\t14 March 2023

1. Summary

1.1 The home to school transport review found that 412 routes were re-tendered, saving £1.2m a year.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=REPO_ROOT / "index")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--ask-share", type=float, default=0.1)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "evaluation" / "results" / "bench_load.json")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="qa-load-"))
    corpus, index_dir = scratch / "corpus", scratch / "index"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    shutil.copytree(args.index_dir, index_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port), "--index-dir", str(index_dir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    queries = gold_query_texts(200)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    update: dict[str, object] = {}
    rss_curve: list[tuple[int, float]] = []  # (requests done, server RSS MB): warm-up plateau or growth?
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(2400):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            generation_before = client.get("/health").json()["generation"]
            for q in queries[:10]:
                client.get("/search", params={"q": q})
        rss_before = rss_mb(server.pid)
        every = max(1, round(1 / args.ask_share)) if args.ask_share else 0

        def worker(client_no: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                for n in range(client_no, args.requests, args.clients):
                    q = queries[n % len(queries)]
                    started = time.perf_counter()
                    try:
                        if every and n % every == 0:
                            response = client.post("/ask", json={"question": q, "k": 5})
                        else:
                            response = client.get("/search", params={"q": q})
                        ok = response.status_code == 200
                        detail = f"{response.status_code} {response.text[:120]}"
                    except httpx.HTTPError as error:
                        ok, detail = False, repr(error)
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        latencies.append(elapsed)
                        if not ok:
                            errors.append(detail)
                        if len(latencies) % 500 == 0:
                            rss_curve.append((len(latencies), round(rss_mb(server.pid), 1)))
                        if len(latencies) == args.requests // 2 and not update:
                            update["started"] = True
                            threading.Thread(target=reindex, daemon=True).start()

        def reindex() -> None:
            (corpus / "2023-03-transport.txt").write_text(NEW_PAPER, encoding="utf-8")
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "qa.cli", "index", str(corpus), "--index-dir", str(index_dir)],
                                  capture_output=True, text=True)
            update.update(seconds=round(time.perf_counter() - started, 1), exit_code=done.returncode)

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(worker, range(args.clients)))
        wall = time.perf_counter() - started
        deadline = time.time() + 300
        while "exit_code" not in update and time.time() < deadline:
            time.sleep(1)
        with httpx.Client(base_url=base, timeout=60) as client:
            generation_after = client.get("/health").json()["generation"]
            new_paper_found = any(r["document"]["source_file"] == "2023-03-transport.txt" for r in
                                  client.get("/search", params={"q": "home to school transport routes re-tendered"}).json()["results"])
        result = {
            "requests": len(latencies), "clients": args.clients, "errors": len(errors), "error_samples": errors[:5],
            "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1), "throughput_rps": round(len(latencies) / wall, 1),
            "rss_before_mb": round(rss_before, 1), "rss_after_mb": round(rss_mb(server.pid), 1),
            "rss_curve_mb": rss_curve,
            "reindex_under_load": update, "generation_switched": generation_before != generation_after,
            "new_paper_searchable": new_paper_found,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    write_report(result, args.out)


if __name__ == "__main__":
    main()
