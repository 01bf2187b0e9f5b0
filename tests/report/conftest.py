"""Shared fixtures for the report tests: a tiny notebook run once through papermill."""
from __future__ import annotations

from pathlib import Path

import pytest

TINY = Path(__file__).parent / "notebooks" / "00_tiny.ipynb"


@pytest.fixture(scope="session")
def tiny_notebook() -> Path:
    return TINY


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """The tiny notebook run with non-default parameters given as command-line text."""
    from balance_sim.report.runner import run_notebook

    out = tmp_path_factory.mktemp("tiny-run")
    return run_notebook(TINY, {"years": "5", "seed": "2", "language": "zh"}, out=out, progress=False)


# The tiny notebook is a fixture for the runner tests, not a test of its own: keep nbval away.
collect_ignore = ["notebooks"]
