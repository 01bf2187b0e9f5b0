"""The demo county against its calibration targets (docs/sources.md#quality-2017, docs/sources.md#national-statistics–§9), with stated tolerances,
and its verdicts recomputed by the independent arithmetic of datasets_official.py."""
import numpy as np
import pytest
from datasets_official import QUALITY_CEILING, comprehensive_cv, passes_basic, passes_quality, quality_result, weighted_cv

from balance_sim.datasets.targets import calibration_table, check_county


def _level(demo, level):
    s = demo.schools
    return s[s["level"] == level]


def test_independent_cv_reproduces_the_worked_case():
    # docs/sources.md#cv: pupils 100, 300, 600; values 2, 4, 5 → CV 0.208299…
    assert weighted_cv([2.0, 4.0, 5.0], [100, 300, 600]) == pytest.approx(0.208299, abs=1e-6)


def test_independent_comprehensive_cv_reproduces_the_jilin_case():
    # docs/sources.md#basic-2012: the plain mean of 南关区's eight CVs is 0.359
    assert np.mean([0.393, 0.578, 0.372, 0.246, 0.208, 0.311, 0.311, 0.455]) == pytest.approx(0.359, abs=5e-4)


@pytest.mark.parametrize("level,ratio", [("primary", 16.1), ("junior", 12.7)])
def test_pupil_teacher_ratio_within_0_3_of_national(demo, level, ratio):
    part = _level(demo, level)
    assert part["students"].sum() / part["teachers"].sum() == pytest.approx(ratio, abs=0.3)


def test_rural_primary_schools_have_fewer_pupils_per_teacher_than_urban(demo):
    part = _level(demo, "primary")
    by = part.groupby("location")[["students", "teachers"]].sum()
    ratio = by["students"] / by["teachers"]
    assert ratio["rural"] < ratio["town"] < ratio["urban"]


@pytest.mark.parametrize("level,share,tolerance", [("primary", 0.989, 0.01), ("junior", 0.9171, 0.03)])
def test_degree_shares_near_national(demo, level, share, tolerance):
    part = _level(demo, level)
    assert part["teachers_above_degree"].sum() / part["teachers"].sum() == pytest.approx(share, abs=tolerance)


@pytest.mark.parametrize("level,low,high", [("primary", 4.5, 8.3), ("junior", 5.8, 15.4)])
def test_teaching_area_per_pupil_between_minimum_and_total_building_area(demo, level, low, high):
    part = _level(demo, level)
    assert low <= part["teaching_area_m2"].sum() / part["students"].sum() <= high


@pytest.mark.parametrize("level,column,minimum", [
    ("primary", "sports_area_m2", 7.5), ("junior", "sports_area_m2", 10.2),
    ("primary", "equipment_value_yuan", 2000), ("junior", "equipment_value_yuan", 2500),
])
def test_county_means_reach_the_quality_minimums(demo, level, column, minimum):
    part = _level(demo, level)
    assert part[column].sum() / part["students"].sum() >= minimum


def test_some_town_schools_have_large_classes(demo):
    s = demo.schools
    size = s["students"] / s["classes"]
    assert ((s["location"] == "town") & (size > 56)).sum() >= 2
    assert (size[s["location"] == "rural"] < 56).all()


def test_spending_per_pupil_matches_national_series(demo):
    pupils = demo.schools.groupby("level")["students"].sum()
    budget = demo.budget.set_index("year")
    for year, primary, junior in [(2012, 7447, 10218), (2021, 14458, 20717)]:
        expected = pupils["primary"] * primary + pupils["junior"] * junior
        assert budget.loc[year, "compulsory_education_yuan"] == pytest.approx(expected, rel=0.03)


def test_budget_covers_ten_years_and_appropriation_outgrows_revenue(demo):
    b = demo.budget
    assert b["year"].tolist() == list(range(2012, 2022))
    faster = np.diff(np.log(b["compulsory_education_yuan"])) > np.diff(np.log(b["fiscal_revenue_yuan"]))
    assert faster.sum() >= 6
    assert (np.diff(b["compulsory_education_yuan"]) > 0).all()
    assert (b["transfer_yuan"] < b["compulsory_education_yuan"]).all()
    assert (b["surcharge_yuan"] < b["fiscal_revenue_yuan"]).all()


def test_teacher_ages_plausible_and_rural_older(demo):
    t = demo.teachers.merge(demo.schools[["school_id", "level", "location"]], on=["school_id", "level"])
    assert t["age"].min() == 22 and t["age"].max() == 60
    mean = t.groupby("location")["age"].mean()
    assert mean["rural"] - mean["urban"] >= 3
    assert 2300 <= len(t) <= 2700


@pytest.mark.parametrize("level", ["primary", "junior"])
def test_demo_passes_basic_2012(demo, level):
    assert passes_basic(demo.schools, level)
    assert comprehensive_cv(demo.schools, level) < 0.4


@pytest.mark.parametrize("level", ["primary", "junior"])
def test_demo_fails_quality_2017_realistically(demo, level):
    cvs, n, meeting = quality_result(demo.schools, level)
    assert not passes_quality(demo.schools, level)
    # the failure is the concentration of backbone teachers, not one absurd value
    assert cvs["backbone"] > QUALITY_CEILING[level]
    assert max(cvs.values()) < 0.8
    assert sum(v > QUALITY_CEILING[level] for v in cvs.values()) <= 2
    assert 0 < meeting < n


def test_backbone_teachers_concentrated_in_urban_schools(demo):
    s = demo.schools[demo.schools["level"] == "primary"]
    per_100 = s.groupby("location")[["backbone_teachers", "students"]].sum()
    rate = per_100["backbone_teachers"] / per_100["students"] * 100
    assert rate["urban"] > 1.5 * rate["rural"]


def test_package_checks_agree_with_independent_arithmetic(demo):
    for level, check in check_county(demo).items():
        assert check.comprehensive_cv == pytest.approx(comprehensive_cv(demo.schools, level), rel=1e-9)
        cvs, n, meeting = quality_result(demo.schools, level)
        assert sorted(check.quality_cvs.values()) == pytest.approx(sorted(cvs.values()), rel=1e-9)
        assert (check.quality_schools, check.quality_schools_meeting) == (n, meeting)


def test_every_calibration_target_is_met(demo):
    table = calibration_table(demo)
    assert table["ok"].all(), table.loc[~table["ok"], ["target", "value", "reached"]].to_string()
    assert (table["source"].str.len() > 0).all()
