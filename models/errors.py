"""The root of every error council-qa raises on purpose, and the errors of the models themselves.

The root lives here, in the lowest layer, so that the indexer's and the service's errors
share it with the models' without any layer importing one above it.
"""


class CouncilQAError(Exception):
    """Base class for every error this project raises on purpose."""


class ModelUnavailable(CouncilQAError):
    """A model named in the settings could not be loaded."""
