"""Assessment under quality-2017: CVs by hand, the per-school rule at its edges, inclusion,
verdicts, contributions and the JSON shape."""
import json

import numpy as np
import pytest

from balance_sim.assessment import assess
from balance_sim.measures.cv import weighted_cv
from monitoring_counties import county_of, section


def _teaching_area_county(extra=()):
    # docs/sources.md#cv worked case on teaching area: pupils 100, 300, 600; m² per pupil 2, 4, 5.
    rows = [
        section("a", students=100, teaching_area_m2=200.0),
        section("b", students=300, teaching_area_m2=1200.0),
        section("c", students=600, teaching_area_m2=3000.0),
    ]
    return county_of(*rows, *extra)


def _indicator(assessment, key, level="primary"):
    table = assessment.indicators
    return table[(table["key"] == key) & (table["level"] == level)].iloc[0]


def test_weighted_cv_of_the_worked_case():
    row = _indicator(assess(_teaching_area_county()), "teaching_area_per_student")
    assert row["mean"] == pytest.approx(4.4)
    assert row["cv"] == pytest.approx(0.208299, abs=1e-6)
    assert row["cv_max"] == 0.50 and row["cv_pass"]
    # Schools a (2.0) and b (4.0) are under 4.5 m² per pupil.
    assert row["schools_below_minimum"] == 2


def test_small_teaching_point_is_left_out_and_larger_one_counted():
    small = section("tp", students=40, school_type="teaching_point", teaching_area_m2=400.0)
    assessment = assess(_teaching_area_county([small]))
    assert _indicator(assessment, "teaching_area_per_student")["cv"] == pytest.approx(0.208299, abs=1e-6)
    assert list(assessment.excluded["school_id"]) == ["tp"]
    assert "fewer than 50" in assessment.excluded["reason"].iloc[0]

    # By hand, with a 60-pupil point at 10 m²: mean = 5000/1060 = 4.716981;
    # Σ P x² / Σ P = 26200/1060 = 24.716981; variance = 2.467070; CV = 1.570691/4.716981 = 0.332986.
    larger = section("tp", students=60, school_type="teaching_point", teaching_area_m2=600.0)
    assessment = assess(_teaching_area_county([larger]))
    assert assessment.excluded.empty
    assert _indicator(assessment, "teaching_area_per_student")["cv"] == pytest.approx(0.332986, abs=1e-6)


def test_zero_enrolment_section_is_excluded_with_its_reason():
    empty = section("z", students=0, level="junior")
    assessment = assess(county_of(section("a"), empty))
    assert list(assessment.levels["level"]) == ["primary"]
    assert assessment.excluded["reason"].tolist() == ["no pupils in this section"]


@pytest.mark.parametrize(
    ("equipment_ratio", "meets"),
    [(1.0, True), (0.86, True), (0.85, True), (0.84, False)],
)
def test_six_met_and_the_seventh_against_the_85_percent_floor(equipment_ratio, meets):
    row = section("a", equipment_value_yuan=2_000_000 * equipment_ratio)
    schools = assess(county_of(row, section("b"))).schools
    first = schools[schools["school_id"] == "a"]
    assert bool(first["meets_standard"].iloc[0]) is meets
    equipment = first[first["key"] == "equipment_value_per_student"].iloc[0]
    assert equipment["ratio"] == pytest.approx(equipment_ratio)
    assert bool(equipment["met"]) is (equipment_ratio >= 1.0)


def test_five_met_fails_even_when_both_others_reach_95_percent():
    row = section("a", equipment_value_yuan=1_900_000, sports_area_m2=7500 * 0.95)
    assessment = assess(county_of(row, section("b")))
    assert assessment.levels["schools_meeting_standard"].iloc[0] == 1
    assert assessment.levels["verdict"].iloc[0] == "fail"
    assert "1 of 2 schools" in assessment.levels["reasons"].iloc[0][0]


def test_missing_value_counts_as_not_met():
    row = section("a", multimedia_classrooms=np.nan, equipment_value_yuan=1_000_000)
    schools = assess(county_of(row, section("b"))).schools
    assert not schools.loc[schools["school_id"] == "a", "meets_standard"].iloc[0]


def test_each_cv_over_its_ceiling_fails_the_level():
    # Junior ceiling 0.45: sports area per pupil 5 and 20 for two equal schools → CV 0.6.
    rows = [section("a", "junior", sports_area_m2=5000.0), section("b", "junior", sports_area_m2=20000.0)]
    assessment = assess(county_of(*rows))
    row = _indicator(assessment, "sports_area_per_student", "junior")
    assert row["cv"] == pytest.approx(0.6) and not row["cv_pass"]
    level = assessment.levels.iloc[0]
    assert level["verdict"] == "fail" and np.isnan(level["composite_cv"])
    assert any("sports_area_per_student" in r and "0.600" in r for r in level["reasons"])
    assert assessment.verdict == {"county": "fail"}


def test_county_at_the_minimums_everywhere_passes():
    assessment = assess(county_of(section("a"), section("b", students=400), section("c", "junior")))
    assert set(assessment.levels["verdict"]) == {"pass"}
    assert assessment.verdict == {"county": "pass"}
    assert assessment.shortfalls.empty and assessment.contributions.empty
    assert (assessment.indicators["cv"].abs() < 1e-9).all()


def test_contributions_rank_schools_by_the_cv_after_moving_them_to_the_mean():
    rows = [section("a", "junior", students=100, sports_area_m2=200.0),
            section("b", "junior", students=300, sports_area_m2=2400.0),
            section("c", "junior", students=600, sports_area_m2=15000.0)]
    # Sports m² per pupil 2, 8, 25: mean 17.6, variance 84.84, CV 0.5233 > 0.45, so it fails.
    assessment = assess(county_of(*rows))
    assert _indicator(assessment, "sports_area_per_student", "junior")["cv"] == pytest.approx(0.523344, abs=1e-6)
    table = assessment.contributions
    table = table[table["key"] == "sports_area_per_student"]
    x, w = np.array([2.0, 8.0, 25.0]), np.array([100.0, 300.0, 600.0])
    mean = (x * w).sum() / w.sum()
    expected = {}
    for i, school in enumerate("abc"):
        moved = x.copy()
        moved[i] = mean
        expected[school] = weighted_cv(moved, w)
    assert list(table["school_id"]) == sorted(expected, key=expected.get)
    assert list(table["rank"]) == [1, 2, 3]
    for row in table.itertuples():
        assert row.cv_after == pytest.approx(expected[row.school_id], rel=1e-9)
        assert row.cv_reduction == pytest.approx(row.cv - row.cv_after)


def test_to_dict_has_exactly_the_design_shape():
    rows = [section("a", sports_area_m2=3000.0), section("b"), section("c", "junior", students=500)]
    data = assess(county_of(*rows)).to_dict()
    json.dumps(data)  # plain JSON types only
    assert set(data) == {"standard", "counties"} and data["standard"] == "quality-2017"
    county = data["counties"][0]
    # design.md: under quality-2017 each county also carries its four parts.
    assert set(county) == {"county", "verdict", "levels", "parts", "excluded"}
    assert [part["part"] for part in county["parts"]] == ["resources", "government", "quality", "recognition"]
    level = county["levels"][0]
    assert set(level) == {"level", "schools", "students", "indicators", "composite_cv", "composite_cv_marginal",
                          "schools_meeting_standard", "verdict", "reasons"}
    assert level["composite_cv"] is None and level["schools_meeting_standard"] == 1
    assert level["students"] == 2000 and level["schools"] == 2
    indicator = level["indicators"][0]
    assert set(indicator) == {"key", "mean", "cv", "cv_max", "cv_pass", "marginal", "schools_below_minimum"}
    assert isinstance(indicator["cv_pass"], bool) and isinstance(indicator["marginal"], bool)
    assert [lv["level"] for lv in county["levels"]] == ["primary", "junior"]
