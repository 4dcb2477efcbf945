"""Wire the real models into an index build, from the settings: in this process or on Ray."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from indexer.components import Components, create_components
from indexer.distributed import RayRunner
from indexer.pipeline import BuildReport, IndexBuilder
from indexer.runner import Progress
from indexer.settings import IndexSettings
from indexer.structure.passages import PassageBudget

__all__ = ["build_index", "create_builder", "create_components"]


def create_builder(settings: IndexSettings, components: Components | None = None, ray: bool = False) -> IndexBuilder:
    """An IndexBuilder for the settings' index directory.

    Args:
        settings: What to build and with which models.
        components: The driver's models (default: the production ones for the settings).
        ray: Run the per-paper and model stages on Ray (also when ``settings.ray_address`` is set);
            the workers create their own models from the settings.
    """
    components = components or create_components(settings)
    address = settings.ray_address or ("local" if ray else None)
    return IndexBuilder(
        settings.index_dir, components,
        budget=PassageBudget(max_tokens=settings.passage_max_tokens, max_chars=settings.passage_max_chars),
        faiss_factory=settings.faiss_factory, context_headers=settings.context_headers,
        max_bytes=int(settings.max_file_mb * 2**20), chunking=settings.chunking,
        runner=RayRunner(settings, address) if address else None)


def build_index(paths: Sequence[Path], settings: IndexSettings, prune: bool = False, rebuild: bool = False,
                progress: Progress | None = None, ray: bool = False) -> BuildReport:
    """Build or refresh the index of ``paths`` with the production models (on Ray when asked)."""
    return create_builder(settings, ray=ray).run(paths, prune=prune, rebuild=rebuild, progress=progress)
