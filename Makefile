# Two commands on a fresh machine: `make sample` builds the sample PDF, `make test` runs every test.
# Each sets up .venv first (only Python 3.11+ is needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.koho-installed

.PHONY: sample test setup clean

sample: $(STAMP)
	$(BIN)/koho build data -o build/sample.pdf

test: $(STAMP)
	@scripts/ensure-chromium
	@scripts/ensure-icc
	@scripts/ensure-poppler
	@scripts/ensure-axe
	$(BIN)/python -m pytest -n auto --dist loadfile

setup: $(STAMP)

# Reinstall when the packaging or the top-level cli.py changes.
$(STAMP): pyproject.toml cli.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build data/build node_modules
