# Two commands do all set-up: `make demo` and `make test`. Both create .venv when it is missing and
# reinstall when setup.cfg changes (the stamp file .venv/.installed).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow results clean-venv

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The clipped-SGD demo set (problems/clipped_sgd.toml): numba kernels are compiled on the first run
# and cached (~/.cache/boundcheck/kernels), so a second run is faster; each run prints "took X s".
demo: $(STAMP)
	$(BIN)/boundcheck verify clipped-sgd --noise alpha=1.5

test: $(STAMP)
	$(BIN)/python -m pytest

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

# Every claim of the built-in catalogue, with its verdict, measured values, reasons and plots:
# regenerates docs/results.md (committed), docs/results.html (self-contained) and docs/results.png.
results: $(STAMP)
	$(BIN)/boundcheck verify --all --report docs/results.md --report docs/results.html --plot docs/results.png

clean-venv:
	rm -rf $(VENV)
