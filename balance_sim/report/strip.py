"""Keep notebooks in git without their outputs, except the cells nbval checks.

A code cell whose source carries `# NBVAL_CHECK_OUTPUT` keeps its stored outputs and execution
count (the headline numbers nbval compares; nbval refuses outputs of a cell marked unrun); every
other output, execution count and run metadata is dropped.
`--refresh` first executes the notebook (this interpreter's kernel, batch mode) so the stored
outputs are the current ones.

    python -m balance_sim.report.strip notebooks/*.ipynb            # strip in place
    python -m balance_sim.report.strip --refresh notebooks/*.ipynb  # execute, then strip
    python -m balance_sim.report.strip --check notebooks/*.ipynb    # exit 1 if any is not stripped
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
from pathlib import Path

import nbformat

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
_RUN_METADATA = ("papermill", "widgets", "execution")


def is_checked(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and CHECK_MARK in cell.source


def strip(node: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of the notebook with outputs kept only in checked cells."""
    node = copy.deepcopy(node)
    node.cells = [c for c in node.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    for key in _RUN_METADATA:
        node.metadata.pop(key, None)
    for cell in node.cells:
        for key in _RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        if not is_checked(cell):  # nbval wants a checked cell's execution count: it was run
            cell.execution_count = None
            cell.outputs = []
    return node


def execute(path: Path) -> nbformat.NotebookNode:
    """Execute the notebook in its own folder with this interpreter, in batch mode."""
    from nbclient import NotebookClient

    from balance_sim.report.explorer import BATCH_ENV
    from balance_sim.report.kernel import current_interpreter_kernel

    node = nbformat.read(str(path), as_version=4)
    os.environ[BATCH_ENV] = "1"
    with current_interpreter_kernel() as kernel_name:
        NotebookClient(node, kernel_name=kernel_name, resources={"metadata": {"path": str(path.parent)}},
                       timeout=600).execute()
    return node


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balance_sim.report.strip", description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--refresh", action="store_true", help="execute first, then strip")
    mode.add_argument("--check", action="store_true", help="only report notebooks that are not stripped")
    args = parser.parse_args(argv)
    dirty = []
    for path in args.notebooks:
        node = execute(path) if args.refresh else nbformat.read(str(path), as_version=4)
        stripped = strip(node)
        if args.check:
            if stripped != node:
                dirty.append(path)
            continue
        nbformat.write(stripped, str(path))
    for path in dirty:
        print(f"{path}: holds outputs outside {CHECK_MARK} cells; run python -m balance_sim.report.strip {path}")
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main())
