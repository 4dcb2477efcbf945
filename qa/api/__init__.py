"""The HTTP API: FastAPI app factory, schemas and routes."""
