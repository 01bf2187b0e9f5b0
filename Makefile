# Two commands a newcomer needs: `make demo` (the main job) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install lab

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

demo: install
	$(BIN)/balance-sim demo

test: install
	$(BIN)/python -m pytest

# Open the notebooks in JupyterLab (the browser opens at notebooks/; the reports go to reports/).
lab: install
	$(BIN)/jupyter lab notebooks/
