"""The notebooks read as short stories: question, parameters, validation, package calls only."""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from balance_sim.report.strip import CHECK_MARK, strip

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_CODE_CELLS = 15
LOGIC = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.IfExp, ast.FunctionDef, ast.AsyncFunctionDef,
         ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Try)


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def _code(node) -> list:
    return [c for c in node.cells if c.cell_type == "code"]


def test_the_numbered_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == ["01_county_monitoring", "02_new_funds_to_rural", "03_teacher_exchange"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_then_plain_parameters(path):
    node = _read(path)
    assert node.cells[0].cell_type == "markdown" and node.cells[0].source.startswith("# ")
    assert node.cells[0].source.rstrip().endswith("?")
    parameters = _code(node)[0]
    assert "parameters" in parameters.metadata.get("tags", [])
    assert sum("parameters" in c.metadata.get("tags", []) for c in node.cells) == 1
    statements = ast.parse(parameters.source).body
    assert statements and all(isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) for s in statements)
    assert "language" in {s.targets[0].id for s in statements} and "out_dir" in {s.targets[0].id for s in statements}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_next_cell_checks_every_parameter(path):
    cells = _code(_read(path))
    names = {s.targets[0].id for s in ast.parse(cells[0].source).body}
    calls = [n for n in ast.walk(ast.parse(cells[1].source))
             if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "check_parameters"]
    assert len(calls) == 1
    assert {k.arg for k in calls[0].keywords} >= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_holds_package_calls_only(path):
    cells = _code(_read(path))
    assert len(cells) <= MAX_CODE_CELLS
    for cell in cells:
        found = [type(n).__name__ for n in ast.walk(ast.parse(cell.source)) if isinstance(n, LOGIC)]
        assert not found, f"{path.stem}: logic belongs in the package: {found} in\n{cell.source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_only_checked_cells_keep_outputs_and_they_have_some(path):
    node = _read(path)
    assert strip(node) == node
    checked = [c for c in _code(node) if CHECK_MARK in c.source]
    assert checked and all(c.outputs for c in checked)
    assert node.metadata["kernelspec"]["name"] == "python3"
