"""SIGKILL the indexer at random points: the index must open, pass its checks and be old or new, never a mix."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS
from test_store import snapshot

from indexer.store.reader import IndexReader

WORKER = Path(__file__).resolve().parent / "crash_worker.py"
ROOT = Path(__file__).resolve().parent.parent


def run_worker(index_dir: Path, corpus: Path, kill_after: float | None) -> bool:
    """Run a build; kill it after ``kill_after`` seconds. True if it finished on its own."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(WORKER), str(index_dir), str(corpus)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_after is None:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        return True
    time.sleep(kill_after)
    finished = process.poll() is not None
    if not finished:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return finished


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in sorted(p.name for p in CORPUS.glob("*.txt"))[:3]:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def timed_build(tmp_path: Path, corpus: Path) -> float:
    started = time.perf_counter()
    run_worker(tmp_path / "timing", corpus, None)
    return time.perf_counter() - started


def check(index_dir: Path, allowed: list[dict | None]) -> str:
    """'none' (no index yet, allowed if None is), 'old' (allowed[0]) or 'new' (allowed[1])."""
    if not (index_dir / "CURRENT").exists():
        assert None in allowed, "the previous index disappeared"
        return "none"
    reader = IndexReader(index_dir)
    assert reader.integrity_problems() == []
    state = snapshot(index_dir)
    assert state in [a for a in allowed if a is not None], "index is neither the old nor the new state"
    return "old" if state == allowed[0] else "new"


def test_kill_during_first_build_and_update(tmp_path, corpus):
    rng = random.Random(20261123)
    duration = timed_build(tmp_path, corpus)
    first_full = snapshot(tmp_path / "timing")
    index_dir = tmp_path / "index"
    outcomes = {"first": [], "update": []}
    for _ in range(10):  # a first build killed: no index, or the complete new one
        shutil.rmtree(index_dir, ignore_errors=True)
        run_worker(index_dir, corpus, rng.uniform(0.05, duration))
        outcomes["first"].append(check(index_dir, [None, first_full]))
    shutil.rmtree(index_dir, ignore_errors=True)
    run_worker(index_dir, corpus, None)
    old = snapshot(index_dir)
    extra = CORPUS / sorted(p.name for p in CORPUS.glob("*.txt"))[3]
    shutil.copy(extra, corpus / extra.name)
    (corpus / sorted(p.name for p in corpus.glob("*.txt"))[0]).unlink()
    new_dir = tmp_path / "expected"
    run_worker(new_dir, corpus, None)
    new = snapshot(new_dir)
    backup = tmp_path / "old-index"
    shutil.copytree(index_dir, backup)
    for _ in range(10):  # an incremental update killed: old or new, never a mix
        shutil.rmtree(index_dir)
        shutil.copytree(backup, index_dir)
        run_worker(index_dir, corpus, rng.uniform(0.05, duration))
        outcomes["update"].append(check(index_dir, [old, new]))
        # whatever happened, the next run completes the update
    run_worker(index_dir, corpus, None)
    assert snapshot(index_dir) == new
    print("crash outcomes:", outcomes)
    assert "old" in outcomes["update"], "no kill landed before the switch; the test did not test anything"
