# Two entry points: `make run` (install, index corpus/, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install browser index run serve test test-all clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	# The CPU build of torch first: an unpinned torch would pull a CUDA build of several GB.
	$(BIN)/python -m pip install torch==2.13.0
	$(BIN)/python -m pip install -e '.[test]'
	# Rebuild the adapted model (bundled weights + the shipped difference) and export its query encoder
	# to ONNX now rather than on the first query.
	$(BIN)/python -m models.onnx_embedder
	touch $@

install: $(STAMP)

index: install
	$(BIN)/qa index corpus

run: index
	$(BIN)/qa serve --host 127.0.0.1 --port 8000

# Debian's Chromium and its driver, for the browser tests (CI runs as root).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "note: install Debian's chromium and chromium-driver to run the browser tests"; fi

test: install browser
	$(BIN)/python -m pytest

test-all: install browser
	$(BIN)/python -m pytest -m ''

clean:
	rm -rf $(VENV) index
