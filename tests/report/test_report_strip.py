"""Notebooks are stored without outputs, except the cells nbval checks."""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from balance_sim.report.strip import main, strip


def _executed():
    checked = new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)", execution_count=3,
                            outputs=[new_output("stream", name="stdout", text="1\n")])
    plain = new_code_cell("x = 1\nx", execution_count=4,
                          outputs=[new_output("execute_result", data={"text/plain": "1"}, execution_count=4)])
    injected = new_code_cell("years = 5", metadata={"tags": ["injected-parameters"]})
    node = new_notebook(cells=[injected, checked, plain], metadata={"papermill": {"parameters": {}}})
    checked.metadata["papermill"] = {"duration": 1.0}
    return node


def test_strip_keeps_only_checked_outputs_and_drops_run_metadata():
    stripped = strip(_executed())
    assert [c.source.splitlines()[-1] for c in stripped.cells] == ["print(1)", "x"]  # injected cell gone
    assert stripped.cells[0].outputs[0].text == "1\n"
    assert stripped.cells[1].outputs == []
    assert [c.execution_count for c in stripped.cells] == [3, None]
    assert "papermill" not in stripped.metadata and "papermill" not in stripped.cells[0].metadata


def test_check_mode_flags_a_notebook_with_outputs(tmp_path, capsys):
    path = tmp_path / "n.ipynb"
    nbformat.write(_executed(), str(path))
    assert main(["--check", str(path)]) == 1
    assert "holds outputs outside" in capsys.readouterr().out
    assert main([str(path)]) == 0
    assert main(["--check", str(path)]) == 0
