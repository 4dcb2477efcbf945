"""Structure-aware parsing of committee papers: pure code, text in, records out."""

from indexer.structure.parser import approximate_tokens, parse_document

__all__ = ["approximate_tokens", "parse_document"]
