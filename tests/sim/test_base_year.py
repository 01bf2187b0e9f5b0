"""The base year of a run agrees with the official assessment of the same county (an
independent path: `assess` reads the tables, the simulation its own arrays)."""
import numpy as np
import pytest

from balance_sim.assessment import assess
from balance_sim.sim import simulate
from balance_sim.sim.rules import _standard_rules

datasets = pytest.importorskip("balance_sim.datasets")


@pytest.fixture(scope="module")
def demo_run():
    county = datasets.demo_county()
    return county, simulate(county, years=1, seed=0)


@pytest.mark.parametrize("standard", ["basic-2012", "quality-2017"])
def test_base_year_cvs_equal_the_assessment(demo_run, standard):
    county, result = demo_run
    official = assess(county, standard).indicators.set_index(["level", "key"])
    cv = result.metric("cv", standard)
    cv = cv[cv["year"] == result.years[0]].set_index(["level", "key"])["value"]
    assert len(cv) == len(official)
    assert np.allclose(cv.sort_index(), official["cv"].sort_index(), rtol=1e-9)


def test_rules_carry_the_standards_numbers():
    quality = _standard_rules("quality-2017")
    assert quality.cv_max.tolist() == [0.50, 0.45]
    assert (quality.min_met, quality.floor_ratio, quality.teaching_point_min_students) == (6, 0.85, 50)
    assert quality.minimums[1, list(quality.keys).index("sports_area_per_student")] == 10.2
    basic = _standard_rules("basic-2012")
    assert basic.cv_rule == "mean" and basic.exclude_teaching_points and not basic.has_minimums
