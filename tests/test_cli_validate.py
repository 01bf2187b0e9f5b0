"""`balance-sim validate`: exit 0 and a summary for good input, exit 2 and one line per problem
for bad input, never a traceback."""
import subprocess
import sys

import pytest

from balance_sim.cli import main

SCHOOLS = (
    "学校代码,学校名称,学段,城乡类型,在校生数,班级数,专任教师数,校长姓名\n"
    "S01,城关一小,小学,城区,800,18,45,张三\n"
    "S02,红旗小学,小学,乡村,120,6,10,李四\n"
    "S03,城关中学,初中,镇区,600,12,50,王五\n"
)


def test_valid_folder_prints_the_summary_and_notes(tmp_path, capsys):
    (tmp_path / "学校.csv").write_bytes(SCHOOLS.encode("gbk"))
    assert main(["validate", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert f"source: {tmp_path}" in out
    assert "primary: 2 school sections (urban 1, town 0, rural 1), 920 pupils, 55 teachers" in out
    assert "junior: 1 school sections (urban 0, town 1, rural 0), 600 pupils, 50 teachers" in out
    assert "note: " in out and "校长姓名" in out and "GB18030" in out
    assert "no teacher roster" in out


def test_bad_input_lists_each_problem_as_file_row_column(tmp_path, capsys):
    (tmp_path / "schools.csv").write_text(SCHOOLS.replace("800", "八百").replace("乡村", "山区"))
    assert main(["validate", str(tmp_path / "schools.csv")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{tmp_path}/schools.csv:2:在校生数: not a number: '八百'",
        f"{tmp_path}/schools.csv:3:城乡类型: unknown location word '山区' "
        "(accepted: urban/城区/城市/城镇, town/镇区/县镇/镇中心区, rural/乡村/农村/乡中心区)",
    ]


def test_demo_validates(capsys):
    datasets = pytest.importorskip("balance_sim.datasets")
    if not hasattr(datasets, "demo_county"):
        pytest.skip("balance_sim.datasets.demo_county is not there yet")
    assert main(["validate", "demo"]) == 0
    assert capsys.readouterr().out.startswith("source: demo\n")


def test_console_script_exit_code_and_no_traceback(tmp_path):
    missing = tmp_path / "missing"
    result = subprocess.run(
        [sys.executable, "-c", "from balance_sim.cli import entry_point; entry_point()",
         "validate", str(missing)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stderr == f"{missing}:-:-: no such file or folder\n"
