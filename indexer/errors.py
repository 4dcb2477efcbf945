"""Domain errors for council-qa. Only the API layer maps them to HTTP codes.

The root ``CouncilQAError`` and ``ModelUnavailable`` are the models' own (``models.errors``);
they are re-exported here so that callers find every domain error in one module.
"""

from models.errors import CouncilQAError, ModelUnavailable

__all__ = ["BadQuery", "CouncilQAError", "IndexCorrupt", "IndexLocked", "IndexMismatch", "IndexNotFound",
           "LoadError", "ModelUnavailable", "NotFound"]


class LoadError(CouncilQAError):
    """A source file could not be read or decoded; the message says why."""


class IndexNotFound(CouncilQAError):
    """There is no index at the given directory."""


class IndexLocked(CouncilQAError):
    """Another process is writing the index."""


class IndexMismatch(CouncilQAError):
    """The index was built with another model, dimension or schema version."""


class IndexCorrupt(CouncilQAError):
    """The index failed an integrity check."""


class BadQuery(CouncilQAError):
    """A query or filter that cannot be run as given."""


class NotFound(CouncilQAError):
    """An unknown document, passage or entity id."""


class ClusterUnavailable(CouncilQAError):
    """A distributed build cannot run: Ray is not installed, or its cluster cannot be reached."""


class BuildTaskFailed(CouncilQAError):
    """A distributed build's task failed on a worker, after Ray's retries; the message carries its error."""
