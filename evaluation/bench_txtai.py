"""A txtai hybrid index of the same files, for the build benchmark's comparison (``bench_index``).

Loads the files with this project's loaders (so both builds read the same text), cuts them into the
naive baseline's chunks (blank-line paragraphs merged to 150-200 words) and indexes them with txtai's
``Embeddings`` (dense vectors from the same model directory, plus its own BM25 for hybrid search, the
content stored), timed from process start to the index saved. txtai is not a dependency of the product:
``pip install txtai`` to run this.

Run: .venv/bin/python -m evaluation.bench_txtai corpus --out /tmp/txtai-index
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402 - the clock starts before the imports, as a build's process does
import json  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402

from indexer.loaders import load_paths  # noqa: E402
from indexer.structure.naive import naive_chunks  # noqa: E402
from models.catalog import PRODUCT_MODEL, resolve_model_path  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="where txtai saves its index")
    parser.add_argument("--model", default=PRODUCT_MODEL)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from txtai import Embeddings

    sources, failures = load_paths(args.paths)
    chunks = [(f"{source.source_file}:{start}", source.text[start:end], None)
              for source in sources for start, end in naive_chunks(source.text)]
    embeddings = Embeddings(path=resolve_model_path(args.model), content=True, hybrid=True)
    embeddings.index(chunks)
    embeddings.save(str(args.out))
    print(json.dumps({"txtai_build_seconds": round(time.perf_counter() - STARTED, 2), "txtai_chunks": len(chunks),
                      "txtai_files": len(sources), "txtai_failures": len(failures)}))


if __name__ == "__main__":
    main()
