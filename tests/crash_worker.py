"""Run one index build in its own process, so a test can kill it with SIGKILL mid-way."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakes import fake_components  # noqa: E402

from indexer.pipeline import IndexBuilder  # noqa: E402

if __name__ == "__main__":
    index_dir, corpus = Path(sys.argv[1]), Path(sys.argv[2])
    IndexBuilder(index_dir, fake_components()).run([corpus], prune=True)
