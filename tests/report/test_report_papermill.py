"""Notebooks as policy staff run them: plain papermill from the project root writes into the
project's reports/ (a relative out_dir is read against the project, not the working folder) and
passes the explorer at once; `balance-sim run` keeps an index beside the reports up to date."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from balance_sim.report.index import write_index
from balance_sim.report.parameters import REPORTS_BASE_ENV, project_folder, resolve_out_dir
from balance_sim.report.runner import run_notebook

ROOT = Path(__file__).resolve().parents[2]


def test_a_relative_out_dir_is_read_against_the_project_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(REPORTS_BASE_ENV, raising=False)
    (tmp_path / "proj" / "notebooks").mkdir(parents=True)
    (tmp_path / "proj" / "notebooks" / "01_monitoring.ipynb").write_text("{}")
    for start in (tmp_path / "proj", tmp_path / "proj" / "notebooks"):
        assert project_folder(start) == (tmp_path / "proj").resolve()
        assert resolve_out_dir("reports/01", start) == (tmp_path / "proj" / "reports" / "01").resolve()
    assert project_folder(tmp_path) == tmp_path.resolve()  # outside a project: the working folder
    assert resolve_out_dir(tmp_path / "abs", tmp_path / "proj") == tmp_path / "abs"


def test_plain_papermill_from_the_project_root(tmp_path):
    papermill = Path(sys.executable).with_name("papermill")
    env = {**os.environ, REPORTS_BASE_ENV: str(tmp_path)}  # the project's reports/ stays untouched
    started = time.perf_counter()
    subprocess.run([str(papermill), "notebooks/02_new_funds_to_rural.ipynb", str(tmp_path / "out.ipynb"),
                    "-p", "rural_share", "0.9", "-p", "replications", "2", "-p", "years", "3", "--no-progress-bar"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    assert time.perf_counter() - started < 120  # the explorer waits for its Run button
    summary = json.loads((tmp_path / "reports" / "02_new_funds_to_rural" / "summary.json").read_text("utf-8"))
    shares = [h["value"] for h in summary["headline"] if h["key"] == "rural_share"]
    assert shares == [0.9]


def test_a_rerun_leaves_the_index_with_the_reports_numbers(tmp_path):
    small = {"replications": 2, "years": 3}
    run_notebook("02_new_funds_to_rural", {**small, "rural_share": 0.8}, out=tmp_path, progress=False)
    index = write_index(tmp_path)
    run_notebook("02_new_funds_to_rural", {**small, "rural_share": 0.9}, out=tmp_path, progress=False)
    text = index.read_text(encoding="utf-8")
    assert 'data-key="rural_share"' in text
    row = text[text.index('data-key="rural_share"'):].split("</tr>")[0]
    assert 'data-value="0.9"' in row and ">90%<" in row
