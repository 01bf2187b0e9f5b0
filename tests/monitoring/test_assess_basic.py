"""Assessment under basic-2012: the comprehensive CV end to end, inclusion, null fields."""
import numpy as np
import pytest

from balance_sim.assessment import assess
from balance_sim.errors import ParameterError
from monitoring_counties import county_of, section

JILIN = {  # docs/sources.md#basic-2012: 南关区, primary, in the order of the eight basic-2012 indicators
    "teaching_area_per_student": 0.393, "sports_area_per_student": 0.578,
    "equipment_value_per_student": 0.372, "computers_per_100": 0.246, "books_per_student": 0.208,
    "teachers_per_100": 0.311, "above_degree_teachers_per_100": 0.311,
    "mid_senior_title_teachers_per_100": 0.455,
}
NUMERATOR = {
    "teaching_area_per_student": ("teaching_area_m2", 5.0), "sports_area_per_student": ("sports_area_m2", 8.0),
    "equipment_value_per_student": ("equipment_value_yuan", 2000.0), "computers_per_100": ("computers", 10.0),
    "books_per_student": ("books", 30.0), "teachers_per_100": ("teachers", 7.0),
    "above_degree_teachers_per_100": ("teachers_above_degree", 6.0),
    "mid_senior_title_teachers_per_100": ("teachers_mid_senior_title", 3.0),
}


def _county_with_cvs(cvs: dict, level="primary"):
    # Two schools of 100 pupils at (1 − c) and (1 + c) times a base value: weighted mean = base,
    # weighted standard deviation = c × base, so the CV is exactly c.
    rows = []
    for sign, school in ((-1, "a"), (1, "b")):
        columns = {}
        for key, cv in cvs.items():
            column, base = NUMERATOR[key]
            # 100 pupils: a per-pupil value needs 100 × base in total, a per-100 value base itself.
            columns[column] = base * (1 + sign * cv) * (1 if key.endswith("per_100") else 100)
        rows.append(section(school, level, students=100, **columns))
    return county_of(*rows)


def test_jilin_cvs_give_the_published_comprehensive_cv_and_pass():
    assessment = assess(_county_with_cvs(JILIN), "basic-2012")
    cvs = assessment.indicators.set_index("key")["cv"]
    for key, cv in JILIN.items():
        assert cvs[key] == pytest.approx(cv, abs=1e-9)
    level = assessment.levels.iloc[0]
    assert round(level["composite_cv"], 3) == 0.359
    assert level["verdict"] == "pass" and level["reasons"] == ()
    data = assessment.to_dict()["counties"][0]["levels"][0]
    assert data["schools_meeting_standard"] is None
    assert all(ind["schools_below_minimum"] is None for ind in data["indicators"])
    assert data["composite_cv"] == pytest.approx(0.35925)


def test_comprehensive_cv_above_junior_ceiling_fails_with_reason():
    cvs = {key: 0.56 for key in JILIN}  # junior ceiling 0.55
    level = assess(_county_with_cvs(cvs, "junior"), "basic-2012").levels.iloc[0]
    assert level["composite_cv"] == pytest.approx(0.56)
    assert level["verdict"] == "fail" and "comprehensive CV is 0.560, above 0.55" in level["reasons"]


def test_one_cv_over_the_ceiling_alone_does_not_fail_under_the_mean_rule():
    cvs = dict(JILIN, sports_area_per_student=0.9)
    assessment = assess(_county_with_cvs(cvs), "basic-2012")
    assert not assessment.indicators.set_index("key").loc["sports_area_per_student", "cv_pass"]
    assert assessment.levels["verdict"].iloc[0] == "pass"


def test_every_teaching_point_is_left_out_under_basic_2012():
    rows = [section("a"), section("b"), section("tp", students=120, school_type="teaching_point")]
    assessment = assess(county_of(*rows), "basic-2012")
    assert list(assessment.excluded["school_id"]) == ["tp"]
    assert assessment.levels["schools"].iloc[0] == 2
    assert assess(county_of(*rows), "quality-2017").excluded.empty


def test_missing_indicator_column_makes_the_comprehensive_cv_unknown_and_fails():
    rows = [section("a"), section("b")]
    for row in rows:
        del row["computers"]
    level = assess(county_of(*rows), "basic-2012").levels.iloc[0]
    assert np.isnan(level["composite_cv"]) and level["verdict"] == "fail"
    assert "computers_per_100" in level["reasons"][0]


def test_counties_are_assessed_separately():
    rows = [dict(section("a"), county="东县"), dict(section("b", sports_area_m2=1000.0), county="东县"),
            dict(section("c"), county="西县"), dict(section("d"), county="西县")]
    assessment = assess(county_of(*rows))
    assert assessment.verdict == {"东县": "fail", "西县": "pass"}
    assert [c["county"] for c in assessment.to_dict()["counties"]] == ["东县", "西县"]


def test_a_panel_is_assessed_in_its_latest_year_unless_told():
    rows = [dict(section("a"), year=2020), dict(section("b", sports_area_m2=1000.0), year=2020),
            dict(section("a"), year=2021), dict(section("b"), year=2021)]
    latest = assess(county_of(*rows))
    assert latest.verdict == {"county": "pass"} and "assessed 2021" in latest.notes[0]
    assert latest.levels["students"].iloc[0] == 2000
    earlier = assess(county_of(*rows), year=2020)
    assert earlier.verdict == {"county": "fail"} and earlier.notes == ()
    with pytest.raises(ParameterError):
        assess(county_of(*rows), year=2019)
