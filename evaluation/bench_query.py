"""Benchmark /search over HTTP on loopback: cold start, latency percentiles, throughput, server RSS.

Run: .venv/bin/python -m evaluation.bench_query --index-dir index [--requests 300]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from evaluation.gold import load_gold
from indexer.settings import REPO_ROOT

EXTRA_QUERIES = [
    "EHCP 20 week timescale", "looked after children April 2018", "carers charter working group",
    "Better Care Fund pooled budget", "school organisation Winterton Hemsby", "social worker recruitment",
    "MASH review", "children centre redesign", "post 16 transport policy", "market position statement",
    "youth justice plan", "revenue budget overspend", "boys attainment", "Schools White Paper academies",
    "SEND green paper", "pharmaceutical needs assessment", "child sexual exploitation", "dementia",
]


def gold_query_texts(limit: int) -> list[str]:
    """Up to ``limit`` query texts: the extra benchmark queries, then the gold set's."""
    return (list(EXTRA_QUERIES) + [q.query for q in load_gold()])[:limit]


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_report(result: dict, out: Path) -> None:
    """Save a benchmark's numbers as JSON and print them, one per line."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    width = max(map(len, result)) + 2
    for key, value in result.items():
        print(f"{key:{width}} {value}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=REPO_ROOT / "index")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--workers", type=int, default=1, help="server processes (`qa serve --workers`)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "evaluation" / "results" / "bench_query.json")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port), "--index-dir",
                               str(args.index_dir), "--workers", str(args.workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() - started > 120:
                    raise SystemExit("server did not start within 120 s")
                time.sleep(0.05)
            cold = time.perf_counter() - started
            queries = gold_query_texts(args.queries)
            for q in queries[:20]:  # warm-up
                client.get("/search", params={"q": q})
            latencies = []
            for n in range(args.requests):
                t = time.perf_counter()
                response = client.get("/search", params={"q": queries[n % len(queries)]})
                latencies.append((time.perf_counter() - t) * 1000)
                response.raise_for_status()

        def worker(offset: int) -> int:
            with httpx.Client(base_url=base, timeout=30) as client:
                errors = 0
                for n in range(args.requests // 8):
                    errors += client.get("/search", params={"q": queries[(offset + n) % len(queries)]}).status_code != 200
                return errors

        fresh = latencies[20:len(queries)]  # queries[:20] were seen in the warm-up
        repeats = latencies[:20] + latencies[len(queries):]
        t = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            errors = sum(pool.map(worker, range(8)))
        elapsed = time.perf_counter() - t
        result = {
            "queries": len(queries), "requests_single_client": len(latencies),
            "p50_ms": round(percentile(latencies, 50), 2), "p95_ms": round(percentile(latencies, 95), 2),
            "p99_ms": round(percentile(latencies, 99), 2), "mean_ms": round(statistics.mean(latencies), 2),
            # The server caches query vectors: a query's first request encodes it, a repeat does not.
            "p50_new_query_ms": round(percentile(fresh, 50), 2), "p95_new_query_ms": round(percentile(fresh, 95), 2),
            "p50_repeat_ms": round(percentile(repeats, 50), 2), "p95_repeat_ms": round(percentile(repeats, 95), 2),
            "throughput_8_clients_rps": round((args.requests // 8) * 8 / elapsed, 1), "errors_8_clients": errors,
            "server_rss_mb": round(rss_mb(server.pid), 1), "cold_start_seconds": round(cold, 2),
            "workers": args.workers,  # with several, server_rss_mb is the supervising process's alone
        }
    finally:
        server.terminate()
        server.wait(timeout=20)
    write_report(result, args.out)


if __name__ == "__main__":
    main()
