"""CVs at the edge of their ceiling: the standard's `cv_decimals` decides the verdict, and a CV
less than 0.005 from its ceiling is flagged `marginal` in every output.

The county figure: a published backbone-teacher CV of 0.501787 against the quality-2017 primary
ceiling of 0.50 fails unrounded, passes at two decimals (0.50) and fails at three (0.502).
"""
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import balance_sim.cli.assess as assess_command
from balance_sim import County
from balance_sim.assessment import assess
from balance_sim.assessment.panel import assess_panel
from balance_sim.assessment.panel_text import format_panel
from balance_sim.assessment.text import cv_against_ceiling, format_table
from balance_sim.assessment.trend import trend_row
from balance_sim.cli import main
from balance_sim.errors import InputError
from balance_sim.standards import load_standard
from balance_sim.standards.rules import cv_compared, cv_marginal, cv_within_ceiling

SHIPPED = Path(__file__).resolve().parents[1] / "balance_sim" / "standards"
COUNTY_CV = 0.501787
MARGINAL_LINE = "0.502 against 0.50 — marginal: within rounding of the ceiling"

# Per 1,000 pupils: the quality-2017 primary minimums (docs/sources.md#quality-2017) and, for
# basic-2012, plausible totals of its other indicators.
PRIMARY_AT_MINIMUM = {
    "teachers_above_degree": 42.0, "backbone_teachers": 10.0, "pe_art_teachers": 9.0,
    "teaching_area_m2": 4500.0, "sports_area_m2": 7500.0, "equipment_value_yuan": 2_000_000.0,
    "multimedia_classrooms": 23.0, "teachers": 66.0, "books": 30_000.0, "computers": 125.0,
    "teachers_mid_senior_title": 33.0,
}


def school(school_id: str, level: str = "primary", scale: float = 1.0, **columns) -> dict:
    """A section of 1,000 pupils with every resource at `scale` times PRIMARY_AT_MINIMUM."""
    row = {"school_id": school_id, "name": f"School {school_id}", "level": level, "location": "rural",
           "school_type": "regular", "students": 1000, "classes": 25}
    row.update({column: total * scale for column, total in PRIMARY_AT_MINIMUM.items()})
    row.update(columns)
    return row


def county_figure_county() -> County:
    """Two primary sections of 1,000 pupils with 0.996426 and 3.003574 backbone teachers per 100
    pupils: mean 2.0, weighted SD 1.003574, CV 1.003574 / 2.0 = 0.501787. Every other indicator
    is equal in both (CV 0), and both sections meet the per-school rule (the lower one has 6 of 7
    minimums and 99.6% of the backbone minimum), so the CV alone decides the verdict."""
    return County.from_frames(pd.DataFrame([
        school("low", backbone_teachers=9.96426), school("high", backbone_teachers=30.03574),
    ]))


def composite_edge_county() -> County:
    """Two junior sections of 1,000 pupils, one with every resource at 0.446 times the other's
    1.554: each of the eight basic-2012 CVs is (1.554 − 0.446) / (1.554 + 0.446) = 0.554, and so
    is their mean, the comprehensive CV (junior ceiling 0.55)."""
    return County.from_frames(pd.DataFrame([school("low", "junior", 0.446), school("high", "junior", 1.554)]))


def variant(tmp_path, cv_decimals, base: str = "quality-2017", name: str = "rounded") -> Path:
    """The shipped standard with `resources.cv_decimals` set to `cv_decimals` (as written)."""
    raw = yaml.safe_load((SHIPPED / f"{base}.yaml").read_text(encoding="utf-8"))
    raw["name"] = name
    raw["resources"]["cv_decimals"] = cv_decimals
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def backbone_row(assessment) -> pd.Series:
    return assessment.indicators.set_index("key").loc["backbone_teachers_per_100"]


# The verdict rule itself.

def test_county_figure_fails_unrounded_passes_at_two_decimals_fails_at_three():
    assert not cv_within_ceiling(COUNTY_CV, 0.50, None)
    assert cv_compared(COUNTY_CV, 2) == 0.50 and cv_within_ceiling(COUNTY_CV, 0.50, 2)
    assert cv_compared(COUNTY_CV, 3) == 0.502 and not cv_within_ceiling(COUNTY_CV, 0.50, 3)


def test_county_figure_is_marginal_whatever_the_rounding_and_040_is_not():
    assert cv_marginal(COUNTY_CV, 0.50)  # 0.001787 from the ceiling
    assert not cv_marginal(0.40, 0.50)  # 0.1 away
    # Exactly half a unit of the second decimal away is not marginal, on either side.
    assert not cv_marginal(0.495, 0.50) and not cv_marginal(0.505, 0.50)
    assert cv_marginal(0.4951, 0.50) and cv_marginal(0.5049, 0.50)
    assert not cv_marginal(float("nan"), 0.50)
    assert list(cv_marginal(np.array([COUNTY_CV, 0.40]), 0.50)) == [True, False]


def test_rounding_is_half_up_on_the_published_digits():
    # 0.5015 is stored a hair below 0.5015; a published table shows 0.5015 and rounds it to 0.502.
    assert cv_compared(0.5015, 3) == 0.502
    assert cv_compared(0.545, 2) == 0.55
    assert cv_compared(0.4999, 0) == 0.0
    assert np.isnan(cv_compared(float("nan"), 2))


def test_cv_line_says_marginal():
    assert cv_against_ceiling(COUNTY_CV, 0.50, True) == MARGINAL_LINE
    assert cv_against_ceiling(0.40, 0.50, False) == "0.400 against 0.50"


# The assessment.

def test_unrounded_county_figure_fails_and_is_marginal():
    assessment = assess(county_figure_county())
    row = backbone_row(assessment)
    assert row["cv"] == pytest.approx(COUNTY_CV, abs=1e-12)
    assert not row["cv_pass"] and row["marginal"]
    assert not assessment.indicators.set_index("key").drop(index="backbone_teachers_per_100")["marginal"].any()
    level = assessment.levels.iloc[0]
    assert level["verdict"] == "fail"
    assert level["reasons"] == (
        "CV of backbone_teachers_per_100 is 0.502, above 0.50 — marginal: within rounding of the ceiling",)


@pytest.mark.parametrize("written", [2, {"value": 2, "source": "two decimals (docs/sources.md#cv)"}])
def test_two_decimals_pass_the_county_figure_and_keep_it_marginal(tmp_path, written):
    standard = load_standard(variant(tmp_path, written))
    assert standard.resources.cv_decimals == 2
    assessment = assess(county_figure_county(), standard)
    row = backbone_row(assessment)
    assert row["cv_pass"] and row["marginal"]
    level = assessment.levels.iloc[0]
    assert level["verdict"] == "pass" and level["reasons"] == ()


def test_three_decimals_fail_the_county_figure(tmp_path):
    assessment = assess(county_figure_county(), variant(tmp_path, 3))
    row = backbone_row(assessment)
    assert not row["cv_pass"] and row["marginal"]
    assert assessment.levels.iloc[0]["reasons"] == (
        "CV of backbone_teachers_per_100 is 0.502 (0.502 at 3 decimals), above 0.50 "
        "— marginal: within rounding of the ceiling",)


def test_comprehensive_cv_is_rounded_where_it_meets_the_ceiling(tmp_path):
    unrounded = assess(composite_edge_county(), "basic-2012")
    level = unrounded.levels.iloc[0]
    assert level["composite_cv"] == pytest.approx(0.554, abs=1e-12)
    assert level["verdict"] == "fail" and level["composite_cv_marginal"]
    assert level["reasons"] == ("comprehensive CV is 0.554, above 0.55 — marginal: within rounding of the ceiling",)
    assert unrounded.indicators["marginal"].all()  # each CV is 0.554 too
    two = assess(composite_edge_county(), variant(tmp_path, 2, "basic-2012", "basic-two"))
    assert two.levels.iloc[0]["verdict"] == "pass" and two.levels.iloc[0]["composite_cv_marginal"]
    assert two.contributions.empty  # nothing to lower once the comprehensive CV passes
    three = assess(composite_edge_county(), variant(tmp_path, 3, "basic-2012", "basic-three"))
    assert three.levels.iloc[0]["verdict"] == "fail"
    data = two.to_dict()["counties"][0]["levels"][0]
    assert data["composite_cv_marginal"] is True


def test_quality_2017_levels_have_no_comprehensive_marginal_flag():
    data = assess(county_figure_county()).to_dict()["counties"][0]["levels"][0]
    assert data["composite_cv"] is None and data["composite_cv_marginal"] is None


def test_trend_within_ceiling_follows_the_rounding():
    years, cvs = np.array([2020, 2021]), np.array([0.52, 0.504])
    unrounded = trend_row(years, cvs, 0.50)
    # falling 0.016 a year, 0.004 above the ceiling: a quarter of a year away
    assert unrounded["status"] == "approaching" and unrounded["years_to_ceiling"] == pytest.approx(0.25)
    rounded = trend_row(years, cvs, 0.50, cv_decimals=2)
    assert rounded["status"] == "within ceiling" and np.isnan(rounded["years_to_ceiling"])


# The outputs of `balance-sim assess`.

@pytest.fixture
def county_figure_input(monkeypatch):
    monkeypatch.setattr(assess_command, "_load", lambda path: county_figure_county())


def test_json_carries_marginal_on_each_cv_entry(county_figure_input, capsys):
    assert main(["assess", "x", "--format", "json"]) == 0
    indicators = json.loads(capsys.readouterr().out)["counties"][0]["levels"][0]["indicators"]
    flags = {entry["key"]: entry["marginal"] for entry in indicators}
    assert flags.pop("backbone_teachers_per_100") is True
    assert set(flags.values()) == {False} and len(flags) == 6
    backbone = next(entry for entry in indicators if entry["key"] == "backbone_teachers_per_100")
    assert backbone["cv_pass"] is False and backbone["cv"] == pytest.approx(COUNTY_CV, abs=1e-12)


def test_csv_has_a_marginal_column(county_figure_input, capsys):
    assert main(["assess", "x", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table.columns)[-3:] == ["marginal", "sections_left_out", "left_out_reasons"]
    assert list(table.loc[table["marginal"], "key"]) == ["backbone_teachers_per_100"]


def test_table_marks_the_marginal_cv_and_says_why(county_figure_input, capsys):
    assert main(["assess", "x"]) == 0
    text = capsys.readouterr().out
    name = "每百名学生拥有县级及以上骨干教师数"
    backbone = next(line for line in text.splitlines() if line.lstrip().startswith(name))
    # name, mean, CV, max, CV ok with its mark, sections below the minimum (the 0.996 one)
    assert backbone.split() == [name, "2.00", "0.502", "0.50", "NO", "≈", "1"]
    assert f"  ≈ CV of backbone_teachers_per_100: {MARGINAL_LINE}" in text
    # the resource part of the four-part listing says it too
    assert any("backbone_teachers_per_100.cv" in line and line.endswith("marginal: within rounding of the ceiling")
               for line in text.splitlines())


def test_table_names_the_rounding_convention(tmp_path):
    text = format_table(assess(county_figure_county(), variant(tmp_path, {"value": 2, "source": "two decimals"})))
    assert "  CVs are rounded to 2 decimals before the comparison with the ceiling (two decimals)" in text
    assert "yes ≈" in text


def test_panel_table_counts_marginal_cvs():
    rows = county_figure_county().schools
    county = County.from_frames(pd.concat([rows.assign(year=2022), rows.assign(year=2023)], ignore_index=True))
    text = format_panel(assess_panel(county))
    header = next(line for line in text.splitlines() if "CVs marginal" in line).split()
    year_row = next(line for line in text.splitlines() if " 2023 " in line and "fail" in line).split()
    # county, level, year, verdict, comprehensive CV (—), CVs above max 1, CVs marginal 1, meeting 2/2
    assert header[:4] == ["county", "level", "year", "verdict"]
    assert year_row[2:] == ["2023", "fail", "—", "1", "1", "2/2"]


# The standard files.

def test_shipped_standards_are_unrounded_and_cite_the_convention():
    for name in ("basic-2012", "quality-2017"):
        resources = load_standard(name).resources
        assert resources.cv_decimals is None
        assert "docs/sources.md#cv" in resources.cv_decimals_source


@pytest.mark.parametrize(
    ("written", "key"),
    [
        (-1, "resources.cv_decimals"),
        (7, "resources.cv_decimals"),
        (2.5, "resources.cv_decimals"),
        ("two", "resources.cv_decimals"),
        (True, "resources.cv_decimals"),
        ({"value": 9, "source": "x"}, "resources.cv_decimals.value"),
        ({"value": 2, "digits": 2}, "resources.cv_decimals.digits"),
    ],
)
def test_bad_cv_decimals_names_file_and_key(tmp_path, written, key):
    path = variant(tmp_path, written)
    with pytest.raises(InputError) as caught:
        load_standard(path)
    problems = caught.value.problems
    assert any(p.file == str(path) and p.column == key for p in problems), [str(p) for p in problems]
    if key.endswith(("cv_decimals", ".value")):
        assert any("from 0 to 6, or null for unrounded" in str(p) for p in problems)
