"""The demo county against both standards, and the inequality table over a county."""
import numpy as np
import pytest

from balance_sim.assessment import assess, inequality_table
from balance_sim.measures.theil import theil_decomposition
from monitoring_counties import county_of, section


def test_demo_county_passes_basic_2012_and_fails_quality_2017():
    datasets = pytest.importorskip("balance_sim.datasets")
    county = datasets.demo_county()
    assert set(assess(county, "basic-2012").verdict.values()) == {"pass"}
    quality = assess(county, "quality-2017")
    assert set(quality.verdict.values()) == {"fail"}
    assert not quality.shortfalls.empty and (quality.shortfalls["cost_yuan"] > 0).all()


def _county():
    return county_of(
        section("a", students=800, location="urban", teaching_area_m2=5600.0, teachers=50),
        section("b", students=300, location="rural", teaching_area_m2=900.0, teachers=22),
        section("c", students=150, location="rural", teaching_area_m2=600.0, teachers=12),
        section("d", students=500, location="town", teaching_area_m2=2500.0, teachers=30),
        section("tp", students=30, location="rural", school_type="teaching_point", teaching_area_m2=30.0),
    )


def test_inequality_table_is_tidy_and_consistent_with_the_measures():
    table = inequality_table(_county(), keys=["teaching_area_per_student"])
    assert list(table.columns) == ["county", "level", "key", "measure", "value"]
    value = table.set_index("measure")["value"]
    # The 30-pupil teaching point is left out, as quality-2017 counts schools.
    x = np.array([7.0, 3.0, 4.0, 5.0])
    w = np.array([800, 300, 150, 500])
    parts = theil_decomposition(x, ["urban", "rural", "rural", "town"], w, "T")
    assert value["theil_t"] == pytest.approx(parts.total)
    assert value["theil_t_between"] + value["theil_t_within"] == pytest.approx(value["theil_t"])
    assert value["mean"] == pytest.approx((x * w).sum() / w.sum())
    assert value["max_min_ratio"] == pytest.approx(7.0 / 3.0)
    assert 0 < value["allocation_r2"] <= 1
    assert value["allocation_unexplained"] == pytest.approx(1 - value["allocation_r2"])


def test_inequality_table_defaults_to_the_standards_keys():
    table = inequality_table(_county(), standard="basic-2012")
    assert set(table["key"]) - {"teachers"} == set(
        ["teaching_area_per_student", "sports_area_per_student", "equipment_value_per_student",
         "computers_per_100", "books_per_student", "teachers_per_100",
         "above_degree_teachers_per_100", "mid_senior_title_teachers_per_100"])
