"""The sections a standard leaves out are shown with their reasons wherever sections are counted:
`assess` as table, JSON and CSV, report 01's headline, its table and its workbook. On the demo
county quality-2017 leaves out 4 primary teaching points under 50 pupils: 49 primary sections
loaded, 45 counted (59 of both levels)."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from balance_sim.assessment import assess
from balance_sim.cli import main
from balance_sim.datasets import demo_county
from balance_sim.report import monitoring
from balance_sim.targets import county_targets

REASON = "teaching point with fewer than 50 pupils"


@pytest.fixture(scope="module")
def assessment():
    return assess(demo_county(), "quality-2017")


def _cli(capsys, *args) -> str:
    assert main(["assess", "demo", "--standard", "quality-2017", *args]) == 0
    return capsys.readouterr().out


def test_json_lists_each_section_left_out_with_its_reason(capsys):
    county = json.loads(_cli(capsys, "--format", "json"))["counties"][0]
    left = county["excluded"]
    assert len(left) == 4 and {e["reason"] for e in left} == {REASON} and all(e["students"] < 50 for e in left)
    assert [lv["schools"] for lv in county["levels"]] == [45, 14]


def test_csv_says_per_level_how_many_are_left_out_and_why(capsys):
    table = pd.read_csv(io.StringIO(_cli(capsys, "--format", "csv")))
    by_level = table.groupby("level")[["sections_left_out", "left_out_reasons"]].first()
    assert by_level.loc["primary", "sections_left_out"] == 4
    assert by_level.loc["primary", "left_out_reasons"] == f"4 × {REASON}"
    assert by_level.loc["junior", "sections_left_out"] == 0


def test_the_table_names_each_section_left_out(capsys):
    text = _cli(capsys)
    assert "left out of the counts above: 4 sections" in text
    assert text.count(f"pupils): {REASON}") == 4


def test_report_01_says_what_its_count_of_sections_counts(assessment, tmp_path):
    targets = county_targets(demo_county(), "quality-2017")
    items = {h.key: h for h in monitoring.headlines(assessment, targets, "en")}
    assert items["schools_meeting_standard"].unit == f"of 59 counted (4 left out: {REASON})"
    zh = {h.key: h for h in monitoring.headlines(assessment, targets, "zh")}
    assert zh["schools_meeting_standard"].unit == "（计入评估 59 所；另有 4 所未计入：不足 50 人的教学点）"
    shown = monitoring.excluded_table(assessment, "zh").data
    assert len(shown) == 4 and set(shown["未计入原因"]) == {"不足 50 人的教学点"}
    assert len(monitoring.tables(assessment, targets, pd.DataFrame())["excluded"]) == 4
