"""`balance-sim run`: papermill with parameters, HTML export, clear refusal of bad parameters."""
from __future__ import annotations

import json
import re

import nbformat
import openpyxl
import pandas as pd
import pytest

from balance_sim.cli import main
from balance_sim.errors import ParameterError
from balance_sim.report import runner
from balance_sim.report.runner import check_overrides, coerce_text, declared_parameters, find_notebook


def test_run_passes_non_default_parameters_through(tiny_run):
    assert tiny_run.summary["headline"] == [
        {"key": "years", "label": "Years", "value": 5, "unit": "", "text": "5"},
        {"key": "total", "label": "Sum of values", "value": 30, "unit": "", "text": "30"},  # 2·(1+…+5)
    ]
    schools = pd.read_csv(tiny_run.out_dir / "schools.csv")
    assert schools["value"].tolist() == [2, 4, 6, 8, 10]
    assert pd.read_parquet(tiny_run.out_dir / "schools.parquet")["name"].tolist()[:2] == ["=1+1", "+SUM(A1)"]


def test_run_writes_executed_notebook_html_figure_and_workbook(tiny_run):
    assert tiny_run.out_dir == tiny_run.html.parent / "00_tiny"
    executed = nbformat.read(str(tiny_run.notebook), as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "years = 5" in injected[0].source and 'language = "zh"' in injected[0].source
    assert f'out_dir = "{tiny_run.out_dir}"' in injected[0].source
    page = tiny_run.html.read_text(encoding="utf-8")
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', page)) == 1
    assert (tiny_run.out_dir / "figures" / "line.png").stat().st_size > 1000
    sheet = openpyxl.load_workbook(tiny_run.out_dir / "tables.xlsx")["学校"]
    assert [c.value for c in sheet[1]] == ["年份", "学校名称", "数值"]
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (["-p", "years", "0"], "error: years: expected a value from 1 to 30, got 0"),
        (["-p", "years", "ten"], "error: years: expected a whole number, got 'ten'"),
        (["-p", "yeers", "3"], "error: notebook 00_tiny has no parameter 'yeers'; "
                               "its parameters are: data, years, seed, language, out_dir"),
        (["-p", "language", "fr"], "error: language: expected one of 'en', 'zh', got 'fr'"),
    ],
)
def test_bad_parameter_exits_2_with_one_line_before_anything_runs(tmp_path, capsys, tiny_notebook,
                                                                   parameters, message):
    out = tmp_path / "out"
    assert main(["run", str(tiny_notebook), *parameters, "--out", str(out), "--no-progress"]) == 2
    assert capsys.readouterr().err == message + "\n"
    assert not out.exists()


def test_refusal_inside_the_notebook_also_exits_as_a_parameter_error(tmp_path, monkeypatch, tiny_notebook):
    monkeypatch.setattr(runner, "check_value", lambda name, value: value)  # let the notebook decide
    with pytest.raises(ParameterError) as caught:
        runner.run_notebook(tiny_notebook, {"years": 0}, out=tmp_path, progress=False)
    assert str(caught.value) == "years: expected a value from 1 to 30, got 0"
    assert not (tmp_path / "00_tiny.ipynb").exists()


def test_a_refused_run_leaves_no_empty_folder(tmp_path, monkeypatch, tiny_notebook):
    monkeypatch.setattr(runner, "check_value", lambda name, value: value)
    out = tmp_path / "new" / "reports"
    with pytest.raises(ParameterError):
        runner.run_notebook(tiny_notebook, {"years": 0}, out=out, progress=False)
    assert not (tmp_path / "new").exists()  # neither the folder asked for nor its parents


def test_run_out_a_file_exits_2_naming_it(tmp_path, capsys, tiny_notebook):
    target = tmp_path / "report.html"
    target.write_text("mine", encoding="utf-8")
    assert main(["run", str(tiny_notebook), "--out", str(target), "--no-progress"]) == 2
    assert capsys.readouterr().err == f"error: --out: {target} is a file; give a folder for the reports\n"
    assert target.read_text(encoding="utf-8") == "mine"


def test_declared_parameters_are_read_with_their_defaults(tiny_notebook):
    assert declared_parameters(tiny_notebook) == {
        "data": "demo", "years": 3, "seed": 1, "language": "en", "out_dir": "../../../reports/tiny",
    }


def test_command_line_text_takes_the_type_of_the_default():
    assert coerce_text("years", "7", 3) == 7
    assert coerce_text("share", "0.8", 0.5) == 0.8
    assert coerce_text("flag", "false", True) is False
    assert coerce_text("data", "7", "demo") == "7"
    with pytest.raises(ParameterError, match=r"^share: expected a number, got 'lots'$"):
        coerce_text("share", "lots", 0.5)


def test_relative_paths_are_resolved_against_the_callers_folder(tmp_path, monkeypatch, tiny_notebook):
    (tmp_path / "county").mkdir()
    monkeypatch.chdir(tmp_path)
    checked = check_overrides(tiny_notebook, {"data": "county", "out_dir": "out/x"})
    assert checked == {"data": str(tmp_path / "county"), "out_dir": str(tmp_path / "out" / "x")}


def test_notebook_found_by_name_or_path(tmp_path, monkeypatch, tiny_notebook):
    (tmp_path / "notebooks").mkdir()
    target = tmp_path / "notebooks" / "07_example.ipynb"
    target.write_text(tiny_notebook.read_text())
    monkeypatch.chdir(tmp_path)
    assert find_notebook("07_example") == target
    assert find_notebook("07_example.ipynb") == target
    assert find_notebook(str(tiny_notebook)) == tiny_notebook
    with pytest.raises(ParameterError, match=r"^no notebook '08_none'; available: 07_example$"):
        find_notebook("08_none")


def test_summary_file_is_json_with_the_notebooks_numbers(tiny_run):
    body = json.loads((tiny_run.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert body["notebook"] == "tiny" and len(body["headline"]) == 2


def test_policy_lever_out_of_range_is_refused_before_the_kernel_starts(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "02_new_funds_to_rural", "-p", "rural_share", "1.5", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        "error: rural_share: must be between 0.0 and 1.0, got 1.5 (policy key funding.rural_share)\n")
    assert not out.exists()


def test_missing_data_folder_is_refused_with_its_path(tmp_path, capsys):
    assert main(["run", "01_county_monitoring", "-p", "data", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: data: no file or folder at ") and "nowhere" in err and err.count("\n") == 1


def test_bad_data_file_lists_its_problems_before_the_kernel_starts(tmp_path, capsys):
    county = tmp_path / "county"
    county.mkdir()
    (county / "schools.csv").write_text("school_id,name,level,location,students,classes,teachers\n"
                                        "s1,First,primary,rural,-5,3,4\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", "01_county_monitoring", "-p", "data", str(county), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "schools.csv:2:students:" in err
    assert not out.exists()


def test_demo_without_notebooks_says_so(tmp_path, monkeypatch):
    from balance_sim.report import demo

    monkeypatch.setattr(demo, "available_notebooks", lambda: [])
    with pytest.raises(ParameterError, match="no numbered notebooks found"):
        demo.run_demo(tmp_path)


def test_scenario_notebook_with_other_parameters_writes_what_it_computed(tmp_path):
    from balance_sim.datasets import demo_county
    from balance_sim.report import new_funds
    from balance_sim.report.scenarios import compare

    run = runner.run_notebook("02_new_funds_to_rural", {"years": "3", "replications": "2", "seed": "5",
                                                        "rural_share": "0.9", "language": "zh"},
                              out=tmp_path, progress=False)
    expected = new_funds.headlines(compare(demo_county(), new_funds.scenarios(0.9), 3, 5, 2), 0.9, "zh")
    assert run.summary["headline"] == [
        {"key": h.key, "label": h.label, "value": h.value, "unit": h.unit, "text": h.text} for h in expected]
    shares = pd.read_csv(run.out_dir / "share_meeting.csv")
    assert sorted(shares["year"].unique()) == list(range(shares["year"].min(), shares["year"].min() + 4))
    assert set(shares["scenario"]) == {"baseline", "new_funds_to_rural"}
    sheets = openpyxl.load_workbook(run.out_dir / "tables.xlsx").sheetnames
    assert sheets == ["差异系数变化", "达标学校比例", "情景比较", "达标年份", "经费"]
    assert {p.name for p in (run.out_dir / "figures").iterdir()} == {
        "cv_paths.png", "share_meeting.png", "final_differences.png"}
