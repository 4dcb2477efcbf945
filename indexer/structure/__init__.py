"""Structure-aware parsing of committee papers: pure code, text in, records out."""

from indexer.structure.parser import parse_document

__all__ = ["parse_document"]
