"""The manifest of an index generation: what built it and what it holds."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from indexer.errors import IndexCorrupt, IndexMismatch
from indexer.store.schema import SCHEMA_VERSION

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    """Identity and contents of one index generation.

    Attributes:
        schema_version: Version of the SQLite schema.
        model: The embedding model's name, as the embedder reports it.
        dim: Vector dimension.
        normalized: Whether vectors are L2-normalised (always True here).
        context_headers: Whether passages were embedded with their context header.
        faiss_factory: The FAISS factory string the vectors were indexed with ("Flat", "IVF1265,Flat").
        built_at: ISO timestamp of the build.
        documents: source_file -> sha256 of every indexed document.
        passages: Number of passages (and FAISS vectors).
        model_setting: The model setting as the user gave it ("default", a path).
        chunking: How passages were cut: "structure" or the "naive" baseline.
        cosine_background: Mean, spread and sample size of the cosine between two random passages
            (``models.calibration.CosineBackground``): the unit the relevance floor is counted in.
        faiss_setting: The factory setting the build was given ("auto", or a factory string); empty in
            manifests older than it, whose ``faiss_factory`` was the setting.
        faiss_nprobe: The lists an IVF search visits (the index file stores it too); None when not IVF.
        faiss_trained_on: Vectors the FAISS index held when it was last built (trained) from scratch.
        reader_version: How its papers were read (``indexer.store.schema.READER_VERSION``); 0 before it
            was recorded.
    """

    schema_version: int
    model: str
    dim: int
    normalized: bool
    context_headers: bool
    faiss_factory: str
    built_at: str
    documents: dict[str, str] = field(default_factory=dict)
    passages: int = 0
    model_setting: str = ""
    chunking: str = "structure"
    cosine_background: dict[str, float] | None = None
    faiss_setting: str = ""
    faiss_nprobe: int | None = None
    faiss_trained_on: int = 0
    reader_version: int = 0

    @property
    def faiss_built_with(self) -> str:
        """The factory setting the FAISS index was built with, for manifests older than ``faiss_setting`` too."""
        return self.faiss_setting or self.faiss_factory

    def check_compatible(self, model: str, dim: int) -> None:
        """Raise IndexMismatch if this index cannot be queried with that model."""
        if self.schema_version != SCHEMA_VERSION:
            raise IndexMismatch(f"index schema version {self.schema_version}, this program needs {SCHEMA_VERSION}; "
                                "rebuild it with `qa index --rebuild`")
        if self.model != model or self.dim != dim:
            raise IndexMismatch(f"index was built with model '{self.model}' (dim {self.dim}) but the configured model "
                                f"is '{model}' (dim {dim}); rebuild it with `qa index --rebuild` or set "
                                f"QA_EMBEDDING_MODEL to the model it was built with")


def write_manifest(directory: Path, manifest: Manifest) -> None:
    """Write the manifest durably (temp file, fsync, rename)."""
    path = directory / MANIFEST
    temp = path.with_suffix(".tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(asdict(manifest), handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def read_manifest(directory: Path) -> Manifest:
    """Read a generation's manifest; IndexCorrupt if it is missing or malformed."""
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise IndexCorrupt(f"cannot read the index manifest in {directory}: {error}") from error
