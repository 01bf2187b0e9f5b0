"""`balance-sim assess`: JSON shape, CSV, table, atomic --out, exit codes."""
import json

import pandas as pd
import pytest

import balance_sim.cli.assess as assess_command
from balance_sim.cli import main
from monitoring_counties import county_of, section


@pytest.fixture
def small_county(monkeypatch):
    county = county_of(section("a", sports_area_m2=3000.0), section("b"), section("c", "junior", students=500))
    monkeypatch.setattr(assess_command, "_load", lambda path: county)
    return county


def test_json_output_has_the_design_shape(small_county, capsys):
    assert main(["assess", "anything", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["standard"] == "quality-2017"
    level = data["counties"][0]["levels"][0]
    assert level["level"] == "primary" and level["verdict"] == "fail"
    assert level["schools"] == 2 and level["students"] == 2000 and level["composite_cv"] is None
    assert level["schools_meeting_standard"] == 1
    assert [i["key"] for i in level["indicators"]][:2] == ["above_degree_teachers_per_100", "backbone_teachers_per_100"]
    sports = next(i for i in level["indicators"] if i["key"] == "sports_area_per_student")
    # 3.0 and 7.5 m² per pupil for 1,000 pupils each: mean 5.25, CV 2.25 / 5.25
    assert sports["mean"] == pytest.approx(5.25) and sports["cv"] == pytest.approx(2.25 / 5.25)
    assert sports["schools_below_minimum"] == 1 and sports["cv_pass"] is True


def test_basic_2012_json_has_composite_and_nulls(small_county, capsys):
    assert main(["assess", "x", "--standard", "basic-2012", "--format", "json"]) == 0
    level = json.loads(capsys.readouterr().out)["counties"][0]["levels"][0]
    assert isinstance(level["composite_cv"], float)
    assert level["schools_meeting_standard"] is None
    assert {i["schools_below_minimum"] for i in level["indicators"]} == {None}


def test_csv_is_the_indicators_table_written_atomically(small_county, tmp_path, capsys):
    out = tmp_path / "deep" / "cv.csv"
    assert main(["assess", "x", "--format", "csv", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    table = pd.read_csv(out)
    assert list(table.columns) == ["county", "level", "key", "mean", "cv", "cv_max", "cv_pass", "schools_below_minimum",
                                   "marginal", "sections_left_out", "left_out_reasons"]
    assert len(table) == 14
    assert [p.name for p in out.parent.iterdir()] == ["cv.csv"]  # no temporary file left behind


def test_table_shows_chinese_and_english_names(small_county, capsys):
    assert main(["assess", "x"]) == 0
    text = capsys.readouterr().out
    assert "生均体育运动场馆面积" in text and "Sports ground and hall area per pupil" in text
    assert "FAIL" in text and "schools meeting the per-school rule: 1 of 2" in text


def test_unknown_standard_exits_2_before_loading(monkeypatch, capsys):
    monkeypatch.setattr(assess_command, "_load", lambda path: pytest.fail("loaded"))
    assert main(["assess", "x", "--standard", "quality-2035"]) == 2
    assert "unknown standard" in capsys.readouterr().err


def test_bad_input_path_exits_2_and_writes_nothing(tmp_path, capsys):
    pytest.importorskip("balance_sim.io")
    out = tmp_path / "out.json"
    assert main(["assess", str(tmp_path / "missing"), "--format", "json", "--out", str(out)]) == 2
    assert not out.exists()
    assert "missing" in capsys.readouterr().err


def test_unwritable_out_exits_2(small_county, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["assess", "x", "--out", str(blocker / "out.txt")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_reads_a_csv_folder_through_the_loader(tmp_path, capsys):
    pytest.importorskip("balance_sim.io")
    rows = [section("a"), section("b", students=2000)]
    pd.DataFrame(rows).to_csv(tmp_path / "schools.csv", index=False)
    assert main(["assess", str(tmp_path), "--format", "json"]) == 0
    level = json.loads(capsys.readouterr().out)["counties"][0]["levels"][0]
    assert level["verdict"] == "pass" and level["students"] == 3000
