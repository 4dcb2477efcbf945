"""Reads the index and answers: retrieval, fusion, answers, the API, the CLI and the web page."""
