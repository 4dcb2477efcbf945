"""Retrieval evaluation: the gold set, metrics, ablations, benchmarks and plots.

It measures ``qa`` through its HTTP API, as a client would.
"""
