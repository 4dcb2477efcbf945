"""Learned models behind small interfaces: the embedder, the entity pipeline and their data."""
