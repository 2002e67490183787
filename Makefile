# dyad: the two commands that matter are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= dyad.db

.PHONY: setup run test test-fast clean

$(BIN)/dyad: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/dyad

setup: $(BIN)/dyad

# Code the bundled example corpus into $(DB), print a summary, then serve the dashboard and API on it
# (http://127.0.0.1:8000/; Ctrl-C stops). `make test` never runs this target.
run: setup
	$(BIN)/dyad code examples/ --db $(DB) --quiet
	$(BIN)/dyad summary --db $(DB)
	$(BIN)/dyad serve --db $(DB)

# The whole test suite (tests needing ../shared skip when it is absent).
test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) $(DB) .pytest_cache test-output
