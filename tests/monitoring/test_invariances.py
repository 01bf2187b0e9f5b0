"""Properties of the assessment's CVs: scale-free, zero for equal schools, robust to tiny schools;
and its weighted means and CVs against statsmodels' DescrStatsW."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.weightstats import DescrStatsW

from balance_sim import County
from balance_sim.assessment import assess

KEY, COLUMN = "teaching_area_per_student", "teaching_area_m2"
rows = st.lists(st.tuples(st.floats(0.5, 30.0), st.integers(60, 3000)), min_size=2, max_size=25)


def _county(values, pupils):
    frame = pd.DataFrame({
        "school_id": [f"s{i}" for i in range(len(values))], "name": "x", "level": "primary",
        "location": "rural", "students": pupils, "teachers": 10,
        COLUMN: np.asarray(values) * np.asarray(pupils),
    })
    return County.from_frames(frame)


def _row(county):
    table = assess(county).indicators
    return table[table["key"] == KEY].iloc[0]


@settings(max_examples=30, deadline=None)
@given(rows, st.floats(0.01, 100.0))
def test_cv_agrees_with_statsmodels_and_ignores_scale(data, scale):
    values = np.array([d[0] for d in data])
    pupils = np.array([d[1] for d in data])
    row = _row(_county(values, pupils))
    stats = DescrStatsW(values, weights=pupils, ddof=0)
    assert row["mean"] == pytest.approx(stats.mean, rel=1e-9)
    assert row["cv"] == pytest.approx(stats.std / stats.mean, rel=1e-9, abs=1e-12)
    assert _row(_county(values * scale, pupils))["cv"] == pytest.approx(row["cv"], rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.5, 30.0), st.lists(st.integers(60, 3000), min_size=1, max_size=20))
def test_equal_schools_have_zero_cv(value, pupils):
    assert _row(_county([value] * len(pupils), pupils))["cv"] == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(rows, st.integers(1, 5), st.floats(0.0, 100.0))
def test_a_tiny_schools_outlier_moves_the_cv_at_most_by_its_weight_share(data, tiny, outlier):
    values = np.array([d[0] for d in data])
    pupils = np.array([d[1] for d in data])
    before = _row(_county(values, pupils))
    after = _row(_county(np.append(values, outlier), np.append(pupils, tiny)))
    # Adding weight w at x to W pupils with mean m and deviation s: the new variance is
    # W/(W+w)·s² + W·w/(W+w)²·(x − m)², so with ε = w/W and d = |x − m| the deviation moves by
    # at most √ε·d + ε·s, and the mean moves to m + w(x − m)/(W + w).
    eps, mean = tiny / pupils.sum(), before["mean"]
    sd, distance = before["cv"] * mean, abs(outlier - mean)
    new_mean = mean + tiny * (outlier - mean) / (pupils.sum() + tiny)
    bound = (np.sqrt(eps) * distance + eps * sd) / new_mean + sd * abs(1 / new_mean - 1 / mean)
    assert abs(after["cv"] - before["cv"]) <= bound + 1e-12


def test_outlier_in_a_one_pupil_school_barely_moves_what_a_large_school_would_swing():
    values, pupils = [4.0, 5.0, 6.0, 5.0] * 3, [500] * 12
    base = _row(_county(values, pupils))["cv"]
    tiny = _row(_county(values + [50.0], pupils + [1]))["cv"]
    large = _row(_county(values + [50.0], pupils + [500]))["cv"]
    assert abs(tiny - base) < 0.07 and large - base > 1.0
