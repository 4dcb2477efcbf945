"""Turns committee papers into a searchable index: load, structure, passages, entities, vectors, store."""
