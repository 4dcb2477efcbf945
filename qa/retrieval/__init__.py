"""Retrieval: query understanding, filters, BM25, dense search, fusion and the second stage."""
