"""The layers run one way (models <- indexer <- qa), private names stay home, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "indexer", "qa", "evaluation")
# What each package may import from the project; evaluation talks to qa as a client.
ALLOWED = {"models": {"models"}, "indexer": {"models", "indexer"}, "qa": {"models", "indexer", "qa"},
           "evaluation": {"models", "indexer", "qa", "evaluation"}}
# Only these may import the libraries that carry models.
MODEL_LIBRARIES = ("sentence_transformers", "spacy", "onnxruntime", "transformers", "torch")
MAX_LINES = 300


def modules(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in the file, wherever it stands (inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_layers_import_only_downwards(package: str) -> None:
    wrong = [f"{path.relative_to(ROOT)} imports {module}" for path in modules(package)
             for module, _ in imports(path)
             if module.split(".")[0] in PACKAGES and module.split(".")[0] not in ALLOWED[package]]
    assert wrong == []


def test_only_models_imports_the_model_libraries() -> None:
    wrong = [f"{path.relative_to(ROOT)} imports {module}" for path in modules("indexer", "qa", "evaluation")
             for module, _ in imports(path) if module.split(".")[0] in MODEL_LIBRARIES]
    assert wrong == []


def test_qa_never_writes_the_index() -> None:
    writers = ("indexer.store.writer", "indexer.pipeline", "indexer.factory")
    wrong = [f"{path.relative_to(ROOT)} imports {module}" for path in modules("qa") if path.name != "cli.py"
             for module, _ in imports(path) if module in writers]
    assert wrong == []  # the CLI's `qa index` command is the indexer's front door, nothing else in qa


def test_private_names_stay_in_their_module() -> None:
    wrong = [f"{path.relative_to(ROOT)} imports {name} from {module}"
             for path in modules(*PACKAGES, "tests") for module, names in imports(path)
             for name in names if name.startswith("_") and name != "__future__"]
    assert wrong == []


def test_no_module_is_over_the_size_limit() -> None:
    long = [f"{path.relative_to(ROOT)}: {n} lines" for path in modules(*PACKAGES, "tests")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


def test_every_module_imports_first_without_a_cycle() -> None:
    """Each module imported first, in a fresh interpreter: an import cycle shows up as an ImportError."""
    import subprocess
    import sys

    names = [".".join(path.relative_to(ROOT).with_suffix("").parts) for path in modules("models", "indexer", "qa")]
    names = [name.removesuffix(".__init__") for name in names]
    script = ("import importlib, subprocess, sys\n"
              "from concurrent.futures import ThreadPoolExecutor\n"
              "def run(name):\n"
              "    done = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True, text=True)\n"
              "    return name if done.returncode else None\n"
              f"with ThreadPoolExecutor(4) as pool:\n"
              f"    print([n for n in pool.map(run, {names!r}) if n])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
