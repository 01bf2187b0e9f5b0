"""The main job (`balance-sim demo`): every numbered notebook with its defaults (the embedded demo
county), then an index page linking each report with its headline numbers."""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from balance_sim.errors import ParameterError
from balance_sim.report.index import write_index
from balance_sim.report.runner import NotebookRun, available_notebooks, run_notebook


@dataclass(frozen=True)
class DemoRun:
    """The index page written, the notebook runs behind it and the wall time in seconds."""

    index: Path
    runs: tuple[NotebookRun, ...]
    seconds: float


def run_demo(out: str | Path = "reports", progress: bool = True,
             notebooks: Sequence[str | Path] | None = None) -> DemoRun:
    """Run every notebook (default: all numbered ones, in order) into `out`; write `out/index.html`."""
    started = time.perf_counter()
    notebooks = available_notebooks() if notebooks is None else notebooks
    if not notebooks:
        raise ParameterError("no numbered notebooks found in ./notebooks or beside the package")
    runs = tuple(run_notebook(name, out=out, progress=progress) for name in notebooks)
    index = write_index(Path(out).expanduser().resolve(), [run.name for run in runs])
    return DemoRun(index, runs, time.perf_counter() - started)
