"""Load committee papers (txt, md, pdf, html) from disk into ``SourceText`` records."""

from indexer.loaders.discovery import FoundFile, discover_files, load_found, load_paths
from indexer.loaders.file_loader import (
    DEFAULT_MAX_BYTES,
    LOADERS,
    SUPPORTED_SUFFIXES,
    Loader,
    load_file,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FoundFile",
    "LOADERS",
    "SUPPORTED_SUFFIXES",
    "Loader",
    "discover_files",
    "load_file",
    "load_found",
    "load_paths",
]
